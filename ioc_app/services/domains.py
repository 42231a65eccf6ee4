"""Data of the domain pages: who may read a domain, its figures in either geography, quality.

Cached per data version (the latest ingestion batch), so new loads invalidate the caches.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from flask import abort

from analytics import quality
from analytics.boundaries import carried_count, harmonise
from analytics.kpis import active_institutions
from data_access.models import OLD_DISTRICT, WARD_2025
from data_access.queries import facts, registry
from data_access.queries.indicators import INDICATORS, Indicator, parts
from ioc_app.core.guard import principal
from ioc_app.core.principal import Principal
from ioc_app.core.warehouse import cache, engine
from ioc_app.services.indicators import LAST_OLD_YEAR, TIMEOUT, reference, version

#: The column counting the schools whose late report was estimated.
ESTIMATED = "estimated_schools"
SERIES_COLUMNS = ["school_year", "value", "estimate", ESTIMATED]


@cache.memoize(timeout=TIMEOUT)
def domains(data_version: str) -> list[dict[str, Any]]:
    """Every domain as a plain dict (``id, slug, name_vi, name_en, supervising_units…``)."""
    frame = registry.domains(engine())
    return [
        {**row, "supervising_units": list(row["supervising_units"])}
        for row in frame.to_dict("records")
    ]


def domain(slug: Any) -> dict[str, Any] | None:
    """The domain with this slug, or None."""
    if not isinstance(slug, str):
        return None
    return next((d for d in domains(version()) if d["slug"] == slug), None)


def may_read(who: Principal, row: dict[str, Any]) -> bool:
    """Whether ``who`` may read the domain ``row`` (its supervising units, or leadership)."""
    return who.may_read_units(frozenset(row["supervising_units"]))


def may_open(who: Principal, params: dict[str, str]) -> bool:
    """The page table's check for /domains/<slug> (unknown slugs are refused too)."""
    row = domain(params.get("slug"))
    return row is not None and may_read(who, row)


def authorised(slug: Any) -> dict[str, Any]:
    """The domain named by a callback's (forgeable) slug, or 403 for this caller."""
    row = domain(slug)
    if row is None or not may_read(principal(), row):
        abort(403)
    return row


def readable_domains() -> list[dict[str, Any]]:
    """The domains the current caller may open."""
    who = principal()
    return [row for row in domains(version()) if may_read(who, row)]


def indicator(domain_id: int, key: Any) -> Indicator:
    """The domain's indicator ``key`` (its first one when unknown)."""
    found = [i for i in INDICATORS[domain_id] if i.key == key]
    return found[0] if found else INDICATORS[domain_id][0]


def value_columns(domain_id: int) -> list[str]:
    """Every additive column of a domain's indicators."""
    return [column for i in INDICATORS[domain_id] for column in parts(i)]


def compute(frame: pd.DataFrame, item: Indicator) -> pd.Series:
    """Indicator values from summed parts (NaN where the denominator is zero)."""
    values = frame[f"{item.key}__num"].astype(float)
    if item.denominator is not None:
        values = values / frame[f"{item.key}__den"].astype(float).replace(0, np.nan)
    return values * item.scale


@cache.memoize(timeout=TIMEOUT)
def raw(data_version: str, domain_id: int) -> pd.DataFrame:
    """Every year of a domain's additive parts (per unit valid then, level, ownership)."""
    return facts.domain_frame(engine(), domain_id)


@cache.memoize(timeout=TIMEOUT)
def by_area(
    data_version: str, domain_id: int, geo: str, level: str, ownership: str
) -> pd.DataFrame:
    """The domain's parts per school year and unit of ``geo``, after the filters.

    Figures recorded in the other geography are carried through the crosswalk; ``estimate``
    marks the ones that had to be divided. ``estimated_schools`` counts the schools whose
    late report was estimated (:func:`data_access.queries.facts.domain_frame`); carried
    into a split unit, it is the divided share of those schools.
    """
    frame = raw(data_version, domain_id)
    if level != "all":
        frame = frame[frame["level"] == level]
    if ownership != "all":
        frame = frame[frame["ownership"] == ownership]
    columns = [*value_columns(domain_id), ESTIMATED]
    summed = frame.groupby(["school_year", "unit_id"], as_index=False)[columns].sum()
    ref = reference(data_version)
    size = None
    if geo == OLD_DISTRICT:
        before = summed[summed["school_year"] == LAST_OLD_YEAR]
        if not before.empty:
            size = before.set_index("unit_id")[columns[0]]
    target = "ward" if geo == WARD_2025 else OLD_DISTRICT
    return harmonise(
        summed, ref["crosswalk"], target, values=columns, parents=ref["parents"], size=size
    )


def series(areas: pd.DataFrame, domain_id: int, key: str, area: str) -> pd.DataFrame:
    """One indicator across school years for one area (``all`` = the whole city).

    Returns
    -------
    pandas.DataFrame
        Columns ``school_year, value, estimate, estimated_schools`` (``estimate``: carried
        through a split; ``estimated_schools``: late reports estimated in the sum).
    """
    item = indicator(domain_id, key)
    chosen = areas if area == "all" else areas[areas["unit_id"] == area]
    if chosen.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    columns = [*parts(item), ESTIMATED]
    yearly = chosen.groupby("school_year", as_index=False).agg(
        **{c: (c, "sum") for c in columns}, estimate=("estimate", "any")
    )
    if area == "all":
        yearly["estimate"] = False  # the city total does not depend on boundaries
    yearly[ESTIMATED] = carried_count(yearly[ESTIMATED])
    return yearly.assign(value=compute(yearly, item))[SERIES_COLUMNS]


def table(
    areas: pd.DataFrame, domain_id: int, year: int, names: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """Every indicator of ``year`` per area, with the area's name, the estimate flag and the
    schools estimated in its sums."""
    rows = areas[areas["school_year"] == year]
    out = pd.DataFrame({"unit_id": rows["unit_id"].to_numpy()})
    label = names["name_en"].where(names["name_en"].notna() & (lang == "en"), names["name"])
    out["area"] = out["unit_id"].map(label).fillna(out["unit_id"])
    for item in INDICATORS[domain_id]:
        out[item.key] = compute(rows, item).round(2).to_numpy()
    out["estimate"] = rows["estimate"].to_numpy()
    out[ESTIMATED] = carried_count(rows[ESTIMATED]).to_numpy()
    return out.sort_values("area", ignore_index=True)


@cache.memoize(timeout=TIMEOUT)
def quality_report(
    data_version: str, domain_id: int, year: int, geo: str, key: str
) -> dict[str, pd.DataFrame]:
    """Completeness by reporting unit (and the institutions that did not report), outliers
    of indicator ``key``, duplicates and coordinates of a domain's institutions in ``year``."""
    bind = engine()
    ref = reference(data_version)
    institutions = registry.institutions(bind)
    reporters = facts.reporters(bind, [year - 1, year], domain_ids=[domain_id])
    active = set(active_institutions(institutions, year)["id"])
    now = set(reporters.loc[reporters["school_year"] == year, "institution_id"])
    before = set(reporters.loc[reporters["school_year"] == year - 1, "institution_id"])
    expected = institutions[institutions["id"].isin((before & active) | now)].copy()
    if geo == WARD_2025:
        expected["area"] = expected["ward_id"]
    else:
        expected["area"] = (
            expected["old_ward_id"].map(ref["parents"]).fillna(expected["old_ward_id"])
        )
    complete = quality.completeness(
        expected.rename(columns={"id": "institution_id"}), now, by="area"
    )
    values = facts.institution_values(bind, domain_id, year)
    item = indicator(domain_id, key)
    values = values.assign(value=compute(values, item)).merge(
        institutions[["id", "name", "level"]], left_on="institution_id", right_on="id"
    )
    values["level"] = values["level"].fillna("other")
    outliers = quality.outliers(values.dropna(subset=["value"]), "value", by=["level"])
    reporting = institutions[institutions["id"].isin(now)]
    return {
        "missing": expected[~expected["id"].isin(now)][["id", "code", "name", "kind", "area"]],
        "completeness": complete,
        "outliers": outliers,
        "duplicates": quality.duplicate_institutions(reporting),
        "coordinates": quality.missing_coordinates(reporting),
    }


@cache.memoize(timeout=TIMEOUT)
def institution_keys(data_version: str) -> pd.DataFrame:
    """Code and 2025 ward of every institution of the city, indexed by id."""
    return registry.institutions(engine()).set_index("id")[["code", "ward_id"]]


def area_options(data_version: str, geo: str) -> pd.DataFrame:
    """Units that can be chosen as the area in ``geo`` (``id, name, name_en``)."""
    units = reference(data_version)["units"]
    return units[units["kind"] == geo].reset_index().sort_values("name")
