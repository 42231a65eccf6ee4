"""Real published figures next to what the warehouse holds (the calibration check)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, select, text

from data_access.models import FactEnrolment
from data_access.queries.estimates import read_estimated
from data_access.queries.facts import in_years
from data_access.queries.registry import frame_of
from data_access.reference.readers import read_press

#: Tolerance (percent) for every figure: pupils, teachers and school counts alike.
TOLERANCE_PCT = 2.0
SCHOOL_KINDS = ("school", "international_school", "continuing_education")
GRADES = {
    "preschool": range(0, 1),
    "primary": range(1, 6),
    "lower_secondary": range(6, 10),
    "upper_secondary": range(10, 13),
    "all": range(0, 13),
}
#: Press metric → (measure, selection, calibrated, note).
METRICS: dict[str, tuple[str, object, bool, str]] = {
    "students_total_all_levels": (
        "pupils",
        GRADES["all"],
        True,
        "all pupils, preschool to grade 12, every institution",
    ),
    "pupils_preschool": ("pupils", GRADES["preschool"], True, ""),
    "pupils_primary": ("pupils", GRADES["primary"], True, ""),
    "pupils_lower_secondary": ("pupils", GRADES["lower_secondary"], True, ""),
    "pupils_upper_secondary": (
        "pupils",
        GRADES["upper_secondary"],
        True,
        "includes continuing-education learners of grades 10-12",
    ),
    "teachers_total": (
        "teachers",
        ("school", "international_school"),
        True,
        "teachers of schools (not continuing-education centres)",
    ),
    "schools_total": (
        "schools",
        SCHOOL_KINDS,
        True,
        "schools incl. preschools, international schools and CE centres",
    ),
    "schools_total_alt": (
        "schools",
        ("school", "international_school"),
        True,
        "other count basis (no CE centres); the warehouse sits between "
        "this figure and schools_total",
    ),
    "schools_grade1_to_12": (
        "schools",
        "general",
        True,
        "general-education schools (grades 1-12), no preschools/CE",
    ),
    "grade9_graduates": (
        "pupils",
        range(9, 10),
        False,
        "not calibrated: proxy = grade-9 pupils; the figure is about a quarter "
        "below the grade-9 cohort the level totals imply (scope unclear)",
    ),
    "grade1_entrants_expected": (
        "pupils",
        range(1, 2),
        False,
        "not calibrated: 5 x 113,417 is far below the 939,002 primary "
        "pupils; the figure's scope looks like old HCMC only",
    ),
    "grade6_entrants_expected": (
        "pupils",
        range(6, 7),
        False,
        "not calibrated: inconsistent with +42,978 lower-secondary pupils; scope unclear",
    ),
}


def _default_shared() -> Path:
    from data_access.paths import shared_data_dir

    return shared_data_dir()


def unit_regions(engine: Engine) -> pd.Series:
    """Old province code (79/74/77/…) of every old unit; ``new`` for units of 2025."""
    with engine.connect() as conn:
        units = pd.read_sql(text("SELECT id, kind, parent_id FROM admin_unit"), conn)
    parent = {
        u: p for u, p in zip(units["id"], units["parent_id"], strict=True) if isinstance(p, str)
    }
    kind = dict(zip(units["id"], units["kind"], strict=True))
    out = {}
    for uid in units["id"]:
        if kind[uid] in ("ward", "province"):
            out[uid] = "new:" + str(parent.get(uid) or uid)
            continue
        node = uid
        while parent.get(node):
            node = parent[node]
        out[uid] = str(node)[2:] if str(node).startswith("OP") else str(node)
    return pd.Series(out, name="region")


def _in_scope(region: pd.Series, scope: str) -> pd.Series:
    if scope == "79":
        return region == "79"
    return region.isin(["79", "74", "77", "new:P79"])


def _reported_pupils(bind: Engine | Connection, years: list[int] | None) -> pd.DataFrame:
    """Pupils per school year, institution, unit and grade as reported."""
    model = FactEnrolment
    query = select(
        model.school_year, model.institution_id, model.unit_id, model.grade, model.pupils
    )
    columns = ["school_year", "institution_id", "unit_id", "grade", "value"]
    frame = frame_of(bind, in_years(query, model.school_year, years), columns)
    return frame.astype({"value": float})


def _facts(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    with engine.connect() as conn:
        teachers = pd.read_sql(
            text(
                "SELECT f.school_year, f.unit_id, i.kind, SUM(f.teachers) AS value "
                "FROM fact_staff f JOIN institution i ON i.id = f.institution_id "
                "GROUP BY f.school_year, f.unit_id, i.kind"
            ),
            conn,
        )
        schools = pd.read_sql(
            text(
                "SELECT kind, level, opened_year, closed_year, old_ward_id, ward_id "
                "FROM institution"
            ),
            conn,
        )
    # Published totals count every school: late reports are estimated (one rule, see
    # data_access.queries.estimates), as on every page.
    pupils = read_estimated(engine, _reported_pupils, values=["value"], keys=["grade"])
    pupils = pupils.groupby(["school_year", "unit_id", "grade"], as_index=False)["value"].sum()
    pupils["value"] = pupils["value"].round()
    return pupils, teachers, schools


def _school_count(
    schools: pd.DataFrame, regions: pd.Series, year: int, scope: str, selection: object
) -> float:
    # Côn Đảo (the one 2025 ward without an old ward) was part of Bà Rịa–Vũng Tàu; other
    # provinces (national scale) have no old ward and a province unit: out of every scope.
    has_old = schools["old_ward_id"].notna()
    region = pd.Series(
        np.where(
            has_old,
            schools["old_ward_id"].map(regions),
            np.where(schools["ward_id"].str.startswith("W"), "77", "other"),
        ),
        index=schools.index,
    ).fillna("")
    open_now = (schools["opened_year"].fillna(0) <= year) & (
        schools["closed_year"].isna() | (schools["closed_year"] > year)
    )
    if selection == "general":
        kind = schools["kind"].isin(["school", "international_school"]) & schools["level"].ne(
            "preschool"
        )
    else:
        kind = schools["kind"].isin(list(selection))
    return float((open_now & kind & _in_scope(region, scope)).sum())


def warehouse_value(
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    regions: pd.Series,
    year: int,
    scope: str,
    metric: str,
) -> float | None:
    """The warehouse's figure for one press metric, or None when it cannot answer."""
    if metric not in METRICS:
        return None
    pupils, teachers, schools = frames
    measure, selection, _, _ = METRICS[metric]
    if measure == "pupils":
        rows = pupils[(pupils["school_year"] == year) & pupils["grade"].isin(list(selection))]
        return float(
            rows.loc[_in_scope(rows["unit_id"].map(regions), scope).to_numpy(), "value"].sum()
        )
    if measure == "teachers":
        rows = teachers[(teachers["school_year"] == year) & teachers["kind"].isin(selection)]
        return float(
            rows.loc[_in_scope(rows["unit_id"].map(regions), scope).to_numpy(), "value"].sum()
        )
    return _school_count(schools, regions, year, scope, selection)


def calibration_table(engine: Engine, *, shared_dir: Path | None = None) -> pd.DataFrame:
    """One row per press figure the warehouse can answer, with the difference.

    Parameters
    ----------
    engine
        The warehouse engine.
    shared_dir
        The reference data folder (default ``data_access.paths.shared_data_dir()``).

    Returns
    -------
    pandas.DataFrame
        Columns ``school_year`` (start year), ``scope``, ``metric``, ``real``,
        ``warehouse``, ``diff_pct``, ``ok`` (|diff| ≤ ``tolerance_pct``, 2% for pupils,
        teachers and schools alike), ``tolerance_pct``, ``calibrated`` (False for the
        figures the generator deliberately does not match), ``note``, ``source_url``.
        ``new_classrooms_planned`` is left out (the warehouse holds no building plans).
    """
    press = read_press(Path(shared_dir) if shared_dir is not None else _default_shared())
    regions = unit_regions(engine)
    frames = _facts(engine)
    rows = []
    for r in press.itertuples():
        value = warehouse_value(frames, regions, int(r.year), r.region, r.metric)
        if value is None:
            continue
        _, _, calibrated, note = METRICS[r.metric]
        diff = (value - float(r.value)) / float(r.value) * 100
        rows.append(
            {
                "school_year": int(r.year),
                "scope": r.scope,
                "metric": r.metric,
                "real": float(r.value),
                "warehouse": value,
                "diff_pct": round(diff, 2),
                "ok": bool(abs(diff) <= TOLERANCE_PCT),
                "tolerance_pct": TOLERANCE_PCT,
                "calibrated": calibrated,
                "note": note,
                "source_url": r.source_url,
            }
        )
    table = pd.DataFrame(rows)
    table["ok"] = table["ok"].astype(bool)
    return table


def pupils_by_level(engine: Engine, year: int, scope: str = "79") -> dict[str, float]:
    """Pupils per level in a school year and scope (``79`` old HCMC, ``all`` merged city)."""
    regions = unit_regions(engine)
    frames = _facts(engine)
    return {
        level: float(
            np.round(warehouse_value(frames, regions, year, scope, f"pupils_{level}") or 0)
        )
        for level in ("preschool", "primary", "lower_secondary", "upper_secondary")
    }
