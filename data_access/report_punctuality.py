"""Who sent the quarterly report on time: every expected reporter (units and schools)."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, select

from data_access import plan_calendar as cal
from data_access.models import AdminUnit, Institution, PlanUnit, QuarterlyReport
from data_access.models.institutions import SCHOOL_KINDS
from data_access.queries.registry import connect, frame_of

#: Kinds of plan units that report themselves (groups such as PCM and CSGD do not).
UNIT_KINDS = ("department_office", "centre", "division", "inspectorate")
COLUMNS = ["reporter", "name", "kind", "group", "ward_code", "state", "submitted_at", "late"]


def punctuality(
    bind: Engine | Connection, quarter: str, *, now: datetime | None = None
) -> pd.DataFrame:
    """Every reporter expected for ``quarter`` and how its report stands.

    Parameters
    ----------
    bind
        Engine or connection.
    quarter
        ``YYYYQn``.
    now
        The moment of judgement (aware; now when None): before the deadline a report not
        sent is ``not_due``, after it ``missing``.

    Returns
    -------
    pandas.DataFrame
        ``reporter, name, kind, group, ward_code, state, submitted_at, late``: ``group`` is
        ``unit`` or ``school``, ``kind`` the unit's or institution's kind, ``ward_code`` the
        school's 2025 ward (None for units), ``state`` one of on_time, late, returned,
        missing, not_due; ``submitted_at`` the first submission (naive UTC).
    """
    quarter = f"{cal.parse_quarter(quarter)[0]}Q{cal.parse_quarter(quarter)[1]}"
    now = cal.aware(now or datetime.now(UTC))
    year = int(quarter[:4])
    with connect(bind) as connection:
        units = frame_of(
            connection,
            select(PlanUnit.code, PlanUnit.name_vi, PlanUnit.kind).where(
                PlanUnit.kind.in_(UNIT_KINDS)
            ),
            ["reporter", "name", "kind"],
        ).assign(group="unit", ward_code=None)
        schools = frame_of(
            connection,
            select(Institution.id, Institution.name, Institution.kind, AdminUnit.code)
            .join(AdminUnit, AdminUnit.id == Institution.ward_id)
            .where(
                Institution.kind.in_(SCHOOL_KINDS),
                (Institution.opened_year.is_(None)) | (Institution.opened_year <= year),
                (Institution.closed_year.is_(None)) | (Institution.closed_year > year),
            ),
            ["reporter", "name", "kind", "ward_code"],
        ).assign(group="school")
        schools["reporter"] = "school:" + schools["reporter"].astype(str)
        sent = frame_of(
            connection,
            select(
                QuarterlyReport.reporter,
                QuarterlyReport.state,
                QuarterlyReport.submitted_at,
                QuarterlyReport.late,
            ).where(QuarterlyReport.quarter == quarter),
            ["reporter", "report_state", "submitted_at", "late"],
        )
    expected = pd.concat([units, schools], ignore_index=True)
    frame = expected.merge(sent, on="reporter", how="left")
    overdue = now > cal.deadline(quarter)
    frame["state"] = [
        _state(state, late, overdue)
        for state, late in zip(frame["report_state"], frame["late"], strict=True)
    ]
    frame["late"] = frame["late"].fillna(False).astype(bool)
    return frame[COLUMNS]


def _state(report_state: object, late: object, overdue: bool) -> str:
    if report_state == "returned":
        return "returned"
    if report_state == "submitted":
        return "late" if bool(late) else "on_time"
    return "missing" if overdue else "not_due"
