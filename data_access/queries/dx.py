"""DX index reads: assessments per school and school year, and the criteria sets loaded as data.

Portable SQL (SQLite and PostgreSQL); the city's institutions only.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, case, func, select

from data_access.models import DxAssessment, DxCriteriaSet, DxCriterion, DxScore, Institution
from data_access.queries.facts import in_city
from data_access.queries.registry import connect, frame_of

ASSESSMENT_COLUMNS = [
    "id",
    "institution_id",
    "set_code",
    "school_year",
    "status",
    "self_group1",
    "self_group2",
    "reviewed_group1",
    "reviewed_group2",
    "mandatory_met",
    "level",
    "submitted_on",
    "published_on",
    "generated",
]
SCORE_COLUMNS = ["self_group1", "self_group2", "reviewed_group1", "reviewed_group2"]


def assessment_years(bind: Engine | Connection) -> list[int]:
    """School years that have at least one DX assessment of a school of the city, oldest
    first."""
    query = (
        select(DxAssessment.school_year)
        .distinct()
        .join(Institution, Institution.id == DxAssessment.institution_id)
        .where(in_city(Institution.ward_id))
        .order_by(DxAssessment.school_year)
    )
    with connect(bind) as connection:
        return [int(year) for year in connection.execute(query).scalars()]


def assessments(bind: Engine | Connection, years: list[int] | None = None) -> pd.DataFrame:
    """Every DX assessment of the city's institutions (of ``years`` when given).

    Parameters
    ----------
    bind
        An engine or a connection.
    years
        Keep only these school years (all when None).

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`ASSESSMENT_COLUMNS`: the assessment id, institution, the code of
        its criteria set, school year, status, self and reviewed group scores (0–100, float;
        reviewed scores missing until the review), whether the mandatory conditions are met,
        the published level (``Int64``, missing until published), the submission and
        publication dates and the ``generated`` flag. Ordered by year and institution.
    """
    a = DxAssessment
    query = (
        select(
            a.id,
            a.institution_id,
            DxCriteriaSet.code,
            a.school_year,
            a.status,
            a.self_group1,
            a.self_group2,
            a.reviewed_group1,
            a.reviewed_group2,
            a.mandatory_met,
            a.level,
            a.submitted_on,
            a.published_on,
            a.generated,
        )
        .join(Institution, Institution.id == a.institution_id)
        .join(DxCriteriaSet, DxCriteriaSet.id == a.set_id)
        .where(in_city(Institution.ward_id))
        .order_by(a.school_year, a.institution_id)
    )
    if years is not None:
        query = query.where(a.school_year.in_(years))
    frame = frame_of(bind, query, ASSESSMENT_COLUMNS)
    for column in SCORE_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["level"] = pd.to_numeric(frame["level"], errors="coerce").astype("Int64")
    frame["mandatory_met"] = frame["mandatory_met"].astype(bool)
    frame["generated"] = frame["generated"].astype(bool)
    return frame


def criteria_sets(bind: Engine | Connection) -> pd.DataFrame:
    """The criteria sets with a summary of their criteria per group.

    Returns
    -------
    pandas.DataFrame
        One row per set and group: ``set_id, code, title, source, note, group, criteria,
        mandatory, max_points`` (number of criteria, of mandatory ones, and their points).
        A set without criteria has one row with ``group`` missing.
    """
    c = DxCriterion
    mandatory = func.sum(case((c.mandatory, 1), else_=0))
    query = (
        select(
            DxCriteriaSet.id,
            DxCriteriaSet.code,
            DxCriteriaSet.title,
            DxCriteriaSet.source,
            DxCriteriaSet.note,
            c.group,
            func.count(c.id),
            mandatory,
            func.sum(c.max_points),
        )
        .outerjoin(c, c.set_id == DxCriteriaSet.id)
        .group_by(
            DxCriteriaSet.id,
            DxCriteriaSet.code,
            DxCriteriaSet.title,
            DxCriteriaSet.source,
            DxCriteriaSet.note,
            c.group,
        )
        .order_by(DxCriteriaSet.id, c.group)
    )
    frame = frame_of(
        bind,
        query,
        [
            "set_id",
            "code",
            "title",
            "source",
            "note",
            "group",
            "criteria",
            "mandatory",
            "max_points",
        ],
    )
    return frame.astype({"criteria": int}).assign(
        mandatory=pd.to_numeric(frame["mandatory"]).fillna(0).astype(int),
        max_points=pd.to_numeric(frame["max_points"]).fillna(0.0).astype(float),
    )


def latest_assessment(
    bind: Engine | Connection, institution_id: int, school_year: int
) -> dict[str, Any] | None:
    """An institution's assessment of ``school_year`` (the later one when two criteria sets
    were used), or None: ``id, set_id, set_code, status``."""
    a = DxAssessment
    query = (
        select(a.id, a.set_id, DxCriteriaSet.code, a.status)
        .join(DxCriteriaSet, DxCriteriaSet.id == a.set_id)
        .where(a.institution_id == institution_id, a.school_year == school_year)
        .order_by(a.id.desc())
        .limit(1)
    )
    with connect(bind) as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    return {"id": int(row[0]), "set_id": int(row[1]), "set_code": row[2], "status": row[3]}


def set_criteria(bind: Engine | Connection, set_id: int) -> pd.DataFrame:
    """The criteria of one set: ``code, group, title_vi, max_points, mandatory``, in order."""
    c = DxCriterion
    query = (
        select(c.code, c.group, c.title_vi, c.max_points, c.mandatory)
        .where(c.set_id == set_id)
        .order_by(c.id)
    )
    frame = frame_of(bind, query, ["code", "group", "title_vi", "max_points", "mandatory"])
    return frame.astype({"group": int, "max_points": float, "mandatory": bool})


def assessment_scores(bind: Engine | Connection, assessment_id: int) -> pd.DataFrame:
    """The per-criterion scores of one assessment: ``code, self_score, reviewed_score``
    (empty for an assessment that holds group totals only)."""
    s, c = DxScore, DxCriterion
    query = (
        select(c.code, s.self_score, s.reviewed_score)
        .join(c, c.id == s.criterion_id)
        .where(s.assessment_id == assessment_id)
        .order_by(c.id)
    )
    frame = frame_of(bind, query, ["code", "self_score", "reviewed_score"])
    for column in ("self_score", "reviewed_score"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame


def institution_years(bind: Engine | Connection, institution_id: int) -> list[int]:
    """School years in which an institution has a DX assessment, oldest first."""
    a = DxAssessment
    query = (
        select(a.school_year)
        .distinct()
        .where(a.institution_id == institution_id)
        .order_by(a.school_year)
    )
    with connect(bind) as connection:
        return [int(year) for year in connection.execute(query).scalars()]
