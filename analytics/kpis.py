"""Key figures of the control room: city KPIs for a school year and additive ward measures.

Norms (assumptions to confirm with the divisions; the sources are the regulations cited):

- Largest class (pupils per class): preschool 35 (Thông tư 52/2020/TT-BGDĐT, Art. 15: the
  5–6-year-old class; younger classes are smaller, but facts carry no age group), primary 35
  (Thông tư 28/2020/TT-BGDĐT, Art. 13), lower and upper secondary 45 (Thông tư
  32/2020/TT-BGDĐT, Art. 16).
- Teachers per class: preschool 2.2 (TTLT 06/2015/TTLT-BGDĐT-BNV, full-day classes),
  primary 1.5, lower secondary 1.9, upper secondary 2.25 (Thông tư 20/2023/TT-BGDĐT).
- Classrooms: one per class, since schools of the city teach two sessions a day; the
  shortfall of a school is its classes minus its classrooms when positive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

LEVELS = ("preschool", "primary", "lower_secondary", "upper_secondary")
CLASS_SIZE_NORMS: dict[str, float] = {
    "preschool": 35,
    "primary": 35,
    "lower_secondary": 45,
    "upper_secondary": 45,
}
TEACHERS_PER_CLASS: dict[str, float] = {
    "preschool": 2.2,
    "primary": 1.5,
    "lower_secondary": 1.9,
    "upper_secondary": 2.25,
}
DX_LEVELS = (1, 2, 3)
#: Reading order of the institution tiles (kinds not listed come after, by name).
KIND_ORDER = (
    "school",
    "international_school",
    "continuing_education",
    "language_it_centre",
    "study_abroad",
    "life_skills",
    "representative_office",
)
PLAN_STATES = ("done", "on_track", "late")

#: Map indicators: key → (numerator, denominator or None, scale). Their parts are additive
#: (see :func:`ward_measures`), so they can be carried between geographies before dividing.
MAP_KPIS: dict[str, tuple[str, str | None, float]] = {
    "pupils": ("pupils", None, 1.0),
    "schools": ("schools", None, 1.0),
    "teachers": ("teachers", None, 1.0),
    "pupil_teacher_ratio": ("pupils_staffed", "teachers_matched", 1.0),
    "class_size": ("pupils", "classes", 1.0),
    "class_size_vs_norm": ("pupils", "class_capacity", 100.0),
    "staffing_vs_norm": ("teachers_matched", "teachers_required", 100.0),
    "classroom_shortfall": ("shortfall", None, 1.0),
    "dx_level3_share": ("dx_level3", "dx_assessed", 100.0),
}
MEASURES = (
    "pupils",
    "classes",
    "schools",
    "teachers",
    "teachers_matched",
    "pupils_staffed",
    "teachers_required",
    "class_capacity",
    "classrooms",
    "shortfall",
    "dx_assessed",
    "dx_level3",
    "estimated_schools",
)


@dataclass(frozen=True)
class Kpi:
    """One tile: a figure this school year and the year before (None when unknown)."""

    key: str
    group: str
    value: float | None
    previous: float | None = None
    norm: float | None = None
    #: "up" when a rise is good news, "down" when a fall is, None when neither.
    better: str | None = None

    @property
    def delta(self) -> float | None:
        """Change since the previous year, or None."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def level_of_grade(grade: int) -> str:
    """The level band of a grade (0 = preschool, 1–5, 6–9, 10–12)."""
    if grade <= 0:
        return "preschool"
    if grade <= 5:
        return "primary"
    if grade <= 9:
        return "lower_secondary"
    return "upper_secondary"


def _year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame[frame["school_year"] == year]


def _ratio(numerator: float, denominator: float) -> float | None:
    return float(numerator) / float(denominator) if denominator else None


def active_institutions(institutions: pd.DataFrame, year: int) -> pd.DataFrame:
    """Institutions open during school ``year`` (opened by then, not closed yet)."""
    opened = institutions["opened_year"].isna() | (institutions["opened_year"] <= year)
    open_still = institutions["closed_year"].isna() | (institutions["closed_year"] > year)
    return institutions[opened & open_still]


def institutions_by_kind(institutions: pd.DataFrame, year: int) -> pd.Series:
    """Number of open institutions of each kind in ``year``."""
    return active_institutions(institutions, year).groupby("kind").size()


def pupils_by_level(enrolment: pd.DataFrame, year: int) -> pd.Series:
    """Pupils of each level band in ``year`` (``enrolment`` has a ``level`` band column)."""
    return _year(enrolment, year).groupby("level")["pupils"].sum()


def class_size_by_level(enrolment: pd.DataFrame, year: int) -> pd.Series:
    """Average pupils per class of each level band in ``year``."""
    sums = _year(enrolment, year).groupby("level")[["pupils", "classes"]].sum()
    return (sums["pupils"] / sums["classes"].replace(0, np.nan)).dropna()


def pupil_teacher_ratio(enrolment: pd.DataFrame, staff: pd.DataFrame, year: int) -> float | None:
    """Pupils per teacher in ``year``, over the institutions that reported both."""
    pupils = _year(enrolment, year).groupby("institution_id")["pupils"].sum()
    teachers = _year(staff, year).groupby("institution_id")["teachers"].sum()
    both = pupils.index.intersection(teachers.index)
    return _ratio(pupils.loc[both].sum(), teachers.loc[both].sum())


def classroom_shortfall(enrolment: pd.DataFrame, facility: pd.DataFrame, year: int) -> int:
    """Classrooms missing in ``year``: Σ max(0, classes − classrooms) over the schools."""
    classes = _year(enrolment, year).groupby("institution_id")["classes"].sum()
    rooms = _year(facility, year).groupby("institution_id")["classrooms"].sum()
    joined = pd.concat([classes, rooms], axis=1, join="inner")
    return int((joined["classes"] - joined["classrooms"]).clip(lower=0).sum())


def dx_level_shares(dx: pd.DataFrame, year: int) -> dict[int, float]:
    """Share (0–1) of the assessed schools at each DX level in ``year`` (empty if none)."""
    levels = _year(dx, year)["level"].dropna().astype(int)
    if levels.empty:
        return {}
    counts = levels.value_counts()
    return {level: float(counts.get(level, 0)) / len(levels) for level in DX_LEVELS}


def plan_state(status: str | None, percent: float | None, due: date, today: date) -> str:
    """``done``, ``late`` (not done and past due, or reported overdue) or ``on_track``."""
    if status == "done" or (percent is not None and not pd.isna(percent) and percent >= 100):
        return "done"
    if status == "overdue" or due < today:
        return "late"
    return "on_track"


def plan_states(tasks: pd.DataFrame, today: date) -> pd.Series:
    """The state of each task (columns ``status, percent, due``) on ``today``."""
    if tasks.empty:
        return pd.Series([], dtype=object)
    return pd.Series(
        [plan_state(row.status, row.percent, row.due, today) for row in tasks.itertuples()],
        index=tasks.index,
    )


def plan_counts(tasks: pd.DataFrame, today: date) -> dict[str, int]:
    """How many plan tasks are done, on track and late on ``today``."""
    states = plan_states(tasks, today)
    return {state: int((states == state).sum()) for state in PLAN_STATES}


def teachers_required(enrolment: pd.DataFrame) -> pd.Series:
    """Teachers the staffing norm asks for, per row: classes × teachers per class."""
    return enrolment["classes"] * enrolment["level"].map(TEACHERS_PER_CLASS).fillna(0.0)


def city_kpis(
    *,
    institutions: pd.DataFrame,
    enrolment: pd.DataFrame,
    staff: pd.DataFrame,
    facility: pd.DataFrame,
    dx: pd.DataFrame,
    tasks: pd.DataFrame,
    year: int,
    today: date,
) -> list[Kpi]:
    """Every tile of the control room for school ``year`` against ``year − 1``.

    Parameters
    ----------
    institutions
        Columns ``id, kind, opened_year, closed_year``.
    enrolment
        Columns ``school_year, institution_id, level, pupils, classes`` (level bands).
    staff
        Columns ``school_year, institution_id, teachers``.
    facility
        Columns ``school_year, institution_id, classrooms``.
    dx
        Columns ``school_year, institution_id, level`` (DX level 1–3 or missing).
    tasks
        Columns ``status, percent, due`` (the latest reported status of each plan task).
    year
        The school year shown (start year).
    today
        The date plan tasks are judged on.

    Returns
    -------
    list of Kpi
        Groups ``institutions``, ``pupils``, ``teachers``, ``class_size``, ``facilities``,
        ``dx`` and ``plan``.
    """
    previous = year - 1
    tiles: list[Kpi] = []
    now_kinds = institutions_by_kind(institutions, year)
    before_kinds = institutions_by_kind(institutions, previous)
    kinds = now_kinds.index.union(before_kinds.index)
    for kind in sorted(
        kinds, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k)
    ):
        tiles.append(
            Kpi(
                f"institutions.{kind}",
                "institutions",
                float(now_kinds.get(kind, 0)),
                float(before_kinds.get(kind, 0)),
            )
        )
    now_pupils, before_pupils = (
        pupils_by_level(enrolment, year),
        pupils_by_level(enrolment, previous),
    )
    for level in LEVELS:
        if level in now_pupils.index or level in before_pupils.index:
            tiles.append(
                Kpi(
                    f"pupils.{level}", "pupils", _get(now_pupils, level), _get(before_pupils, level)
                )
            )
    tiles.append(
        Kpi(
            "pupils.total",
            "pupils",
            float(now_pupils.sum()),
            float(before_pupils.sum()) if not before_pupils.empty else None,
        )
    )
    teachers_now = _year(staff, year)["teachers"].sum()
    teachers_before = _year(staff, previous)["teachers"]
    tiles.append(
        Kpi(
            "teachers.total",
            "teachers",
            float(teachers_now),
            float(teachers_before.sum()) if not teachers_before.empty else None,
            better="up",
        )
    )
    tiles.append(
        Kpi(
            "teachers.pupil_ratio",
            "teachers",
            pupil_teacher_ratio(enrolment, staff, year),
            pupil_teacher_ratio(enrolment, staff, previous),
            better="down",
        )
    )
    now_size, before_size = (
        class_size_by_level(enrolment, year),
        class_size_by_level(enrolment, previous),
    )
    for level in LEVELS:
        if level in now_size.index:
            tiles.append(
                Kpi(
                    f"class_size.{level}",
                    "class_size",
                    _get(now_size, level),
                    _get(before_size, level),
                    norm=CLASS_SIZE_NORMS[level],
                    better="down",
                )
            )
    has_before = not _year(facility, previous).empty
    tiles.append(
        Kpi(
            "facilities.classroom_shortfall",
            "facilities",
            float(classroom_shortfall(enrolment, facility, year)),
            float(classroom_shortfall(enrolment, facility, previous)) if has_before else None,
            better="down",
        )
    )
    now_dx, before_dx = dx_level_shares(dx, year), dx_level_shares(dx, previous)
    for level in DX_LEVELS if now_dx else ():
        tiles.append(
            Kpi(
                f"dx.level{level}",
                "dx",
                now_dx[level],
                before_dx.get(level),
                better="up" if level == 3 else None,
            )
        )
    for state, count in plan_counts(tasks, today).items():
        tiles.append(
            Kpi(
                f"plan.{state}",
                "plan",
                float(count),
                better={"done": "up", "late": "down"}.get(state),
            )
        )
    return tiles


def _get(series: pd.Series, key: str) -> float | None:
    return float(series[key]) if key in series.index else None


def ward_measures(
    *,
    enrolment: pd.DataFrame,
    staff: pd.DataFrame,
    facility: pd.DataFrame,
    dx: pd.DataFrame,
    years: list[int] | None = None,
) -> pd.DataFrame:
    """Additive measures per school year and unit, from which every map KPI is a ratio.

    Parameters
    ----------
    enrolment, staff, facility, dx
        As in :func:`city_kpis`, each with the ``unit_id`` valid in its school year.
    years
        Keep only these school years (all when None).

    Returns
    -------
    pandas.DataFrame
        One row per ``school_year, unit_id`` with the columns of :data:`MEASURES`:
        pupils, classes, schools (reporting enrolment), teachers (every institution),
        teachers_matched and pupils_staffed (teachers and pupils of the schools that reported
        both), teachers_required (by the staffing norm, same schools), class_capacity
        (classes × largest class), classrooms, shortfall, dx_assessed, dx_level3 and
        estimated_schools (schools whose pupils were estimated for a late report, when
        ``enrolment`` has the ``estimated`` flag of data_access.queries.estimates).
    """

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        return frame if years is None else frame[frame["school_year"].isin(years)]

    keys = ["school_year", "unit_id"]
    enrol = keep(enrolment).assign(
        class_capacity=lambda f: f["classes"] * f["level"].map(CLASS_SIZE_NORMS).fillna(0.0),
        teachers_required=lambda f: teachers_required(f),
    )
    per_school = enrol.groupby(["school_year", "institution_id", "unit_id"], as_index=False)[
        ["pupils", "classes", "class_capacity", "teachers_required"]
    ].sum()
    teachers = (
        keep(staff).groupby(["school_year", "institution_id"], as_index=False)["teachers"].sum()
    )
    rooms = (
        keep(facility)
        .groupby(["school_year", "institution_id"], as_index=False)["classrooms"]
        .sum()
    )
    school = per_school.merge(teachers, on=["school_year", "institution_id"], how="left")
    school = school.merge(rooms, on=["school_year", "institution_id"], how="left")
    staffed = school["teachers"].notna()
    school["pupils_staffed"] = school["pupils"].where(staffed, 0)
    school["teachers_required"] = school["teachers_required"].where(staffed, 0.0)
    school["teachers_matched"] = school["teachers"].fillna(0)
    school["shortfall"] = (school["classes"] - school["classrooms"]).clip(lower=0).fillna(0)
    school["schools"] = 1
    school["estimated_schools"] = _estimated_flags([enrol, keep(staff), keep(facility)], school)
    measures = school.groupby(keys, as_index=False)[
        [
            "pupils",
            "classes",
            "schools",
            "estimated_schools",
            "teachers_matched",
            "pupils_staffed",
            "teachers_required",
            "class_capacity",
            "classrooms",
            "shortfall",
        ]
    ].sum()
    # Every institution's teachers count, also where no enrolment was reported.
    all_staff = keep(staff).groupby(keys, as_index=False)["teachers"].sum()
    measures = measures.merge(all_staff, on=keys, how="outer")
    assessed = keep(dx).dropna(subset=["level"])
    dx_units = (
        assessed.groupby(keys)
        .agg(
            dx_assessed=("level", "size"),
            dx_level3=("level", lambda levels: int((levels.astype(int) == 3).sum())),
        )
        .reset_index()
    )
    measures = measures.merge(dx_units, on=keys, how="outer")
    for column in MEASURES:
        measures[column] = measures[column].fillna(0).astype(float)
    return measures[[*keys, *MEASURES]].sort_values(keys, ignore_index=True)


def map_values(measures: pd.DataFrame, kpi: str) -> pd.Series:
    """The value of map indicator ``kpi`` for each row of :func:`ward_measures` output."""
    if kpi not in MAP_KPIS:
        raise ValueError(f"unknown map indicator {kpi!r}")
    numerator, denominator, scale = MAP_KPIS[kpi]
    values = measures[numerator].astype(float)
    if denominator is not None:
        values = values / measures[denominator].astype(float).replace(0, np.nan)
    return values * scale


def _estimated_flags(frames: list[pd.DataFrame], school: pd.DataFrame) -> np.ndarray:
    """1 for each row of ``school`` with a figure of ``frames`` estimated for a late report."""
    keys = ["school_year", "institution_id"]
    flagged = [f[[*keys, "estimated"]] for f in frames if "estimated" in f]
    if not flagged:
        return np.zeros(len(school), dtype=int)
    late = pd.concat(flagged).groupby(keys)["estimated"].any()
    index = pd.MultiIndex.from_frame(school[keys])
    return late.reindex(index, fill_value=False).astype(int).to_numpy()
