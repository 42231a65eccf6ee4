"""Signed-in ``/api/v1`` endpoints for member systems (bearer API token or session).

A caller reads what a signed-in user of the same role could read on the pages: the guard
checks each route's declared access before it runs (see :mod:`ioc_app.core.api_auth` for tokens),
and the view checks the domain's supervising units like the domain pages do.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Flask, Response, request

from data_access.models import OLD_DISTRICT, WARD_2025
from data_access.queries.indicators import INDICATORS
from data_access.queries.status import generated_facts
from ioc_app.core import audit
from ioc_app.core.guard import Access, principal, route_access
from ioc_app.core.ratelimit import limiter, public_limit
from ioc_app.core.responses import json_error, json_response
from ioc_app.core.warehouse import engine
from ioc_app.services import domains as data
from ioc_app.services.indicators import reference, school_years, version

PREFIX = "/api/v1"
DOMAINS = Access.of("leadership", "department")
GEOS = (WARD_2025, OLD_DISTRICT)
blueprint = Blueprint("private_api", __name__, url_prefix=PREFIX)


def _number(value: Any) -> float | None:
    """A JSON-safe figure: None where the page shows an empty cell (no denominator)."""
    return None if value is None or math.isnan(value) else float(value)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _parameters(v: str) -> tuple[int, str] | Response:
    """``(year, geo)`` from the query string, or a 400 naming the bad parameter."""
    geo = request.args.get("geo") or WARD_2025
    if geo not in GEOS:
        return json_error(400, "bad_request", f"geo must be one of {', '.join(GEOS)}")
    years = school_years(v)
    raw = request.args.get("year")
    if not raw:
        if not years:
            return json_error(404, "not_found", "the warehouse has no school years yet")
        return years[-1], geo
    try:
        year = int(raw)
    except ValueError:
        return json_error(400, "bad_request", "year must be a school year's start year, e.g. 2024")
    if year not in years:
        known = ", ".join(str(y) for y in years) or "none"
        return json_error(400, "bad_request", f"year {year} has no data (school years: {known})")
    return year, geo


@blueprint.route("/domains/<slug>/areas")
@route_access(DOMAINS)
@limiter.limit(public_limit)
def domain_areas(slug: str) -> Response:
    """A domain's indicators per area for one school year: the domain page's table by area."""
    row = data.domain(slug)
    if row is None:
        return json_error(404, "not_found", f"no data domain {slug!r}")
    who = principal()
    if not data.may_read(who, row):
        return json_error(403, "forbidden", "this domain is supervised by other units")
    if not who.may_read_domain(row["slug"]):
        return json_error(
            403, "forbidden", f"domain {row['slug']!r} is outside this API token's scopes"
        )
    v = version()
    chosen = _parameters(v)
    if isinstance(chosen, Response):
        return chosen
    year, geo = chosen
    if geo != WARD_2025 and who.scope is not None and who.scope.wards is not None:
        return json_error(
            403, "forbidden", f"this API token is limited to 2025 wards: use geo={WARD_2025}"
        )
    names = reference(v)["units"]
    areas = data.by_area(v, row["id"], geo, "all", "all")
    table = data.table(areas, row["id"], year, names, "vi")
    if who.scope is not None and who.scope.wards is not None:
        # Areas outside the token's wards are left out (not refused): the caller asked for
        # the table by ward and gets the rows it may read.
        codes = names["code"]
        table = table[[who.may_read_ward(str(codes.get(u, ""))) for u in table["unit_id"]]]
    keys = [item.key for item in INDICATORS[row["id"]]]
    rows, generated = generated_facts(engine(), row["id"], year)
    audit.record("read", f"api/domains/{row['slug']}/areas", f"school_year={year}; geo={geo}")
    return json_response(
        {
            "domain": {
                "slug": row["slug"],
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "supervising_units": list(row["supervising_units"]),
            },
            "school_year": year,
            "geo": geo,
            "source": row["source_system"],
            "generated": generated > 0,
            "fact_rows": rows,
            "generated_rows": generated,
            "indicators": [{"key": item.key, "kind": item.kind} for item in INDICATORS[row["id"]]],
            "areas": [
                {
                    "unit_id": r["unit_id"],
                    "name": r["area"],
                    "name_en": _text(names["name_en"].get(r["unit_id"])),
                    "values": {key: _number(r[key]) for key in keys},
                    "estimate": bool(r["estimate"]),
                    "estimated_schools": int(r[data.ESTIMATED]),
                }
                for r in table.to_dict("records")
            ],
        }
    )


def _responses(ok: dict[str, Any]) -> dict[str, Any]:
    return {
        "200": ok,
        "400": {"description": "Bad year or geo (the message names it)"},
        "401": {"description": "No credentials, or an invalid API token"},
        "403": {
            "description": "The caller may not read this domain, or it is outside the "
            "token's scopes (the message names it)"
        },
        "404": {"description": "No such data domain"},
        "429": {"description": "Rate limit exceeded"},
    }


#: Merged into the OpenAPI document's ``components`` by :mod:`ioc_app.public_api`.
SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token from `python -m ioc_app users token create USER --name X`; "
        "it acts as that user (same role and units), narrowed by the token's scopes (data "
        "domains, 2025 wards, read-only or report-writing, expiry). Session cookies work too.",
    }
}


def openapi_paths() -> dict[str, Any]:
    """The ``paths`` of the signed-in endpoints, each with the bearer security scheme."""
    text = {"type": "string"}
    figure = {"type": ["number", "null"]}
    area = {
        "type": "object",
        "properties": {
            "unit_id": text,
            "name": text,
            "name_en": {"type": ["string", "null"]},
            "values": {"type": "object", "additionalProperties": figure},
            "estimate": {
                "type": "boolean",
                "description": "Divided across a split ward through the crosswalk",
            },
        },
    }
    schema = {
        "type": "object",
        "properties": {
            "domain": {"type": "object"},
            "school_year": {"type": "integer"},
            "geo": text,
            "source": text,
            "generated": {"type": "boolean"},
            "fact_rows": {"type": "integer"},
            "generated_rows": {"type": "integer"},
            "indicators": {"type": "array", "items": {"type": "object"}},
            "areas": {"type": "array", "items": area},
        },
    }
    parameters = [
        {
            "name": "slug",
            "in": "path",
            "required": True,
            "schema": text,
            "description": "Data domain, e.g. students, facilities",
        },
        {
            "name": "year",
            "in": "query",
            "required": False,
            "schema": {"type": "integer"},
            "description": "School year by its start year (2024 = 2024–25); default the latest",
        },
        {
            "name": "geo",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": list(GEOS)},
            "description": "2025 wards (default) or old districts",
        },
    ]
    ok = {"description": "OK", "content": {"application/json": {"schema": schema}}}
    return {
        f"{PREFIX}/domains/{{slug}}/areas": {
            "get": {
                "summary": "A data domain's indicators per area for one school year (audited)",
                "description": "Leadership, admin, and department users for the domains "
                "their units supervise.",
                "parameters": parameters,
                "security": [{"bearerAuth": []}],
                "responses": _responses(ok),
            }
        }
    }


def init_app(server: Flask) -> None:
    """Register the signed-in API endpoints."""
    if blueprint.name not in server.blueprints:
        server.register_blueprint(blueprint)
