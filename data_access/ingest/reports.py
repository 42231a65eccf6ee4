"""The ``plan_reports`` dataset: Phụ lục II kept in a spreadsheet, one row per task reported.

A row is one item of a reporter's quarterly report: ``quarter, reporter, task`` (the task's
key, as ``GET /api/v1/plan/tasks`` gives it), then ``status``, ``progress`` and columns
(3)–(6). The file is checked with the report service's own rules
(:mod:`data_access.report_rules`, :mod:`data_access.plan_reports`), row by row, so that the
report names every refusal the /report page would give, with its row and column: the quarter
must lie between 2023Q1 and the running quarter, the caller must write that reporter's
reports (a department its own units', a school its own), the task must be one the reporter
reports on that quarter, and each value must be one a report accepts.

Those rules depend on who loads the file, which the other datasets do not need: this
dataset's hooks take the caller (``Dataset.acts_for_caller``), given to ``validate`` and kept
with the validation, so that the commit writes as the same caller it was checked for.

Writing goes through :func:`data_access.plan_reports.save_report` (a save, as on the page: a
new version of each report that changes; before the deadline a submitted report becomes a
draft again, after it the change is a flagged late amendment). Items equal to the stored ones
are left alone, and a report none of whose items change gets no new version, so loading the
same file twice changes nothing. A batch cannot be undone: the report keeps its versions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, Table, select

from data_access import plan_calendar as cal
from data_access.ingest.datasets import DATASETS, PLAN_REPORTS
from data_access.ingest.ledger import Changes
from data_access.ingest.validate import MAX_ERRORS, Problem, converted, header_problems
from data_access.models import QuarterlyReport, TaskProgress
from data_access.plan_report_reads import current_reports, items_of, parsed_quarter, tasks_for
from data_access.plan_reports import save_report
from data_access.report_rules import (
    REFUSALS,
    TEXT_FIELDS,
    Caller,
    ReportValidationError,
    checked_items,
    may_report,
)

#: The item fields of a row, as the report service names them.
FIELDS = ("status", "progress", *TEXT_FIELDS)


def _row(index: Any) -> int:
    return int(index) + 2


def _item(row: pd.Series) -> dict[str, Any]:
    item: dict[str, Any] = {"key": row["task"]}
    for field in FIELDS:
        value = row[field]
        if value is not None and not (isinstance(value, float) and pd.isna(value)):
            item[field] = int(value) if field == "progress" else value
    return item


def check_file(
    engine: Engine, raw: pd.DataFrame, caller: Caller | None
) -> tuple[pd.DataFrame, list[Problem]]:
    """The ``checker`` hook of ``plan_reports``: columns and values, then the report rules
    for ``caller``, each refusal named by row and column."""
    dataset = DATASETS[PLAN_REPORTS]
    if caller is None:
        message = "plan reports are written as a user: load the file as one (ingest --as USER)"
        return raw.iloc[0:0], [Problem(None, None, message)]
    problems = header_problems(dataset, raw)
    if any(p.message == "column is missing" for p in problems):
        return raw.iloc[0:0], problems
    frame = converted(dataset.columns, raw, problems)
    bad_rows = {p.row for p in problems}
    first: dict[tuple[str, str, str], int] = {}
    reportable: dict[tuple[str, str], set[str] | str] = {}
    running = cal.quarter_of(datetime.now(UTC))
    for index, row in frame.iterrows():
        where = _row(index)
        if where in bad_rows:
            continue
        problem = _refusal(engine, caller, row, running, reportable)
        if problem is not None:
            problems.append(Problem(where, problem[0], problem[1], problem[2]))
            continue
        frame.at[index, "quarter"] = parsed_quarter(row["quarter"])
        key = (frame.at[index, "quarter"], row["reporter"], row["task"])
        if key in first:
            message = f"duplicates row {first[key]}: task {row['task']} is given twice"
            problems.append(Problem(where, "task", message, row["task"]))
        first.setdefault(key, where)
    return frame, problems[:MAX_ERRORS]


def _refusal(
    engine: Engine,
    caller: Caller,
    row: pd.Series,
    running: str,
    reportable: dict[tuple[str, str], set[str] | str],
) -> tuple[str, str, str] | None:
    """(column, reason, value) of the first rule a row breaks, or None."""
    try:
        quarter = parsed_quarter(row["quarter"])
    except ReportValidationError as exc:
        return "quarter", str(exc).removeprefix("quarter: "), row["quarter"]
    if not cal.FIRST_QUARTER <= quarter <= running:
        reason = f"reports are written for {cal.FIRST_QUARTER} to the running quarter {running}"
        return "quarter", reason, row["quarter"]
    reporter = row["reporter"]
    if not may_report(caller, reporter):
        reason = f"{caller.username} ({caller.role}) may not write the report of {reporter}"
        return "reporter", reason, reporter
    if (reporter, quarter) not in reportable:
        try:
            keys: set[str] | str = {t["key"] for t in tasks_for(engine, reporter, quarter)}
        except REFUSALS as exc:
            keys = str(exc)
        reportable[(reporter, quarter)] = keys
    keys = reportable[(reporter, quarter)]
    if isinstance(keys, str):
        return "reporter", keys, reporter
    if row["task"] not in keys:
        reason = f"task {row['task']} is not one {reporter} reports on in {quarter}"
        return "task", reason, row["task"]
    try:
        checked_items([_item(row)])
    except ReportValidationError as exc:
        column = exc.field.rsplit(".", 1)[-1]
        return column, str(exc).split(": ", 1)[-1], str(row.get(column, ""))
    return None


def write(
    connection: Connection,
    frame: pd.DataFrame,
    batch_id: int,
    username: str,
    caller: Caller,
) -> tuple[Table, list[str], Changes]:
    """The ``writer`` hook of ``plan_reports``: save each reporter's quarter whose items
    differ from the stored ones (one new version each), as ``caller``."""
    changes = Changes()
    for (quarter, reporter), rows in frame.groupby(["quarter", "reporter"], sort=True):
        stored = _stored_items(connection, reporter, quarter)
        changed = []
        for _, row in rows.iterrows():
            item = checked_items([_item(row)])[0]
            old = stored.get(item["key"])
            if old is not None and all(old.get(f) == item[f] for f in FIELDS):
                changes.unchanged += 1
                continue
            changed.append(item)
            if old is None:
                changes.inserted.append({"quarter": quarter, "reporter": reporter, **item})
            else:
                changes.replaced.append({"quarter": quarter, "reporter": reporter, **old})
                changes.updated += 1
        if changed:
            save_report(
                connection,
                reporter=reporter,
                quarter=quarter,
                items=changed,
                submit=False,
                by=caller,
            )
    return TaskProgress.__table__, ["quarter", "reporter", "task"], changes


def _stored_items(connection: Connection, reporter: str, quarter: str) -> dict[str, dict]:
    """The stored items of a reporter's quarter by task key, every field present."""
    report_id = connection.scalar(
        select(QuarterlyReport.id).where(
            QuarterlyReport.reporter == reporter, QuarterlyReport.quarter == quarter
        )
    )
    if report_id is None:
        return {}
    items = items_of(connection, report_id)
    return {i["key"]: {f: i.get(f) for f in ("key", *FIELDS)} for i in items}


def export_frame(engine: Engine, school_year: int | None = None) -> pd.DataFrame:
    """Every report's items in the load format; ``school_year`` keeps the quarters of that
    school year (its autumn and winter quarters, then the next year's first two)."""
    rows = []
    for report in current_reports(engine):
        quarter = report["quarter"]
        if school_year is not None and _school_year(quarter) != school_year:
            continue
        for item in report["items"]:
            rows.append(
                {
                    "quarter": quarter,
                    "reporter": report["reporter"],
                    "task": item["key"],
                    **{f: "" if item.get(f) is None else item[f] for f in FIELDS},
                }
            )
    return pd.DataFrame(rows, columns=DATASETS[PLAN_REPORTS].header)


def _school_year(quarter: str) -> int:
    """The school year (its start year) a quarter falls in: Q3 and Q4 start one."""
    year, number = int(quarter[:4]), int(quarter[-1])
    return year if number >= 3 else year - 1
