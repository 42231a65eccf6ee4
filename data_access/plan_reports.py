"""Quarterly reports of plan 723 (Phụ lục II) written by units and schools: Dash-free service.

A report is one reporter's (a unit, or a school as ``school:<id>``) for one quarter; its
items are the tasks it reports on, keyed by :attr:`PlanTask.key`. Every save writes the items
and a new :class:`ReportVersion` in one transaction. The rules of who may write what are in
:mod:`data_access.report_rules`; deadlines in :mod:`data_access.plan_calendar`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, or_, select, update

from data_access import plan_calendar as cal
from data_access.models import (
    Institution,
    PlanTask,
    PlanTaskUnit,
    PlanUnit,
    QuarterlyReport,
    ReportVersion,
    TaskProgress,
)
from data_access.models.plan import task_key
from data_access.reference.plan import PCM_MEMBERS
from data_access.report_rules import (
    ITEM_FIELDS,
    TEXT_FIELDS,
    Caller,
    QuarterOutOfRangeError,
    ReportNotFoundError,
    ReportPermissionError,
    ReportStateError,
    ReportValidationError,
    checked_items,
    diff,
    institution_of,
    may_report,
)

#: The unit code standing for every education institution in plan_task_unit.
SCHOOLS_UNIT = "CSGD"
#: Column names of task_progress behind the item fields.
_COLUMNS = {
    "status": "status",
    "progress": "percent",
    "done": "work_done",
    "next": "next_quarter",
    "difficulties": "difficulties",
    "recommendations": "recommendations",
}
ADHOC_GROUP = "Công việc đột xuất theo chỉ đạo của Sở"


@contextmanager
def _begin(bind: Engine | Connection) -> Iterator[Connection]:
    """One transaction: a new one on an engine, or the connection's own (nested if open)."""
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            yield connection
    elif bind.in_transaction():
        with bind.begin_nested():
            yield bind
    else:
        with bind.begin():
            yield bind


def _unit_code(connection: Connection, reporter: str) -> tuple[str, int | None]:
    """(unit code, institution id) of a reporter that exists, else ReportNotFoundError."""
    institution = institution_of(reporter)
    if institution is not None:
        found = connection.scalar(select(Institution.id).where(Institution.id == institution))
        if found is None:
            raise ReportNotFoundError(f"no institution {institution} (reporter {reporter!r})")
        return SCHOOLS_UNIT, institution
    if connection.scalar(select(PlanUnit.code).where(PlanUnit.code == reporter)) is None:
        raise ReportNotFoundError(
            f"no unit {reporter!r}: use a code of plan_2023/units.csv or school:<institution id>"
        )
    return reporter, None


def tasks_for(bind: Engine | Connection, reporter: str, quarter: str) -> list[dict[str, Any]]:
    """The tasks ``reporter`` reports on in ``quarter``, in plan order.

    A unit reports on the tasks it leads or partners (a professional division also on those
    of the group PCM); a school (``school:<id>``) on the tasks assigned to CSGD. Both add
    their own ad-hoc tasks of the quarter.

    Returns
    -------
    list of dict
        ``key, kind, code, name_vi, name_en, lead_units, partner_units, due`` (ISO date) and
        ``role`` (lead, partner or adhoc).

    Raises
    ------
    ReportNotFoundError
        The unit or institution does not exist.
    ReportValidationError
        ``quarter`` is not ``YYYYQn``.
    """
    _parsed(quarter)
    with _begin(bind) as connection:
        unit, _ = _unit_code(connection, reporter)
        codes = [unit, "PCM"] if unit in PCM_MEMBERS else [unit]
        planned = connection.execute(
            select(PlanTask.__table__, PlanTaskUnit.role)
            .join(PlanTaskUnit, PlanTaskUnit.task_id == PlanTask.id)
            .where(PlanTaskUnit.unit_code.in_(codes), PlanTask.kind.in_(("item", "dx")))
            .order_by(PlanTask.kind.desc(), PlanTask.id, PlanTaskUnit.role)
        ).mappings()
        rows: dict[str, dict[str, Any]] = {}
        for task in planned:
            rows.setdefault(task["key"], _task_dict(task, task["role"]))
        adhoc = connection.execute(
            select(PlanTask.__table__)
            .where(PlanTask.reporter == reporter, PlanTask.quarter == quarter)
            .order_by(PlanTask.id)
        ).mappings()
        for task in adhoc:
            rows[task["key"]] = _task_dict(task, "adhoc")
    return list(rows.values())


def _task_dict(task: Mapping[str, Any], role: str) -> dict[str, Any]:
    return {
        "key": task["key"],
        "kind": task["kind"],
        "code": task["code"],
        "name_vi": task["title_vi"],
        "name_en": task["title_en"],
        "lead_units": task["lead_units"],
        "partner_units": task["partner_units"],
        "due": task["due"].isoformat(),
        "role": role,
    }


def _parsed(quarter: str) -> str:
    try:
        year, number = cal.parse_quarter(quarter)
    except ValueError as exc:
        raise ReportValidationError("quarter", str(exc)) from None
    return f"{year}Q{number}"


def _in_range(quarter: str, at: datetime) -> str:
    """``quarter`` normalised, if it lies between 2023Q1 and the quarter running at ``at``."""
    quarter, running = _parsed(quarter), cal.quarter_of(at)
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
    with _begin(bind) as connection:
        unit, _ = _unit_code(connection, reporter)
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
        return _task_dict(task.one(), "adhoc")


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
    with _begin(bind) as connection:
        report = _report_row(connection, reporter, quarter)
        state, action, changes = _transition(report, submit, at, quarter)
        ids = _task_ids(connection, [i["key"] for i in checked])
        _write_items(connection, report["id"], checked, ids)
        values = _items(connection, report["id"])
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
        return {**_report_dicts(connection, [report["id"]])[0], "version": number, "action": action}


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
    unit, institution = _unit_code(connection, reporter)
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
        values = {column: item[name] for name, column in _COLUMNS.items()}
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


def _items(connection: Connection, report_id: int) -> list[dict[str, Any]]:
    """Every item of a report as version JSON (by task key), fields without a value left out
    (:func:`versions` puts them back as None)."""
    rows = connection.execute(
        select(PlanTask.key, *(getattr(TaskProgress, c) for c in _COLUMNS.values()))
        .join(PlanTask, PlanTask.id == TaskProgress.task_id)
        .where(TaskProgress.report_id == report_id)
        .order_by(PlanTask.kind.desc(), PlanTask.id)
    ).all()
    return [{k: v for k, v in _item_dict(row).items() if v is not None} for row in rows]


def _item_dict(row: Sequence[Any]) -> dict[str, Any]:
    key, *values = row
    item = {"key": key, **dict(zip(_COLUMNS, values, strict=True))}
    item["progress"] = round(item["progress"] or 0)
    return item


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
    with _begin(bind) as connection:
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
        items = _items(connection, report_id)
        number = _add_version(
            connection,
            report_id,
            at,
            by.username,
            ("return", "returned", False),
            items,
            comment.strip(),
        )
        return {**_report_dicts(connection, [report_id])[0], "version": number, "action": "return"}


def current_reports(
    bind: Engine | Connection,
    *,
    quarter: str | None = None,
    unit: str | None = None,
    task: str | None = None,
) -> list[dict[str, Any]]:
    """The reports as they stand, ready for JSON, by quarter and reporter.

    Parameters
    ----------
    quarter
        Only this quarter.
    unit
        Only this reporter (a unit code or ``school:<id>``; ``CSGD`` for every school).
    task
        Only reports with an item on this task key; their other items are left out.
    """
    query = select(QuarterlyReport.id).order_by(QuarterlyReport.quarter, QuarterlyReport.reporter)
    if quarter is not None:
        query = query.where(QuarterlyReport.quarter == _parsed(quarter))
    if unit is not None:
        query = query.where(
            or_(QuarterlyReport.reporter == unit, QuarterlyReport.unit_code == unit)
        )
    if task is not None:
        query = query.where(
            QuarterlyReport.id.in_(
                select(TaskProgress.report_id)
                .join(PlanTask, PlanTask.id == TaskProgress.task_id)
                .where(PlanTask.key == task)
            )
        )
    with _begin(bind) as connection:
        ids = list(connection.scalars(query))
        return _report_dicts(connection, ids, task=task)


def _report_dicts(
    connection: Connection, ids: list[int], *, task: str | None = None
) -> list[dict[str, Any]]:
    if not ids:
        return []
    reports = connection.execute(
        select(QuarterlyReport.__table__).where(QuarterlyReport.id.in_(ids))
    ).mappings()
    by_id = {r["id"]: _report_dict(r) for r in reports}
    items = select(
        TaskProgress.report_id,
        PlanTask.key,
        *(getattr(TaskProgress, c) for c in _COLUMNS.values()),
    ).join(PlanTask, PlanTask.id == TaskProgress.task_id)
    items = items.where(TaskProgress.report_id.in_(ids)).order_by(
        TaskProgress.report_id, PlanTask.kind.desc(), PlanTask.id
    )
    if task is not None:
        items = items.where(PlanTask.key == task)
    for report_id, *row in connection.execute(items):
        by_id[report_id]["items"].append(_item_dict(row))
    return [by_id[i] for i in ids]


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else cal.aware(moment).isoformat().replace("+00:00", "Z")


def _report_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "reporter": row["reporter"],
        "unit_code": row["unit_code"],
        "institution_id": row["institution_id"],
        "quarter": row["quarter"],
        "state": row["state"],
        "deadline": _iso(cal.deadline(row["quarter"])),
        "submitted_at": _iso(row["submitted_at"]),
        "late": bool(row["late"]),
        "amended_late": bool(row["amended_late"]),
        "updated_at": _iso(row["updated_at"]),
        "returned_at": _iso(row["returned_at"]),
        "returned_by": row["returned_by"],
        "return_comment": row["return_comment"],
        "generated": bool(row["generated"]),
        "items": [],
    }


def versions(bind: Engine | Connection, report_id: int) -> list[dict[str, Any]]:
    """Every version of a report, oldest first, each with ``changes`` against the one before.

    Returns
    -------
    list of dict
        ``number, at, by, action, state, late, comment, items, changes`` where ``changes``
        maps a task key to its changed fields (:func:`data_access.report_rules.diff`).

    Raises
    ------
    ReportNotFoundError
        No report ``report_id``.
    """
    with _begin(bind) as connection:
        found = select(QuarterlyReport.id).where(QuarterlyReport.id == report_id)
        if connection.scalar(found) is None:
            raise ReportNotFoundError(f"no report {report_id}")
        rows = connection.execute(
            select(ReportVersion.__table__)
            .where(ReportVersion.report_id == report_id)
            .order_by(ReportVersion.number)
        ).mappings()
        out: list[dict[str, Any]] = []
        previous: list[dict[str, Any]] = []
        for v in rows:
            items = [{f: item.get(f) for f in ITEM_FIELDS} for item in v["items"]]
            out.append(
                {
                    "number": v["number"],
                    "at": _iso(v["at"]),
                    "by": v["username"],
                    "action": v["action"],
                    "state": v["state"],
                    "late": bool(v["late"]),
                    "comment": v["comment"],
                    "items": items,
                    "changes": diff(previous, items),
                }
            )
            previous = items
        return out


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
