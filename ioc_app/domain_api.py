"""The data domains on ``/api/v1`` for member systems (bearer API token or session).

``/domains/<slug>/areas`` is a domain's table by area, ``/domains/<slug>/institutions`` one
row per institution, paged and filtered. A caller reads what a signed-in user of the same
role could read on the pages: the guard checks each route's declared access before it runs
(see :mod:`ioc_app.core.api_auth` for tokens); the views check the domain's supervising
units like the domain pages do, a token's domain and ward scopes, and the field rules of
:mod:`ioc_app.services.field_access`. Every read is audited. Parameters and answers are
pydantic models; the OpenAPI paths are generated from them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from flask import Blueprint, Flask, Response, request
from pydantic import BaseModel, ConfigDict, Field

from data_access.models import OLD_DISTRICT, WARD_2025
from data_access.queries.indicators import INDICATORS
from ioc_app.core import audit
from ioc_app.core import openapi as oa
from ioc_app.core.guard import Access, principal, route_access
from ioc_app.core.principal import Principal
from ioc_app.core.ratelimit import limiter, public_limit
from ioc_app.core.responses import json_error, json_response
from ioc_app.core.vocabulary import LEVEL_NAMES
from ioc_app.plan_api import ErrorOut
from ioc_app.services import domains as data
from ioc_app.services.domain_rows import generated_counts, institution_rows, select_page
from ioc_app.services.field_access import domain_fields
from ioc_app.services.indicators import reference, school_years, version

PREFIX = "/api/v1"
DOMAINS = Access.of("leadership", "department")
GEOS = (WARD_2025, OLD_DISTRICT)
#: Most rows of one page of ``/institutions``.
MAX_PER_PAGE = 500
#: School years as the ingestion accepts them; a year without data is a 404 naming the known.
YEARS = (2000, 2100)
blueprint = Blueprint("domain_api", __name__, url_prefix=PREFIX)

Level = Literal[tuple(LEVEL_NAMES)]  # type: ignore[valid-type]
Year = Field(
    default=None,
    ge=YEARS[0],
    le=YEARS[1],
    description="School year by its start year (2024 = 2024–25); default the latest",
)


class DomainPath(BaseModel):
    """The path of a domain's reads."""

    slug: str = Field(
        pattern=r"^[a-z][a-z-]{0,39}$", description="Data domain, e.g. students, facilities"
    )


class AreasQuery(BaseModel):
    """The query string of ``/domains/<slug>/areas``."""

    model_config = ConfigDict(extra="forbid")
    year: int | None = Year
    geo: Literal["ward", "old_district"] = Field(
        default=WARD_2025, description="2025 wards (default) or old districts"
    )


class InstitutionsQuery(BaseModel):
    """The query string of ``/domains/<slug>/institutions``."""

    model_config = ConfigDict(extra="forbid")
    year: int | None = Year
    ward: str | None = Field(
        default=None,
        pattern=r"^[0-9]{1,10}$",
        description="Only this 2025 ward, by its code (e.g. 26734); a ward-scoped token gets "
        "its own wards only",
    )
    level: Level | None = Field(default=None, description="Only institutions of this level")
    page: int = Field(default=1, ge=1, le=1_000_000, description="Page number, from 1")
    per_page: int = Field(
        default=100, ge=1, le=MAX_PER_PAGE, description=f"Rows per page (1–{MAX_PER_PAGE})"
    )


Query = TypeVar("Query", AreasQuery, InstitutionsQuery)


class RefusalOut(BaseModel):
    """A refusal of the guard or the view (no caller, an invalid token, not allowed)."""

    error: str = Field(description="unauthorised, invalid token, forbidden…")
    message: str | None = None
    target: str | None = Field(default=None, description="What the guard refused")


class DomainOut(BaseModel):
    """The data domain read (Phụ lục I of the plan)."""

    slug: str
    name_vi: str
    name_en: str
    supervising_units: list[str]


class IndicatorOut(BaseModel):
    """One figure of the domain: its key and how it reads (count, ratio, percent)."""

    key: str
    kind: Literal["count", "ratio", "percent"]


class Provenance(BaseModel):
    """Where the figures of a school year come from, and whether they are generated."""

    domain: DomainOut
    school_year: int
    source: str | None = Field(description="The member system the domain comes from")
    generated: bool = Field(description="Some figures of this year are generated (not official)")
    fact_rows: int
    generated_rows: int
    indicators: list[IndicatorOut] = Field(description="The figures the caller may see")


class AreaOut(BaseModel):
    """A domain's figures in one area."""

    unit_id: str
    name: str
    name_en: str | None
    values: dict[str, float | None]
    estimate: bool = Field(description="Divided across a split ward through the crosswalk")
    estimated_schools: int = Field(
        ge=0, description="Schools whose late report is estimated in these sums (docs/data.md)"
    )


class AreasOut(Provenance):
    """A domain's indicators per area for one school year."""

    geo: Literal["ward", "old_district"]
    areas: list[AreaOut]


class InstitutionOut(BaseModel):
    """A domain's figures of one institution (registry facts are public)."""

    institution_id: int
    code: str | None
    name: str
    kind: str
    level: str
    ownership: str | None
    ward_code: str | None = Field(description="Its 2025 ward")
    unit_id: str = Field(description="The unit its facts were recorded in that year")
    values: dict[str, float | None] = Field(description="Null where the denominator is zero")


class InstitutionsOut(Provenance):
    """One page of a domain's figures per institution for one school year."""

    ward: str | None
    level: str | None
    page: int
    per_page: int
    total: int = Field(description="Rows of the whole selection, over every page")
    pages: int
    rows: list[InstitutionOut]


def _number(value: Any) -> float | None:
    """A JSON-safe figure: None where the page shows an empty cell (no denominator)."""
    return None if value is None or math.isnan(value) else float(value)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _readable(slug: str) -> tuple[Principal, dict[str, Any]] | Response:
    """The caller and the domain ``slug``, or 404 / 403 saying why it may not be read."""
    row = data.domain(slug)
    if row is None:
        return json_error(404, "not_found", f"no data domain {slug!r}")
    who = principal()
    if not data.may_read(who, row):
        return json_error(403, "forbidden", f"domain {slug!r} is supervised by other units")
    if not who.may_read_domain(row["slug"]):
        return json_error(403, "forbidden", f"domain {slug!r} is outside this API token's scopes")
    return who, row


def _year(v: str, asked: int | None) -> int | Response:
    """The school year asked (default the latest), or 404 when it has no data."""
    years = school_years(v)
    if asked is None:
        if not years:
            return json_error(404, "not_found", "the warehouse has no school years yet")
        return years[-1]
    if asked not in years:
        known = ", ".join(str(y) for y in years) or "none"
        return json_error(404, "not_found", f"year: {asked} has no data (school years: {known})")
    return asked


@dataclass(frozen=True)
class Read(Generic[Query]):
    """A domain read the caller may make: who, which domain, the query, the school year and
    the data version (read once per request)."""

    who: Principal
    row: dict[str, Any]
    query: Query
    year: int
    version: str


def _provenance(read: Read[Any]) -> dict[str, Any]:
    """The answer's head: domain, year, source, generated counts and the visible figures."""
    who, row, year = read.who, read.row, read.year
    rows, generated = generated_counts(read.version, row["id"], year)
    kinds = {item.key: item.kind for item in INDICATORS[row["id"]]}
    return {
        "domain": DomainOut(
            slug=row["slug"],
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            supervising_units=list(row["supervising_units"]),
        ),
        "school_year": year,
        "source": row["source_system"],
        "generated": generated > 0,
        "fact_rows": rows,
        "generated_rows": generated,
        "indicators": [
            IndicatorOut(key=key, kind=kinds[key])  # type: ignore[arg-type]
            for key in domain_fields(who, row["slug"], kinds)
        ],
    }


def _asked(slug: str, model: type[Query]) -> Read[Query] | Response:
    """What a domain read asks, or the refusal (404 / 403 for the domain, 400 for a
    parameter, 404 for a year)."""
    readable = _readable(slug)
    if isinstance(readable, Response):
        return readable
    query = oa.parse_query(model, request.args)
    if isinstance(query, Response):
        return query
    v = version()
    year = _year(v, query.year)
    if isinstance(year, Response):
        return year
    return Read(*readable, query=query, year=year, version=v)


@blueprint.route("/domains/<slug>/areas")
@route_access(DOMAINS)
@limiter.limit(public_limit)
def domain_areas(slug: str) -> Response:
    """A domain's indicators per area for one school year: the domain page's table by area."""
    read = _asked(slug, AreasQuery)
    if isinstance(read, Response):
        return read
    who, row, query, year, v = read.who, read.row, read.query, read.year, read.version
    limited = who.scope is not None and who.scope.wards is not None
    if query.geo != WARD_2025 and limited:
        return json_error(
            403, "forbidden", f"this API token is limited to 2025 wards: use geo={WARD_2025}"
        )
    names = reference(v)["units"]
    areas = data.by_area(v, row["id"], query.geo, "all", "all")
    table = data.table(areas, row["id"], year, names, "vi")
    if limited:
        # Areas outside the token's wards are left out (not refused): the caller asked for
        # the table by ward and gets the rows it may read.
        codes = names["code"]
        table = table[[who.may_read_ward(str(codes.get(u, ""))) for u in table["unit_id"]]]
    head = _provenance(read)
    keys = [item.key for item in head["indicators"]]
    out = AreasOut(
        **head,
        geo=query.geo,
        areas=[
            AreaOut(
                unit_id=r["unit_id"],
                name=r["area"],
                name_en=_text(names["name_en"].get(r["unit_id"])),
                values={key: _number(r[key]) for key in keys},
                estimate=bool(r["estimate"]),
                estimated_schools=int(r[data.ESTIMATED]),
            )
            for r in table.to_dict("records")
        ],
    )
    audit.record(
        "read",
        f"api/domains/{row['slug']}/areas",
        f"school_year={year}; geo={query.geo}; rows={len(out.areas)}",
    )
    return json_response(out.model_dump())


def _wards(read: Read[InstitutionsQuery]) -> frozenset[str] | Response | None:
    """The 2025 ward codes to read (None: every ward), or 404 / 403 for the ward asked."""
    who, asked = read.who, read.query.ward
    if asked is None:
        return who.scope.wards if who.scope is not None else None
    units = reference(read.version)["units"]
    if asked not in set(units.loc[units["kind"] == WARD_2025, "code"]):
        return json_error(404, "not_found", f"ward: no 2025 ward has the code {asked!r}")
    if not who.may_read_ward(asked):
        return json_error(403, "forbidden", f"ward {asked} is outside this API token's scopes")
    return frozenset({asked})


@blueprint.route("/domains/<slug>/institutions")
@route_access(DOMAINS)
@limiter.limit(public_limit)
def domain_institutions(slug: str) -> Response:
    """A domain's figures per institution for one school year, filtered and paged."""
    read = _asked(slug, InstitutionsQuery)
    if isinstance(read, Response):
        return read
    row, query, year = read.row, read.query, read.year
    wards = _wards(read)
    if isinstance(wards, Response):
        return wards
    frame = institution_rows(read.version, row["id"], year)
    page = select_page(
        frame, wards=wards, level=query.level, page=query.page, per_page=query.per_page
    )
    head = _provenance(read)
    keys = [item.key for item in head["indicators"]]
    out = InstitutionsOut(
        **head,
        ward=query.ward,
        level=query.level,
        page=page.page,
        per_page=page.per_page,
        total=page.total,
        pages=page.pages,
        rows=[
            InstitutionOut(
                institution_id=int(r["institution_id"]),
                code=_text(r["code"]),
                name=r["name"],
                kind=r["kind"],
                level=r["level"],
                ownership=_text(r["ownership"]),
                ward_code=_text(r["ward_code"]),
                unit_id=r["unit_id"],
                values={key: _number(r[key]) for key in keys},
            )
            for r in page.rows
        ],
    )
    detail = audit.describe(school_year=year, ward=query.ward, level=query.level, page=query.page)
    audit.record(
        "read",
        f"api/domains/{row['slug']}/institutions",
        f"{detail} per_page={query.per_page} rows={len(out.rows)} total={out.total}",
    )
    return json_response(out.model_dump())


#: Merged into the OpenAPI document's ``components`` by :mod:`ioc_app.public_api`.
SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token from `python -m ioc_app users token create USER --name X` "
        "or /admin; it acts as that user (same role and units), narrowed by the token's "
        "scopes (data domains, 2025 wards, read-only or report-writing, expiry). Session "
        "cookies work too.",
    }
}

_REFUSALS: dict[str, tuple[str, type[BaseModel] | None]] = {
    "400": ("A bad parameter (the message and fields name it)", ErrorOut),
    "401": ("No credentials, or an invalid, revoked or expired API token", RefusalOut),
    "403": (
        "The caller may not read this domain, or it (or the ward asked) is outside the "
        "token's scopes (the message names it)",
        RefusalOut,
    ),
    "404": (
        "No such data domain or 2025 ward, or no data for the school year (the message names it)",
        ErrorOut,
    ),
    "429": ("Rate limit exceeded", RefusalOut),
}


def _operation(summary: str, query: type[BaseModel], ok: type[BaseModel]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "description": "Leadership, admin, and department users for the domains their "
            "units supervise; within an API token's domain and ward scopes. Audited.",
            "parameters": oa.parameters(DomainPath, "path") + oa.parameters(query),
            "security": [{"bearerAuth": []}],
            "responses": oa.responses(ok, _REFUSALS),
        }
    }


def openapi_paths() -> dict[str, Any]:
    """The ``paths`` of the domain reads, generated from their models."""
    return {
        f"{PREFIX}/domains/{{slug}}/areas": _operation(
            "A data domain's indicators per area for one school year", AreasQuery, AreasOut
        ),
        f"{PREFIX}/domains/{{slug}}/institutions": _operation(
            "A data domain's figures per institution for one school year, paged",
            InstitutionsQuery,
            InstitutionsOut,
        ),
    }


def openapi_schemas() -> dict[str, Any]:
    """The component schemas of the domain reads' answers."""
    return oa.components(AreasOut, InstitutionsOut, ErrorOut, RefusalOut)


def init_app(server: Flask) -> None:
    """Register the domain reads."""
    if blueprint.name not in server.blueprints:
        server.register_blueprint(blueprint)
