"""Yearly facts for the control room and the domain pages (portable SQL: SQLite, PostgreSQL).

Every fact row keeps the unit valid in its school year (old wards before 2025, 2025 wards
from then on); callers carry figures between geographies with :mod:`analytics.boundaries`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, case, func, literal_column, select, union

from data_access.models import (
    DOMAIN_FACTS,
    OLD_WARD,
    WARD_2025,
    AdminUnit,
    DxAssessment,
    FactEnrolment,
    FactFacility,
    FactNonPublic,
    FactStaff,
    Institution,
)
from data_access.queries import estimates
from data_access.queries.indicators import INDICATORS, Indicator
from data_access.queries.registry import connect, frame_of

#: The first school year whose facts use the 2025 wards (it starts in September 2025).
FIRST_2025_YEAR = 2025
CITY_UNIT_KINDS = (WARD_2025, OLD_WARD)
KEYS = ["school_year", "unit_id", "level", "ownership"]


_frame = frame_of


def in_years(query: Any, column: Any, years: list[int] | None) -> Any:
    """``query`` limited to the school ``years`` of ``column`` (all when None)."""
    return query if years is None else query.where(column.in_(years))


def in_city(column: Any) -> Any:
    """SQL: ``column`` names a unit of the city (a 2025 ward or an old ward).

    The warehouse at national scale also holds the other provinces; the Department's
    pages read the city only.
    """
    return column.in_(select(AdminUnit.id).where(AdminUnit.kind.in_(CITY_UNIT_KINDS)))


def level_band() -> Any:
    """SQL: the level band of ``fact_enrolment.grade`` (0 preschool, 1–5, 6–9, 10–12)."""
    grade = FactEnrolment.grade
    return case(
        (grade <= 0, "preschool"),
        (grade <= 5, "primary"),
        (grade <= 9, "lower_secondary"),
        else_="upper_secondary",
    )


def school_years(bind: Engine | Connection) -> list[int]:
    """School years that have enrolment facts, oldest first."""
    query = (
        select(FactEnrolment.school_year)
        .distinct()
        .where(in_city(FactEnrolment.unit_id))
        .order_by(FactEnrolment.school_year)
    )
    with connect(bind) as connection:
        return [int(year) for year in connection.execute(query).scalars()]


def enrolment(
    bind: Engine | Connection,
    years: list[int] | None = None,
    *,
    institution_id: int | None = None,
    estimate: bool = False,
) -> pd.DataFrame:
    """Pupils, girls and classes per school year, institution and level band.

    With ``estimate``, schools that did not report a year get an estimated row (the rule of
    :mod:`data_access.queries.estimates`) flagged ``estimated``.

    Returns
    -------
    pandas.DataFrame
        Columns ``school_year, institution_id, unit_id, level, pupils, girls, classes``
        (and ``estimated`` with ``estimate``).
    """
    if estimate:
        return estimates.read_estimated(
            bind, enrolment, years, values=["pupils", "girls", "classes"], keys=["level"]
        )
    band = level_band().label("level")
    query = (
        select(
            FactEnrolment.school_year,
            FactEnrolment.institution_id,
            FactEnrolment.unit_id,
            band,
            func.sum(FactEnrolment.pupils),
            func.sum(FactEnrolment.girls),
            func.sum(FactEnrolment.classes),
        )
        .where(in_city(FactEnrolment.unit_id))
        .group_by(
            FactEnrolment.school_year, FactEnrolment.institution_id, FactEnrolment.unit_id, band
        )
    )
    if institution_id is not None:
        query = query.where(FactEnrolment.institution_id == institution_id)
    frame = _frame(
        bind,
        in_years(query, FactEnrolment.school_year, years),
        ["school_year", "institution_id", "unit_id", "level", "pupils", "girls", "classes"],
    )
    return frame.astype({"pupils": float, "girls": float, "classes": float})


def _one_figure(
    bind: Engine | Connection,
    model: Any,
    column: str,
    years: list[int] | None,
    institution_id: int | None,
) -> pd.DataFrame:
    """One yearly figure of a fact table per institution in the city (as floats)."""
    query = select(
        model.school_year, model.institution_id, model.unit_id, getattr(model, column)
    ).where(in_city(model.unit_id))
    if institution_id is not None:
        query = query.where(model.institution_id == institution_id)
    frame = _frame(
        bind,
        in_years(query, model.school_year, years),
        ["school_year", "institution_id", "unit_id", column],
    )
    return frame.astype({column: float})


def staff(
    bind: Engine | Connection,
    years: list[int] | None = None,
    *,
    institution_id: int | None = None,
    estimate: bool = False,
) -> pd.DataFrame:
    """Teachers per school year and institution (``school_year, institution_id, unit_id,
    teachers``; ``estimate`` as in :func:`enrolment`)."""
    if estimate:
        return estimates.read_estimated(bind, staff, years, values=["teachers"])
    return _one_figure(bind, FactStaff, "teachers", years, institution_id)


def facility(
    bind: Engine | Connection,
    years: list[int] | None = None,
    *,
    institution_id: int | None = None,
    estimate: bool = False,
) -> pd.DataFrame:
    """Classrooms per school year and institution (``school_year, institution_id, unit_id,
    classrooms``; ``estimate`` as in :func:`enrolment`)."""
    if estimate:
        return estimates.read_estimated(bind, facility, years, values=["classrooms"])
    return _one_figure(bind, FactFacility, "classrooms", years, institution_id)


#: Yearly activity figures of a non-public unit (centre, consultancy, office).
NONPUBLIC_COLUMNS = ("learners", "staff", "courses", "inspections", "violations")


def nonpublic(bind: Engine | Connection, *, institution_id: int) -> pd.DataFrame:
    """One non-public unit's activity per school year (``school_year`` and
    :data:`NONPUBLIC_COLUMNS`, as floats)."""
    model = FactNonPublic
    query = (
        select(model.school_year, *(getattr(model, c) for c in NONPUBLIC_COLUMNS))
        .where(model.institution_id == institution_id)
        .order_by(model.school_year)
    )
    frame = _frame(bind, query, ["school_year", *NONPUBLIC_COLUMNS])
    return frame.astype(dict.fromkeys(NONPUBLIC_COLUMNS, float))


def dx_levels(
    bind: Engine | Connection, years: list[int] | None = None, *, institution_id: int | None = None
) -> pd.DataFrame:
    """Published DX level per school year and institution, with the unit of that year.

    Returns
    -------
    pandas.DataFrame
        Columns ``school_year, institution_id, unit_id, level`` (level 1–3 or missing).
    """
    unit = case(
        (DxAssessment.school_year >= FIRST_2025_YEAR, Institution.ward_id),
        else_=func.coalesce(Institution.old_ward_id, Institution.ward_id),
    )
    query = (
        select(DxAssessment.school_year, DxAssessment.institution_id, unit, DxAssessment.level)
        .join(Institution, Institution.id == DxAssessment.institution_id)
        .where(in_city(Institution.ward_id))
    )
    if institution_id is not None:
        query = query.where(DxAssessment.institution_id == institution_id)
    return _frame(
        bind,
        in_years(query, DxAssessment.school_year, years),
        ["school_year", "institution_id", "unit_id", "level"],
    )


def reporters(
    bind: Engine | Connection,
    years: list[int] | None = None,
    *,
    domain_ids: list[int] | None = None,
) -> pd.DataFrame:
    """Which institution reported facts of which domain (all, or ``domain_ids``) and when.

    Returns
    -------
    pandas.DataFrame
        Columns ``domain_id, school_year, institution_id, unit_id`` (one row each).
    """
    parts = []
    for domain_id, models in DOMAIN_FACTS.items():
        if domain_ids is not None and domain_id not in domain_ids:
            continue
        for model in models:
            parts.append(
                in_years(
                    select(
                        literal_column(str(int(domain_id))).label("domain_id"),
                        model.school_year,
                        model.institution_id,
                        model.unit_id,
                    ).where(in_city(model.unit_id)),
                    model.school_year,
                    years,
                )
            )
    return _frame(bind, union(*parts), ["domain_id", "school_year", "institution_id", "unit_id"])


def _indicator_columns(indicators: tuple[Indicator, ...], model: type) -> list[Any]:
    columns = []
    for indicator in indicators:
        if indicator.model is not model:
            continue
        columns.append(func.sum(indicator.numerator(model)).label(f"{indicator.key}__num"))
        if indicator.denominator is not None:
            columns.append(func.sum(indicator.denominator(model)).label(f"{indicator.key}__den"))
    return columns


def domain_frame(
    bind: Engine | Connection, domain_id: int, *, years: list[int] | None = None
) -> pd.DataFrame:
    """The additive parts of every indicator of a domain, per year, unit, level and owner.

    Schools that did not report a year are estimated from their own history (the one rule
    of :mod:`data_access.queries.estimates`, per fact table), so a sum never drops because
    reports are late; ``estimated_schools`` counts the schools estimated in each row.

    Parameters
    ----------
    bind
        An engine or a connection.
    domain_id
        1–7 (plan_2023/data_domains.csv).
    years
        Only these school years (all when None).

    Returns
    -------
    pandas.DataFrame
        Columns ``school_year, unit_id, level, ownership``, ``<key>__num`` /
        ``<key>__den`` of each indicator (floats, 0 where a table had no row) and
        ``estimated_schools``.
    """
    indicators = INDICATORS[domain_id]
    parts = []
    for model in dict.fromkeys(indicator.model for indicator in indicators):
        columns = [c.name for c in _indicator_columns(indicators, model)]
        read = partial(_institution_parts, indicators=indicators, model=model)
        parts.append(estimates.read_estimated(bind, read, years, values=columns))
    rows = pd.concat(parts, ignore_index=True)
    value_columns = [c for c in rows.columns if c not in (*INSTITUTION_KEYS, "estimated")]
    # One row per school and year: a school estimated in any of the domain's tables counts.
    rows = rows.groupby(INSTITUTION_KEYS, as_index=False).agg(
        **{c: (c, "sum") for c in value_columns}, estimated=("estimated", "any")
    )
    owners = _frame(
        bind,
        select(Institution.id, func.coalesce(Institution.level, "other"), Institution.ownership),
        ["institution_id", "level", "ownership"],
    )
    rows = rows.merge(owners, on="institution_id")
    frame = rows.groupby(KEYS, as_index=False, dropna=False).agg(
        **{c: (c, "sum") for c in value_columns}, estimated_schools=("estimated", "sum")
    )
    frame[value_columns] = frame[value_columns].astype(float).fillna(0.0)
    return frame.astype({"estimated_schools": int})


#: The columns that place one institution's figures of one year.
INSTITUTION_KEYS = ["school_year", "institution_id", "unit_id"]


def _institution_parts(
    bind: Engine | Connection,
    years: list[int] | None,
    *,
    indicators: tuple[Indicator, ...],
    model: type,
) -> pd.DataFrame:
    """The additive parts of ``indicators`` read from ``model``, per year and institution."""
    columns = _indicator_columns(indicators, model)
    query = (
        select(model.school_year, model.institution_id, model.unit_id, *columns)
        .where(in_city(model.unit_id))
        .group_by(model.school_year, model.institution_id, model.unit_id)
    )
    frame = _frame(
        bind,
        in_years(query, model.school_year, years),
        [*INSTITUTION_KEYS, *(c.name for c in columns)],
    )
    return frame.astype({c.name: float for c in columns})


def institution_values(bind: Engine | Connection, domain_id: int, year: int) -> pd.DataFrame:
    """The additive parts of a domain's indicators per institution for one school year, as
    reported (nothing estimated: the quality panel judges what schools sent).

    Returns
    -------
    pandas.DataFrame
        Columns ``institution_id, unit_id`` and the ``<key>__num`` / ``<key>__den`` columns.
    """
    indicators = INDICATORS[domain_id]
    frames = [
        _institution_parts(bind, [year], indicators=indicators, model=model).drop(
            columns="school_year"
        )
        for model in dict.fromkeys(indicator.model for indicator in indicators)
    ]
    frame = frames[0]
    for other in frames[1:]:
        frame = frame.merge(other, on=["institution_id", "unit_id"], how="outer")
    value_columns = [c for c in frame.columns if c not in ("institution_id", "unit_id")]
    frame[value_columns] = frame[value_columns].astype(float).fillna(0.0)
    return frame


def coverage(bind: Engine | Connection, year: int) -> pd.DataFrame:
    """Per domain: institutions expected to report in ``year`` and those that did, in SQL.

    The same definition as :func:`analytics.quality.reporting_coverage` (expected = reported
    this year, plus last year's reporters still open and silent this year), counted by the
    database so that no per-institution rows travel.

    Returns
    -------
    pandas.DataFrame
        Columns ``domain_id, expected, reported, share`` (share 0–1, NaN when none expected).
    """
    opened = (Institution.opened_year.is_(None)) | (Institution.opened_year <= year)
    still_open = (Institution.closed_year.is_(None)) | (Institution.closed_year > year)
    rows = []
    with connect(bind) as connection:
        for domain_id, models in DOMAIN_FACTS.items():
            now = union(
                *(
                    select(m.institution_id.label("iid")).where(
                        m.school_year == year, in_city(m.unit_id)
                    )
                    for m in models
                )
            ).subquery()
            before = union(
                *(
                    select(m.institution_id.label("iid")).where(
                        m.school_year == year - 1, in_city(m.unit_id)
                    )
                    for m in models
                )
            ).subquery()
            reported = connection.execute(select(func.count()).select_from(now)).scalar_one()
            silent = connection.execute(
                select(func.count())
                .select_from(before)
                .join(Institution, Institution.id == before.c.iid)
                .where(opened, still_open, before.c.iid.not_in(select(now.c.iid)))
            ).scalar_one()
            expected = reported + silent
            rows.append(
                {
                    "domain_id": domain_id,
                    "expected": expected,
                    "reported": reported,
                    "share": reported / expected if expected else float("nan"),
                }
            )
    return pd.DataFrame(rows, columns=["domain_id", "expected", "reported", "share"])
