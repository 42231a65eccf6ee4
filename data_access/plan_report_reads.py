"""Reading the quarterly reports of plan 723: the tasks a reporter reports on, the reports as
they stand, and every version of one. Shared with :mod:`data_access.plan_reports`, which
writes them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, or_, select

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
from data_access.reference.plan import PCM_MEMBERS
from data_access.report_rules import (
    ITEM_FIELDS,
    ReportNotFoundError,
    ReportValidationError,
    diff,
    institution_of,
)

#: The unit code standing for every education institution in plan_task_unit.
SCHOOLS_UNIT = "CSGD"
#: Column names of task_progress behind the item fields.
ITEM_COLUMNS = {
    "status": "status",
    "progress": "percent",
    "done": "work_done",
    "next": "next_quarter",
    "difficulties": "difficulties",
    "recommendations": "recommendations",
}


@contextmanager
def begin(bind: Engine | Connection) -> Iterator[Connection]:
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


def unit_code(connection: Connection, reporter: str) -> tuple[str, int | None]:
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
    parsed_quarter(quarter)
    with begin(bind) as connection:
        unit, _ = unit_code(connection, reporter)
        codes = [unit, "PCM"] if unit in PCM_MEMBERS else [unit]
        planned = connection.execute(
            select(PlanTask.__table__, PlanTaskUnit.role)
            .join(PlanTaskUnit, PlanTaskUnit.task_id == PlanTask.id)
            .where(PlanTaskUnit.unit_code.in_(codes), PlanTask.kind.in_(("item", "dx")))
            .order_by(PlanTask.kind.desc(), PlanTask.id, PlanTaskUnit.role)
        ).mappings()
        rows: dict[str, dict[str, Any]] = {}
        for task in planned:
            rows.setdefault(task["key"], task_dict(task, task["role"]))
        adhoc = connection.execute(
            select(PlanTask.__table__)
            .where(PlanTask.reporter == reporter, PlanTask.quarter == quarter)
            .order_by(PlanTask.id)
        ).mappings()
        for task in adhoc:
            rows[task["key"]] = task_dict(task, "adhoc")
    return list(rows.values())


def task_dict(task: Mapping[str, Any], role: str) -> dict[str, Any]:
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


def parsed_quarter(quarter: str) -> str:
    try:
        year, number = cal.parse_quarter(quarter)
    except ValueError as exc:
        raise ReportValidationError("quarter", str(exc)) from None
    return f"{year}Q{number}"


def items_of(connection: Connection, report_id: int) -> list[dict[str, Any]]:
    """Every item of a report as version JSON (by task key), fields without a value left out
    (:func:`versions` puts them back as None)."""
    rows = connection.execute(
        select(PlanTask.key, *(getattr(TaskProgress, c) for c in ITEM_COLUMNS.values()))
        .join(PlanTask, PlanTask.id == TaskProgress.task_id)
        .where(TaskProgress.report_id == report_id)
        .order_by(PlanTask.kind.desc(), PlanTask.id)
    ).all()
    return [{k: v for k, v in item_dict(row).items() if v is not None} for row in rows]


def item_dict(row: Sequence[Any]) -> dict[str, Any]:
    key, *values = row
    item = {"key": key, **dict(zip(ITEM_COLUMNS, values, strict=True))}
    item["progress"] = round(item["progress"] or 0)
    return item


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
        query = query.where(QuarterlyReport.quarter == parsed_quarter(quarter))
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
    with begin(bind) as connection:
        ids = list(connection.scalars(query))
        return report_dicts(connection, ids, task=task)


def report(bind: Engine | Connection, report_id: int) -> dict[str, Any] | None:
    """One report as :func:`current_reports` gives it, or None (also for an id no integer
    column can hold)."""
    if not 0 < report_id < 2**31:
        return None
    with begin(bind) as connection:
        found = select(QuarterlyReport.id).where(QuarterlyReport.id == report_id)
        if connection.scalar(found) is None:
            return None
        return report_dicts(connection, [report_id])[0]


def report_dicts(
    connection: Connection, ids: list[int], *, task: str | None = None
) -> list[dict[str, Any]]:
    if not ids:
        return []
    reports = connection.execute(
        select(QuarterlyReport.__table__).where(QuarterlyReport.id.in_(ids))
    ).mappings()
    by_id = {r["id"]: report_dict(r) for r in reports}
    items = select(
        TaskProgress.report_id,
        PlanTask.key,
        *(getattr(TaskProgress, c) for c in ITEM_COLUMNS.values()),
    ).join(PlanTask, PlanTask.id == TaskProgress.task_id)
    items = items.where(TaskProgress.report_id.in_(ids)).order_by(
        TaskProgress.report_id, PlanTask.kind.desc(), PlanTask.id
    )
    if task is not None:
        items = items.where(PlanTask.key == task)
    for report_id, *row in connection.execute(items):
        by_id[report_id]["items"].append(item_dict(row))
    return [by_id[i] for i in ids]


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else cal.aware(moment).isoformat().replace("+00:00", "Z")


def report_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "reporter": row["reporter"],
        "unit_code": row["unit_code"],
        "institution_id": row["institution_id"],
        "quarter": row["quarter"],
        "state": row["state"],
        "deadline": iso(cal.deadline(row["quarter"])),
        "submitted_at": iso(row["submitted_at"]),
        "late": bool(row["late"]),
        "amended_late": bool(row["amended_late"]),
        "updated_at": iso(row["updated_at"]),
        "returned_at": iso(row["returned_at"]),
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
    with begin(bind) as connection:
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
                    "at": iso(v["at"]),
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
