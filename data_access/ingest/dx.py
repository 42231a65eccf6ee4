"""The ``dx_assessments`` dataset: schools' DX assessments, one row per criterion.

A file holds, for each school, school year and criteria set, the self-assessed and reviewed
points of each criterion with the assessment's status and dates (the same on every row of an
assessment). It is checked against the criteria loaded as data — an unknown set or criterion,
or points above the criterion's maximum, name their row and column — and written as one
:class:`DxAssessment` per school, year and set (updated in place when it exists, so its id
stays) with its :class:`DxScore` rows applied through the ledger (equal scores left alone,
missing ones removed; the ledger keeps the scores only, so such a batch cannot be undone).
Group totals, whether the mandatory conditions are met and the published level are computed
here, as the generator computes them (``data_access/reference/dx.py`` states the scale:
non-mandatory points over the group's listed points × 100; mandatory criteria score 1 when
met). Criteria missing from a file score 0. Evidence is not part of the format: a reload
clears it from every score whose points it changes, and keeps it where they are unchanged.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Table, insert, select, update

from data_access.generator.dx import band
from data_access.ingest.datasets import DATASETS, DX_ASSESSMENTS
from data_access.ingest.ledger import Changes, apply_rows
from data_access.ingest.validate import Problem, check
from data_access.models import DxAssessment, DxCriteriaSet, DxCriterion, DxScore, Institution

#: Columns that describe the assessment rather than the criterion: equal on all its rows.
ASSESSMENT_FIELDS = ("status", "submitted_on", "published_on")
ASSESSMENT_KEY = ["school_year", "institution_code", "criteria_set"]
#: Statuses after the review: every criterion needs its reviewed points.
REVIEWED = ("reviewed", "published")


def criteria(bind: Engine | Connection) -> pd.DataFrame:
    """Every criterion with its set: ``set_id, set_code, criterion_id, code, group,
    max_points, mandatory``."""
    query = select(
        DxCriteriaSet.id,
        DxCriteriaSet.code,
        DxCriterion.id,
        DxCriterion.code,
        DxCriterion.group,
        DxCriterion.max_points,
        DxCriterion.mandatory,
    ).join(DxCriterion, DxCriterion.set_id == DxCriteriaSet.id)
    columns = ["set_id", "set_code", "criterion_id", "code", "group", "max_points", "mandatory"]
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            rows = connection.execute(query).all()
    else:
        rows = bind.execute(query).all()
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"max_points": float, "mandatory": bool})


def _row(index: Any) -> int:
    return int(index) + 2


def check_file(engine: Engine, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """The ``checker`` hook of ``dx_assessments``: the file's columns (as every dataset's),
    then its criteria; the rows come back with their institution, set and criterion ids."""
    dataset = DATASETS[DX_ASSESSMENTS]
    query = select(Institution.code, Institution.id.label("institution_id"))
    with engine.connect() as connection:
        registry = pd.DataFrame(
            connection.execute(query).all(), columns=["code", "institution_id"]
        ).set_index("code")
    checked = check(dataset, raw, set(registry.index))
    frame, problems = checked.frame, checked.problems
    if set(dataset.header) <= set(frame.columns):
        frame, more = check_criteria(engine, frame)
        problems += more
    if not problems:
        frame = frame.join(registry, on="institution_code")
    return frame, problems


def check_criteria(engine: Engine, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """The rows with their set and criterion ids, and every problem the criteria reveal.

    Unknown criteria sets and criteria, points above a criterion's maximum (1 for a
    mandatory condition), missing reviewed points once reviewed, and an assessment whose rows
    disagree on its status or dates.
    """
    problems: list[Problem] = []
    known = criteria(engine)
    sets = set(known["set_code"])
    by_code = known.set_index(["set_code", "code"])
    merged = frame.join(by_code, on=["criteria_set", "criterion_code"])
    for index, row in merged.iterrows():
        if row["criteria_set"] not in sets:
            message = f"unknown criteria set {row['criteria_set']!r}"
            problems.append(Problem(_row(index), "criteria_set", message))
            continue
        if pd.isna(row["criterion_id"]):
            message = f"unknown criterion {row['criterion_code']!r} of {row['criteria_set']}"
            problems.append(Problem(_row(index), "criterion_code", message))
            continue
        most = 1.0 if row["mandatory"] else float(row["max_points"])
        for column in ("self_points", "reviewed_points"):
            value = row[column]
            if pd.notna(value) and value > most:
                what = "a mandatory condition (1 = met)" if row["mandatory"] else "the criterion"
                message = f"{_number(value)} is above the maximum of {what}: {_number(most)}"
                problems.append(Problem(_row(index), column, message))
        if row["status"] in REVIEWED and pd.isna(row["reviewed_points"]):
            message = f"is required when the status is {row['status']}"
            problems.append(Problem(_row(index), "reviewed_points", message))
    problems += _disagreements(frame)
    return merged, problems


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _disagreements(frame: pd.DataFrame) -> list[Problem]:
    """Rows whose status or dates differ from the first row of the same assessment."""
    problems: list[Problem] = []
    for _, rows in frame.groupby(ASSESSMENT_KEY, sort=False):
        first = rows.iloc[0]
        for index, row in rows.iloc[1:].iterrows():
            for column in ASSESSMENT_FIELDS:
                if not _same(row[column], first[column]):
                    message = (
                        f"differs from row {_row(rows.index[0])} of the same assessment "
                        f"(school, year and set): {row[column]!s} ≠ {first[column]!s}"
                    )
                    problems.append(Problem(_row(index), column, message))
    return problems


def _same(a: Any, b: Any) -> bool:
    missing_a, missing_b = a is None or pd.isna(a), b is None or pd.isna(b)
    return (missing_a and missing_b) or (not missing_a and not missing_b and a == b)


def _totals(rows: pd.DataFrame, known: pd.DataFrame, column: str) -> dict[int, float | None]:
    """Group totals (0–100) of one assessment's ``column`` points; None if any is missing."""
    if rows[column].isna().any():
        return {1: None, 2: None}
    points = rows.set_index("criterion_id")[column]
    out: dict[int, float | None] = {}
    for group in (1, 2):
        listed = known[(known["group"] == group) & ~known["mandatory"]]
        most = float(listed["max_points"].sum())
        got = float(points.reindex(listed["criterion_id"]).fillna(0).sum())
        out[group] = round(got / most * 100, 4) if most else None
    return out


def _assessment(rows: pd.DataFrame, known: pd.DataFrame) -> dict[str, Any]:
    """The :class:`DxAssessment` values of one assessment's rows."""
    first = rows.iloc[0]
    own = _totals(rows, known, "self_points")
    checked = _totals(rows, known, "reviewed_points")
    counted = rows.set_index("criterion_id")["reviewed_points"].fillna(
        rows.set_index("criterion_id")["self_points"]
    )
    mandatory = known.loc[known["mandatory"], "criterion_id"]
    met = bool((counted.reindex(mandatory).fillna(0) >= 1).all())
    level = None
    if first["status"] == "published" and None not in checked.values():
        level = int(np.minimum(band(checked[1]), band(checked[2])))
    return {
        "institution_id": int(first["institution_id"]),
        "set_id": int(first["set_id"]),
        "school_year": int(first["school_year"]),
        "status": str(first["status"]),
        "self_group1": own[1],
        "self_group2": own[2],
        "reviewed_group1": checked[1],
        "reviewed_group2": checked[2],
        "mandatory_met": met,
        "level": level,
        "submitted_on": _day(first["submitted_on"]),
        "published_on": _day(first["published_on"]),
        "generated": False,
    }


def _day(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _points(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def write(
    connection: Connection, frame: pd.DataFrame, batch_id: int, username: str
) -> tuple[Table, list[str], Changes]:
    """The ``writer`` hook of ``dx_assessments``: write the checked rows (with
    ``institution_id``, ``set_id``, ``criterion_id``) in the caller's transaction.

    Each assessment is inserted, or updated in place with its recomputed totals, status and
    dates when a score, its status or a date changed (else it is left as it is); its
    :class:`DxScore` rows go through the ledger's :func:`apply_rows`, so equal scores are
    left alone (their evidence kept) and those missing from the file are removed.

    Returns
    -------
    tuple
        The score table, its key and what was done to it (``batch_id`` and ``username`` are
        not stored: ``dx_score`` has no batch column). The ledger records the replaced scores
        only, not the assessments' previous values, so such a batch cannot be undone
        (``Dataset.undo_refusal``).
    """
    known = criteria(connection)
    score = DxScore.__table__
    key = ["assessment_id", "criterion_id"]
    total = Changes()
    a = DxAssessment
    for _, rows in frame.groupby(ASSESSMENT_KEY, sort=True):
        values = _assessment(rows, known[known["set_id"] == int(rows["set_id"].iloc[0])])
        existing = (
            connection.execute(
                select(a.__table__).where(
                    a.institution_id == values["institution_id"],
                    a.set_id == values["set_id"],
                    a.school_year == values["school_year"],
                )
            )
            .mappings()
            .first()
        )
        if existing is None:
            assessment_id = connection.execute(
                insert(a).values(**values).returning(a.id)
            ).scalar_one()
            stored: list[dict[str, Any]] = []
        else:
            assessment_id = existing["id"]
            query = select(score).where(score.c.assessment_id == assessment_id)
            stored = [dict(r) for r in connection.execute(query).mappings()]
        changes = apply_rows(
            connection,
            score,
            key,
            [
                {
                    "assessment_id": assessment_id,
                    "criterion_id": int(r.criterion_id),
                    "self_score": float(r.self_points),
                    "reviewed_score": _points(r.reviewed_points),
                    "evidence": None,
                }
                for r in rows.itertuples()
            ],
            stored,
            batch_id=None,
            remove_missing=True,
            written_not_compared=("evidence",),  # not in the format: kept while points stay
        )
        if existing is not None and _changed(existing, values, changes):
            connection.execute(update(a).where(a.id == assessment_id).values(**values))
        total.inserted += changes.inserted
        total.replaced += changes.replaced
        total.updated += changes.updated
        total.unchanged += changes.unchanged
        total.removed += changes.removed
    return score, key, total


def _changed(stored: Any, values: dict[str, Any], changes: Changes) -> bool:
    """Whether a stored assessment needs its values rewritten: a score or a field of the
    file changed (an unchanged assessment keeps its totals and its ``generated`` label)."""
    if changes.inserted or changes.updated or changes.removed:
        return True
    return any(not _same(stored[f], values[f]) for f in ASSESSMENT_FIELDS)


def export_frame(engine: Engine, school_year: int | None = None) -> pd.DataFrame:
    """Every stored criterion score in the load format (assessments that hold only group
    totals, such as the generated years without detail, have no rows to write)."""
    a, s, c = DxAssessment, DxScore, DxCriterion
    query = (
        select(
            a.school_year,
            Institution.code,
            DxCriteriaSet.code,
            c.code,
            s.self_score,
            s.reviewed_score,
            a.status,
            a.submitted_on,
            a.published_on,
        )
        .join(a, a.id == s.assessment_id)
        .join(Institution, Institution.id == a.institution_id)
        .join(c, c.id == s.criterion_id)
        .join(DxCriteriaSet, DxCriteriaSet.id == a.set_id)
        .order_by(a.school_year, Institution.code, DxCriteriaSet.code, c.id)
    )
    if school_year is not None:
        query = query.where(a.school_year == school_year)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=DATASETS[DX_ASSESSMENTS].header)
    for column in ("submitted_on", "published_on"):
        frame[column] = frame[column].map(lambda d: d.isoformat() if d is not None else "")
    for column in ("self_points", "reviewed_points"):
        frame[column] = frame[column].map(lambda v: "" if pd.isna(v) else _number(float(v)))
    return frame
