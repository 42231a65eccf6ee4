"""Data of /dx: assessments and schools per school year, cached per data version.

Results hold no language; the callbacks word them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analytics import dx_index
from data_access.queries import dx, registry
from ioc_app.core.warehouse import cache, engine
from ioc_app.services.indicators import TIMEOUT, reference

GEOGRAPHIES = ("ward", "old_district")


@cache.memoize(timeout=TIMEOUT)
def years(data_version: str) -> list[int]:
    """School years with DX assessments, oldest first."""
    return dx.assessment_years(engine())


def pick_year(data_version: str, year: Any) -> int | None:
    """``year`` when it has assessments, else the latest such year (None when none)."""
    known = years(data_version)
    if not known:
        return None
    try:
        wanted = int(year)
    except (TypeError, ValueError):
        return known[-1]
    return wanted if wanted in known else known[-1]


@cache.memoize(timeout=TIMEOUT)
def criteria(data_version: str) -> list[dict[str, Any]]:
    """The criteria sets, one dict per set and group (see :func:`dx.criteria_sets`)."""
    frame = dx.criteria_sets(engine())
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@cache.memoize(timeout=TIMEOUT)
def schools(data_version: str, geo: str) -> pd.DataFrame:
    """Every school and school year with assessments (see :func:`dx_index.school_table`),
    with its ``area`` in ``geo`` (2025 ward or old district)."""
    bind = engine()
    ref = reference(data_version)
    frame = dx_index.school_table(
        registry.institutions(bind), dx.assessments(bind), years(data_version)
    )
    fallback = dx_index.main_old_district(ref["crosswalk"], ref["parents"])
    frame["area"] = dx_index.areas(
        frame, geo if geo in GEOGRAPHIES else "ward", ref["parents"], fallback
    )
    return frame


def selection(
    data_version: str, geo: str, *, edu_level: str, ownership: str, area: str
) -> pd.DataFrame:
    """Every year's schools after the filters (``all`` = no filter)."""
    return dx_index.filtered(
        schools(data_version, geo),
        edu_level=edu_level or "all",
        ownership=ownership or "all",
        area=area or "all",
    )


def area_options(data_version: str, geo: str) -> pd.DataFrame:
    """The units of ``geo`` that hold schools of the DX index (``id, code, name, name_en``),
    by name."""
    units = reference(data_version)["units"]
    present = set(schools(data_version, geo)["area"].dropna())
    chosen = units[(units["kind"] == geo) & units.index.isin(present)]
    return chosen.reset_index().sort_values("name", ignore_index=True)
