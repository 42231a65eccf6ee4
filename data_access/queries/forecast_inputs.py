"""Inputs of the enrolment forecast: pupils and classrooms per ward and level, population.

Facts keep the unit valid on their date (old wards before 2025). Every institution carries
both its 2025 ward (``ward_id``) and its old ward (``old_ward_id``), so summing
per-institution facts by those two columns gives a series that is exact in *either*
geography for every year, without dividing any figure through the crosswalk. The rows here
keep both columns; :mod:`analytics.forecast_service` picks the geography.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, Float, and_, cast, func, select

from data_access.models import AdminUnit, FactEnrolment, FactFacility, Institution, Population
from data_access.queries.estimates import read_estimated
from data_access.queries.facts import in_years, level_band
from data_access.queries.registry import frame_of

#: The three levels of general education the forecast covers (preschool is left out).
LEVEL_NAMES = ("primary", "lower_secondary", "upper_secondary")


_frame = frame_of


def enrolment_by_ward(bind: Engine | Connection, *, by_grade: bool = False) -> pd.DataFrame:
    """Pupils per school year, institution ward (2025 and old) and level, grades 1–12.

    Schools that did not report a year are estimated from their own history (the rule of
    :mod:`data_access.queries.estimates`), so a sum never drops because reports are late.

    Parameters
    ----------
    bind
        An engine or a connection.
    by_grade
        Keep one row per grade (the cohort model of the forecast uses them).

    Returns
    -------
    pandas.DataFrame
        Columns ``school_year, ward_id, old_ward_id, level, [grade,] estimated, pupils,
        estimated_schools`` (``old_ward_id`` is missing for places that had no wards
        before 2025, e.g. Côn Đảo; ``estimated`` marks the part of a sum made of
        estimated schools, ``estimated_schools`` counts them, once per school and level);
        pupils as floats.
    """
    facts = read_estimated(bind, _grade_pupils, values=["pupils"], keys=["level", "grade"])
    keys = ["school_year", "ward_id", "old_ward_id", "level"]
    if by_grade:
        keys.append("grade")
    return _by_ward(bind, facts, keys, "pupils")


def _grade_pupils(bind: Engine | Connection, years: list[int] | None) -> pd.DataFrame:
    """Reported pupils per school year, institution, level band and grade (1–12)."""
    query = select(
        FactEnrolment.school_year,
        FactEnrolment.institution_id,
        level_band().label("level"),
        FactEnrolment.grade,
        FactEnrolment.pupils,
    ).where(FactEnrolment.grade >= 1)
    query = in_years(query, FactEnrolment.school_year, years).order_by(
        FactEnrolment.school_year, FactEnrolment.institution_id
    )
    facts = _frame(bind, query, ["school_year", "institution_id", "level", "grade", "pupils"])
    return facts.astype({"pupils": float})


def _by_ward(
    bind: Engine | Connection, facts: pd.DataFrame, keys: list[str], value: str
) -> pd.DataFrame:
    """Per-institution rows summed by the institutions' 2025 and old wards."""
    wards = _frame(
        bind,
        select(Institution.id, Institution.ward_id, Institution.old_ward_id),
        ["institution_id", "ward_id", "old_ward_id"],
    )
    frame = facts.merge(wards, on="institution_id")
    # An estimated school counts once per level, on its first row (it has one per grade).
    first = ~frame.duplicated(["school_year", "institution_id", "level"])
    frame["estimated_schools"] = (frame["estimated"] & first).astype(int)
    out = frame.groupby([*keys, "estimated"], as_index=False, dropna=False)[
        [value, "estimated_schools"]
    ].sum()
    out = out.sort_values(["school_year", "ward_id"], ignore_index=True)
    return out.astype({"school_year": int, value: float})


def classrooms_by_ward(bind: Engine | Connection) -> pd.DataFrame:
    """Classrooms per school year, institution ward (2025 and old) and level.

    A school teaching several levels (e.g. grades 1–9) has its classrooms shared among its
    levels in proportion to its classes of that year; classrooms of preschool classes and of
    schools that reported no classes that year are left out.

    Parameters
    ----------
    bind
        An engine or a connection.

    Schools that did not report a year are estimated as in :func:`enrolment_by_ward`.

    Returns
    -------
    pandas.DataFrame
        Columns ``school_year, ward_id, old_ward_id, level, estimated, classrooms,
        estimated_schools`` (classrooms as floats: a shared school contributes fractions).
    """
    facts = read_estimated(bind, _level_classrooms, values=["classrooms"], keys=["level"])
    return _by_ward(bind, facts, ["school_year", "ward_id", "old_ward_id", "level"], "classrooms")


def _level_classrooms(bind: Engine | Connection, years: list[int] | None) -> pd.DataFrame:
    """Reported classrooms per school year, institution and level (shared by classes)."""
    band = level_band()
    by_level = (
        select(
            FactEnrolment.school_year,
            FactEnrolment.institution_id,
            band.label("level"),
            func.sum(FactEnrolment.classes).label("classes"),
        )
        .group_by(FactEnrolment.school_year, FactEnrolment.institution_id, band)
        .subquery()
    )
    totals = (
        select(
            FactEnrolment.school_year,
            FactEnrolment.institution_id,
            func.sum(FactEnrolment.classes).label("classes"),
        )
        .group_by(FactEnrolment.school_year, FactEnrolment.institution_id)
        .subquery()
    )
    share = cast(FactFacility.classrooms, Float) * by_level.c.classes / totals.c.classes
    query = (
        select(
            FactFacility.school_year,
            FactFacility.institution_id,
            by_level.c.level,
            func.sum(share),
        )
        .join(
            by_level,
            and_(
                by_level.c.school_year == FactFacility.school_year,
                by_level.c.institution_id == FactFacility.institution_id,
            ),
        )
        .join(
            totals,
            and_(
                totals.c.school_year == FactFacility.school_year,
                totals.c.institution_id == FactFacility.institution_id,
            ),
        )
        .where(totals.c.classes > 0, by_level.c.level.in_(LEVEL_NAMES))
        .group_by(FactFacility.school_year, FactFacility.institution_id, by_level.c.level)
    )
    query = in_years(query, FactFacility.school_year, years)
    facts = _frame(bind, query, ["school_year", "institution_id", "level", "classrooms"])
    return facts.astype({"classrooms": float})


def population_by_unit(bind: Engine | Connection, kind: str) -> pd.DataFrame:
    """Population rows of the units of ``kind`` (e.g. ``ward`` for the 2025 wards).

    Parameters
    ----------
    bind
        An engine or a connection.
    kind
        An ``admin_unit.kind``.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit_id, year, age_group, population`` (``age_group`` is ``total`` or a
        5-year band such as ``05-09``).
    """
    query = (
        select(Population.unit_id, Population.year, Population.age_group, Population.population)
        .join(AdminUnit, AdminUnit.id == Population.unit_id)
        .where(AdminUnit.kind == kind)
        .order_by(Population.unit_id, Population.year, Population.age_group)
    )
    frame = _frame(bind, query, ["unit_id", "year", "age_group", "population"])
    return frame.astype({"year": int, "population": float})
