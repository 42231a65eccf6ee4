"""Quarterly reports of plan 723 (Phụ lục II) written by units and schools: Dash-free service
(writes; the reads are in :mod:`data_access.plan_report_reads`).

A report is one reporter's (a unit, or a school as ``school:<id>``) for one quarter; its
items are the tasks it reports on, keyed by :attr:`PlanTask.key`. Every save writes the items
and a new :class:`ReportVersion` in one transaction. The rules of who may write what are in
:mod:`data_access.report_rules`; deadlines in :mod:`data_access.plan_calendar`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from data_access import plan_calendar as cal
from data_access.models import (
    PlanTask,
    QuarterlyReport,
    ReportVersion,
    TaskProgress,
)
from data_access.models.plan import task_key
from data_access.plan_report_reads import (
    ITEM_COLUMNS,
    begin,
    current_reports,
    items_of,
    parsed_quarter,
    report,
    report_dicts,
    task_dict,
    tasks_for,
    unit_code,
    versions,
)
from data_access.report_rules import (
    TEXT_FIELDS,
    Caller,
    QuarterOutOfRangeError,
    ReportNotFoundError,
    ReportPermissionError,
    ReportStateError,
    ReportValidationError,
    checked_items,
    diff,
    may_report,
)

ADHOC_GROUP = "Công việc đột xuất theo chỉ đạo của Sở"
#: Writes live here; the reads are re-exported so callers need one module.
__all__ = [
    "add_adhoc_task",
    "current_reports",
    "report",
    "return_report",
    "save_report",
    "tasks_for",
    "versions",
]


def _in_range(quarter: str, at: datetime) -> str:
    """``quarter`` normalised, if it lies between 2023Q1 and the quarter running at ``at``."""
    quarter, running = parsed_quarter(quarter), cal.quarter_of(at)
    if not cal.FIRST_QUARTER <= quarter <= running:
        raise QuarterOutOfRangeError(
            f"quarter {quarter}: reports are written for {cal.FIRST_QUARTER} to the running "
            f"quarter {running}"
        )
    return quarter


def _moment(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    if at.tzinfo is None:
        raise ReportValidationError("at", "give a timezone-aware datetime (e.g. UTC)")
    return at


def add_adhoc_task(
    bind: Engine | Connection,
    *,
    reporter: str,
    quarter: str,
    name: str,
    due: date,
    by: Caller,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Add an ad-hoc task ("công việc đột xuất theo chỉ đạo của Sở") to a reporter's quarter.

    Returns
    -------
    dict
        The task as :func:`tasks_for` lists it (key ``AH-<id>``).

    Raises
    ------
    ReportPermissionError, QuarterOutOfRangeError, ReportValidationError, ReportNotFoundError
    """
    quarter = _in_range(quarter, _moment(at))
    if not may_report(by, reporter):
        raise ReportPermissionError(f"{by.username} may not add tasks to {reporter}'s report")
    if not name or not name.strip() or len(name) > 1000:
        raise ReportValidationError("name", "give the task's name (1 to 1,000 characters)")
    with begin(bind) as connection:
        unit, _ = unit_code(connection, reporter)
        placeholder = uuid.uuid4().hex[:32]  # unique until the id is known
        task_id = connection.execute(
            insert(PlanTask)
            .values(
                kind="adhoc",
                code=placeholder[-8:],
                key=placeholder,
                group=ADHOC_GROUP,
                title_vi=name.strip(),
                lead_units=unit,
                start_year=int(quarter[:4]),
                due=due,
                source="adhoc",
                reporter=reporter,
                quarter=quarter,
            )
            .returning(PlanTask.id)
        ).scalar_one()
        connection.execute(
            update(PlanTask)
            .where(PlanTask.id == task_id)
            .values(code=str(task_id), key=task_key("adhoc", str(task_id)))
        )
        task = connection.execute(
            select(PlanTask.__table__).where(PlanTask.id == task_id)
        ).mappings()
        return task_dict(task.one(), "adhoc")


def save_report(
    bind: Engine | Connection,
    *,
    reporter: str,
    quarter: str,
    items: Sequence[Mapping[str, Any]],
    submit: bool,
    by: Caller,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Save (``submit=False``) or submit a reporter's quarterly report, as a new version.

    Items not sent keep their values. Before the deadline a submitted report saved without
    ``submit`` is reopened (a draft again); after the deadline any change to a submitted
    report is a ``late_amendment`` (the report is flagged ``amended_late``). A returned
    report is corrected and submitted again. The first submission time is kept for
    punctuality; ``late`` says whether the submission that stands came after the deadline.

    Parameters
    ----------
    bind
        Engine or connection (its transaction is used, nested).
    reporter
        A unit code (``GDTrH``) or ``school:<institution id>``.
    quarter
        ``YYYYQn`` from 2023Q1 to the quarter running at ``at``.
    items
        ``{"key", "status", "progress", "done", "next", "difficulties", "recommendations"}``
        per task (see :func:`data_access.report_rules.checked_items`).
    submit
        Submit (True) or save a draft / reopen (False).
    by
        Who acts (role, units, institution); must be allowed by :func:`may_report`.
    at
        When (timezone-aware; now when None).

    Returns
    -------
    dict
        The report as :func:`current_reports` gives it, with ``version`` and ``action``.

    Raises
    ------
    ReportValidationError
        A bad value, naming the field (``items[0].progress``…).
    QuarterOutOfRangeError
        The quarter is before 2023Q1 or has not begun.
    ReportPermissionError
        ``by`` may not write this reporter's report or one of the tasks.
    ReportNotFoundError
        No such unit, institution or task key.
    """
    at = _moment(at)
    quarter = _in_range(quarter, at)
    checked = checked_items(items)
    if not may_report(by, reporter):
        raise ReportPermissionError(
            f"{by.username} ({by.role}) may not write the report of {reporter}"
        )
    reportable = {t["key"]: t for t in tasks_for(bind, reporter, quarter)}
    for item in checked:
        if not may_report(by, reporter, item["key"], reportable=reportable):
            raise ReportPermissionError(
                f"task {item['key']} is not one {reporter} reports on in {quarter}; "
                f"see GET /api/v1/plan/tasks?unit={reporter}"
            )
    with begin(bind) as connection:
        report = _report_row(connection, reporter, quarter)
        state, action, changes = _transition(report, submit, at, quarter)
        ids = _task_ids(connection, [i["key"] for i in checked])
        _write_items(connection, report["id"], checked, ids)
        values = items_of(connection, report["id"])
        changes |= _report_texts(values)
        connection.execute(
            update(QuarterlyReport)
            .where(QuarterlyReport.id == report["id"])
            .values(state=state, updated_at=cal.to_stored(at), **changes)
        )
        late = action == "late_amendment" or (
            action == "submit" and bool(changes.get("late", report["late"]))
        )
        number = _add_version(
            connection, report["id"], at, by.username, (action, state, late), values
        )
        return {**report_dicts(connection, [report["id"]])[0], "version": number, "action": action}


def _report_row(connection: Connection, reporter: str, quarter: str) -> dict[str, Any]:
    """The report of ``reporter`` for ``quarter`` (locked), created as a draft if new."""
    query = select(QuarterlyReport.__table__).where(
        QuarterlyReport.reporter == reporter, QuarterlyReport.quarter == quarter
    )
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = connection.execute(query).mappings().first()
    if row is not None:
        return dict(row)
    unit, institution = unit_code(connection, reporter)
    connection.execute(
        insert(QuarterlyReport).values(
            reporter=reporter,
            unit_code=unit,
            institution_id=institution,
            quarter=quarter,
            due_on=cal.due_day(quarter),
            state="draft",
            late=False,
            amended_late=False,
            generated=False,
        )
    )
    return dict(connection.execute(query).mappings().one())


def _transition(
    report: Mapping[str, Any], submit: bool, at: datetime, quarter: str
) -> tuple[str, str, dict[str, Any]]:
    """(new state, version action, report columns to change) for a save at ``at``."""
    state, late_now = report["state"], cal.is_late(at, quarter)
    if state == "submitted" and late_now:
        return "submitted", "late_amendment", {"amended_late": True}
    if state == "submitted" and not submit:
        return "draft", "reopen", {}
    if not submit:
        return state, "save_draft", {}
    changes: dict[str, Any] = {}
    if report["submitted_at"] is None:
        changes["submitted_at"] = cal.to_stored(at)
    if state == "draft":
        changes["late"] = late_now
    return "submitted", "submit", changes


def _task_ids(connection: Connection, keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    rows = connection.execute(select(PlanTask.key, PlanTask.id).where(PlanTask.key.in_(keys)))
    ids = dict(rows.all())
    unknown = [k for k in keys if k not in ids]
    if unknown:
        raise ReportNotFoundError(f"no task with key {', '.join(unknown)}")
    return ids


def _write_items(
    connection: Connection, report_id: int, items: list[dict[str, Any]], ids: dict[str, int]
) -> None:
    present = set(
        connection.scalars(select(TaskProgress.task_id).where(TaskProgress.report_id == report_id))
    )
    for item in items:
        values = {column: item[name] for name, column in ITEM_COLUMNS.items()}
        task_id = ids[item["key"]]
        if task_id in present:
            connection.execute(
                update(TaskProgress)
                .where(TaskProgress.report_id == report_id, TaskProgress.task_id == task_id)
                .values(**values)
            )
        else:
            connection.execute(
                insert(TaskProgress).values(report_id=report_id, task_id=task_id, **values)
            )


def _report_texts(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Report-level columns (5) and (6): the distinct item texts, one per line."""

    def joined(name: str) -> str | None:
        texts = dict.fromkeys(i[name] for i in items if i.get(name))
        return "\n".join(texts) or None

    return {"difficulties": joined("difficulties"), "proposals": joined("recommendations")}


def _add_version(
    connection: Connection,
    report_id: int,
    at: datetime,
    username: str,
    what: tuple[str, str, bool],
    items: list[dict[str, Any]],
    comment: str | None = None,
) -> int:
    """Append version ``what`` = (action, state after, late) with the full items."""
    action, state, late = what
    last = connection.scalar(
        select(func.max(ReportVersion.number)).where(ReportVersion.report_id == report_id)
    )
    number = (last or 0) + 1
    connection.execute(
        insert(ReportVersion).values(
            report_id=report_id,
            number=number,
            at=cal.to_stored(at),
            username=username,
            action=action,
            state=state,
            late=late,
            comment=comment,
            items=items,
        )
    )
    return number


def return_report(
    bind: Engine | Connection,
    report_id: int,
    comment: str,
    by: Caller,
    *,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Return a submitted report to its reporter with a comment saying what to correct.

    The caller checks that ``by`` may return reports
    (:func:`data_access.report_rules.may_return`: leadership or the Department Office).

    Raises
    ------
    ReportValidationError
        Empty comment.
    ReportNotFoundError
        No report ``report_id``.
    ReportStateError
        The report is not submitted (a draft, or returned already).
    """
    at = _moment(at)
    if not comment or not comment.strip():
        raise ReportValidationError("comment", "say what the unit should correct")
    with begin(bind) as connection:
        state = connection.scalar(
            select(QuarterlyReport.state).where(QuarterlyReport.id == report_id)
        )
        if state is None:
            raise ReportNotFoundError(f"no report {report_id}")
        if state != "submitted":
            raise ReportStateError(f"report {report_id} is {state}; only a submitted one returns")
        connection.execute(
            update(QuarterlyReport)
            .where(QuarterlyReport.id == report_id)
            .values(
                state="returned",
                returned_at=cal.to_stored(at),
                returned_by=by.username,
                return_comment=comment.strip(),
                updated_at=cal.to_stored(at),
            )
        )
        items = items_of(connection, report_id)
        number = _add_version(
            connection,
            report_id,
            at,
            by.username,
            ("return", "returned", False),
            items,
            comment.strip(),
        )
        return {**report_dicts(connection, [report_id])[0], "version": number, "action": "return"}


__all__ = [
    "TEXT_FIELDS",
    "add_adhoc_task",
    "current_reports",
    "diff",
    "return_report",
    "save_report",
    "tasks_for",
    "versions",
]
