"""The control room's data: read from the warehouse, computed, cached per data version.

Every cached function takes the data version (the latest ingestion batch) as its first
argument, so a new load invalidates the caches without any explicit purge. Results hold
no language: the callbacks word them.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analytics import alerts as rules
from analytics import kpis
from analytics.boundaries import harmonise, observed_weights
from analytics.classify import assign, breaks
from data_access.models import OLD_DISTRICT, OLD_WARD, WARD_2025
from data_access.queries import facts, plan, registry
from data_access.queries.status import freshness
from ioc_app.core.warehouse import cache, engine

TIMEOUT = 6 * 3600
#: The last school year counted in the old units (sizes for carrying 2025 figures back).
LAST_OLD_YEAR = facts.FIRST_2025_YEAR - 1


def version() -> str:
    """The current data version (cheap: one aggregate over the ingestion batches)."""
    return registry.data_version(engine())


@cache.memoize(timeout=TIMEOUT)
def school_years(data_version: str) -> list[int]:
    """School years with facts, oldest first."""
    return facts.school_years(engine())


def pick_year(data_version: str, year: Any) -> int | None:
    """``year`` when it has data, else the latest school year (None when there is none)."""
    years = school_years(data_version)
    if not years:
        return None
    try:
        wanted = int(year)
    except (TypeError, ValueError):
        return years[-1]
    return wanted if wanted in years else years[-1]


def _measured_crosswalk(bind: Any) -> pd.DataFrame:
    """The crosswalk with weights measured from where the schools' pupils were in the last
    school year before the merger (see :func:`analytics.boundaries.observed_weights`)."""
    official = registry.crosswalk(bind)
    pupils = (
        facts.enrolment(bind, [LAST_OLD_YEAR])
        .groupby(["institution_id", "unit_id"], as_index=False)["pupils"]
        .sum()
    )
    wards = registry.institution_keys(bind)[["id", "ward_id"]]
    observed = pupils.merge(wards, left_on="institution_id", right_on="id").rename(
        columns={"unit_id": "old_unit_id", "ward_id": "new_unit_id", "pupils": "value"}
    )
    return observed_weights(observed, official)


@cache.memoize(timeout=TIMEOUT)
def reference(data_version: str) -> dict[str, Any]:
    """Names of units, plan units and domains, the crosswalk and the old-ward parents."""
    bind = engine()
    units = registry.units(bind)
    return {
        "units": units.set_index("id")[["code", "kind", "name", "name_en"]],
        "crosswalk": _measured_crosswalk(bind),
        "parents": registry.parents(bind, OLD_WARD),
        "plan_units": registry.plan_unit_names(bind),
        "domains": registry.domains(bind),
    }


def _frames(years: list[int]) -> dict[str, pd.DataFrame]:
    """Facts of ``years``; schools that did not report are estimated from their own
    history (data_access.queries.estimates), so sums do not drop with late reports. The
    ``estimated`` column flags those rows; reporting coverage is counted apart."""
    bind = engine()
    return {
        "enrolment": facts.enrolment(bind, years, estimate=True),
        "staff": facts.staff(bind, years, estimate=True),
        "facility": facts.facility(bind, years, estimate=True),
        "dx": facts.dx_levels(bind, years),
    }


@cache.memoize(timeout=TIMEOUT)
def unit_measures(data_version: str, year: int, geo: str) -> pd.DataFrame:
    """Additive measures of school ``year`` per unit of ``geo`` (ward or old_district).

    Figures recorded in the other geography are carried through the crosswalk; the
    ``estimate`` column marks units whose figure had to be divided.
    """
    years = sorted({year, LAST_OLD_YEAR}) if geo == OLD_DISTRICT else [year]
    return _carry(reference(data_version), kpis.ward_measures(**_frames(years)), year, geo)


def _carry(ref: dict[str, Any], measures: pd.DataFrame, year: int, geo: str) -> pd.DataFrame:
    """Measures of ``year`` in ``geo``, carried through the (measured) crosswalk."""
    size = None
    if geo == OLD_DISTRICT:
        before = measures[measures["school_year"] == LAST_OLD_YEAR]
        size = before.set_index("unit_id")["pupils"] if not before.empty else None
        measures = measures[measures["school_year"] == year]
    target = "ward" if geo == WARD_2025 else OLD_DISTRICT
    return harmonise(
        measures,
        ref["crosswalk"],
        target,
        values=list(kpis.MEASURES),
        parents=ref["parents"],
        size=size,
    )


def _names(ref: dict[str, Any], unit_id: str) -> tuple[str, str, str]:
    units = ref["units"]
    if unit_id not in units.index:
        return unit_id, unit_id, ""
    row = units.loc[unit_id]
    return row["name"], row["name_en"] or row["name"], row["code"]


@cache.memoize(timeout=TIMEOUT)
def map_layer(
    data_version: str, year: int, geo: str, kpi: str, method: str, k: int
) -> dict[str, Any]:
    """Classes, colours' count, breaks, estimates and ranking of one map indicator."""
    ref = reference(data_version)
    measures = unit_measures(data_version, year, geo)
    values = kpis.map_values(measures, kpi) if not measures.empty else pd.Series(dtype=float)
    finite = values.replace([np.inf, -np.inf], np.nan)
    edges = breaks(finite.dropna().to_numpy(), method, k) if finite.notna().any() else []
    classes = assign(finite.to_numpy(), edges) if edges else np.full(len(finite), -1)
    units = measures["unit_id"].tolist() if not measures.empty else []
    rows = []
    for unit_id, value, estimate in zip(
        units,
        finite.tolist(),
        measures.get("estimate", pd.Series(dtype=bool)).tolist(),
        strict=True,
    ):
        name_vi, name_en, code = _names(ref, unit_id)
        rows.append(
            {
                "unit_id": unit_id,
                "code": code,
                "name_vi": name_vi,
                "name_en": name_en,
                "value": None if pd.isna(value) else float(value),
                "estimate": bool(estimate),
            }
        )
    return {
        "edges": edges,
        "classes": {u: int(c) for u, c in zip(units, classes, strict=True)},
        "rows": rows,
    }


#: The fact frame each data domain's tiles sum.
DOMAIN_FRAMES = {"students": "enrolment", "staff": "staff", "facilities": "facility"}


def estimated_schools(frames: dict[str, pd.DataFrame], year: int) -> dict[str, int]:
    """Per domain slug: the schools whose ``year`` figures were estimated for a late report."""
    out = {}
    for slug, name in DOMAIN_FRAMES.items():
        frame = frames[name]
        late = frame[(frame["school_year"] == year) & frame["estimated"].astype(bool)]
        out[slug] = int(late["institution_id"].nunique())
    return out


def _alert_dict(alert: rules.Alert) -> dict[str, Any]:
    return asdict(alert)


@cache.memoize(timeout=TIMEOUT)
def summary(data_version: str, year: int, today: date) -> dict[str, Any]:
    """Tiles, alerts and freshness of school ``year`` (plan and reports judged on ``today``)."""
    bind = engine()
    ref = reference(data_version)
    frames = _frames([year - 1, year])
    institutions = registry.institution_keys(bind)
    tasks = plan.task_status(bind)
    tiles = kpis.city_kpis(institutions=institutions, tasks=tasks, year=year, today=today, **frames)
    # Ward alerts read the current year in the 2025 wards.
    enrol = frames["enrolment"][frames["enrolment"]["school_year"] == year]
    by_level = harmonise(
        enrol, ref["crosswalk"], "ward", values=["pupils", "classes"], keys=["school_year", "level"]
    )
    this_year = {name: frame[frame["school_year"] == year] for name, frame in frames.items()}
    measures = _carry(ref, kpis.ward_measures(**this_year), year, WARD_2025)
    domains = ref["domains"]
    coverage = facts.coverage(bind, year).merge(
        domains[["id", "slug"]], left_on="domain_id", right_on="id"
    )
    fresh = freshness(bind)
    found = [
        *rules.class_size_alerts(by_level),
        *rules.teacher_shortage_alerts(measures),
        *rules.overdue_task_alerts(tasks, today),
        *rules.late_report_alerts(plan.quarterly_reports(bind), today),
        *rules.not_reported_alerts(coverage.assign(school_year=year)),
        *rules.stale_data_alerts(fresh),
    ]
    fresh_rows = []
    shares = coverage.set_index("slug")["share"].to_dict()
    for row in fresh.itertuples():
        fresh_rows.append(
            {
                "slug": row.slug,
                "name_vi": row.name_vi,
                "name_en": row.name_en,
                "source_system": row.source_system,
                "refresh_days": int(row.refresh_days),
                "last_load": None if pd.isna(row.last_load) else f"{row.last_load:%Y-%m-%d %H:%M}",
                "age_days": None if pd.isna(row.age_days) else int(row.age_days),
                "stale": bool(row.stale),
                "coverage": shares.get(row.slug),
            }
        )
    return {
        "tiles": [{**asdict(tile)} for tile in tiles],
        "estimated": estimated_schools(frames, year),
        "alerts": [_alert_dict(a) for a in rules.ranked(found)],
        "freshness": fresh_rows,
        "tasks": tasks.set_index(tasks["kind"] + ":" + tasks["code"])[
            ["title_vi", "title_en", "lead_units"]
        ].to_dict("index"),
    }
