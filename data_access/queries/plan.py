"""Plan 723 progress: the tasks, every reported status, the latest status, quarterly reports.

These are the Department's view of the plan: the tasks of the 2023 plan and of the 2022–2025
appendix (not the reporters' ad-hoc tasks) and the reports of its units (not the schools'
reports, see :mod:`data_access.plan_reports`). A task's status comes from submitted reports.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, select

from data_access.models import PlanTask, QuarterlyReport, TaskProgress
from data_access.plan_calendar import HCMC
from data_access.queries.registry import connect, frame_of
from data_access.reference.plan import PCM_MEMBERS, unit_tokens

TASK_COLUMNS = [
    "task_id",
    "kind",
    "code",
    "title_vi",
    "title_en",
    "lead_units",
    "partner_units",
    "due",
    "status_early_2023",
]
PROGRESS_COLUMNS = ["task_id", "quarter", "unit_code", "status", "percent"]
#: Task kinds of the plan itself (ad-hoc tasks belong to one reporter and quarter).
PLAN_KINDS = ("item", "dx")
#: Group codes of the plan that stand for several reporting units.
GROUPS: dict[str, tuple[str, ...]] = {"PCM": PCM_MEMBERS}


#: What every task row of these queries carries (column (2) of Phụ lục II and its kind).
TASK_FIELDS = (
    PlanTask.id,
    PlanTask.kind,
    PlanTask.code,
    PlanTask.title_vi,
    PlanTask.title_en,
    PlanTask.lead_units,
    PlanTask.partner_units,
    PlanTask.due,
)


def plan_tasks(bind: Engine | Connection) -> pd.DataFrame:
    """Every plan task: ``task_id, kind, code, title_vi, title_en, lead_units, partner_units,
    due, status_early_2023`` (ordered by kind, then id)."""
    query = select(*TASK_FIELDS, PlanTask.status_early_2023)
    query = query.where(PlanTask.kind.in_(PLAN_KINDS)).order_by(PlanTask.kind, PlanTask.id)
    return frame_of(bind, query, TASK_COLUMNS)


def task_progress(bind: Engine | Connection) -> pd.DataFrame:
    """Every plan task's status in every submitted report of a unit: ``task_id, quarter,
    unit_code, status, percent``."""
    query = (
        select(
            TaskProgress.task_id,
            QuarterlyReport.quarter,
            QuarterlyReport.unit_code,
            TaskProgress.status,
            TaskProgress.percent,
        )
        .join(QuarterlyReport, QuarterlyReport.id == TaskProgress.report_id)
        .join(PlanTask, PlanTask.id == TaskProgress.task_id)
        .where(
            QuarterlyReport.institution_id.is_(None),
            QuarterlyReport.state == "submitted",
            PlanTask.kind.in_(PLAN_KINDS),
        )
    )
    return frame_of(bind, query, PROGRESS_COLUMNS)


def latest_status(
    tasks: pd.DataFrame, progress: pd.DataFrame, as_of: str | None = None
) -> pd.DataFrame:
    """Each task's latest reported status, counting the reports up to quarter ``as_of``.

    The latest quarter that reported on a task decides; when several units reported on it
    that quarter, the most advanced report counts. Tasks not reported by then keep their
    status of early 2023.

    Parameters
    ----------
    tasks
        Output of :func:`plan_tasks`.
    progress
        Output of :func:`task_progress`.
    as_of
        A quarter such as ``"2025Q3"`` (inclusive); every report when None.

    Returns
    -------
    pandas.DataFrame
        The columns of ``tasks`` (without ``status_early_2023``) and ``status, percent,
        quarter`` (``percent`` and ``quarter`` missing when not reported by then).
    """
    progress = progress[["task_id", "quarter", "status", "percent"]]
    if as_of is not None:
        progress = progress[progress["quarter"] <= as_of]
    if not progress.empty:
        progress = progress.sort_values(["task_id", "quarter", "percent"])
        progress = progress.groupby("task_id", as_index=False).tail(1)
    frame = tasks.merge(progress, on="task_id", how="left")
    frame["status"] = frame["status"].fillna(frame["status_early_2023"])
    frame["due"] = pd.to_datetime(frame["due"]).dt.date
    return frame.drop(columns="status_early_2023")


def task_status(bind: Engine | Connection, as_of: str | None = None) -> pd.DataFrame:
    """Every plan task with its latest reported status (see :func:`latest_status`).

    Parameters
    ----------
    bind
        An engine or a connection.
    as_of
        Count only the reports of this quarter and before (all when None).

    Returns
    -------
    pandas.DataFrame
        Columns ``task_id, kind, code, title_vi, title_en, lead_units, partner_units, due,
        status, percent, quarter`` (``percent`` and ``quarter`` missing when never
        reported).
    """
    with connect(bind) as connection:
        return latest_status(plan_tasks(connection), task_progress(connection), as_of)


def quarterly_reports(bind: Engine | Connection) -> pd.DataFrame:
    """Every unit's quarterly report: ``unit_code, quarter, due_on, submitted_at,
    generated``.

    ``submitted_at`` is the first submission in the city's local time (naive), so that its
    date compares with ``due_on``; it is missing while the report is a draft (never sent, or
    reopened and not sent again). Schools' reports are not included.
    """
    columns = ["unit_code", "quarter", "due_on", "submitted_at", "generated"]
    query = (
        select(*(getattr(QuarterlyReport, c) for c in columns), QuarterlyReport.state)
        .where(QuarterlyReport.institution_id.is_(None))
        .order_by(QuarterlyReport.quarter, QuarterlyReport.unit_code)
    )
    frame = frame_of(bind, query, [*columns, "state"])
    submitted = pd.to_datetime(frame["submitted_at"]).where(frame["state"] != "draft")
    frame["submitted_at"] = local_times(submitted)
    return frame[columns]


def local_times(stored: pd.Series) -> pd.Series:
    """Naive UTC datetimes (as stored) as naive local times of Ho Chi Minh City."""
    times = pd.to_datetime(stored)
    local = times.dt.tz_localize("UTC").dt.tz_convert(HCMC).dt.tz_localize(None)
    return local.astype(object).where(local.notna(), None)


def plan_rows(bind: Engine | Connection) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What a quarter's view of the plan is built from, read in one go.

    Returns
    -------
    tuple of pandas.DataFrame
        The tasks of :func:`plan_tasks` with a ``leads`` column (a tuple of lead unit codes,
        group phrases as their group codes, see :data:`GROUPS`), every reported status
        (:func:`task_progress`) and every quarterly report (:func:`quarterly_reports`).
    """
    with connect(bind) as connection:
        tasks = plan_tasks(connection)
        tasks["leads"] = tasks["lead_units"].map(lambda text: tuple(unit_tokens(text)))
        return tasks, task_progress(connection), quarterly_reports(connection)


def report_statements(bind: Engine | Connection, quarter: str) -> pd.DataFrame:
    """Columns (5) and (6) of every submitted report of ``quarter`` (units and schools):
    ``report_id, reporter, field, text`` (``field``: difficulties or recommendations), the
    input of :func:`analytics.report_themes.quarter_themes`."""
    frames = []
    for field in ("difficulties", "recommendations"):
        column = getattr(TaskProgress, field)
        query = (
            select(QuarterlyReport.id, QuarterlyReport.reporter, column)
            .join(QuarterlyReport, QuarterlyReport.id == TaskProgress.report_id)
            .where(
                QuarterlyReport.quarter == quarter,
                QuarterlyReport.state == "submitted",
                column.is_not(None),
            )
        )
        frames.append(frame_of(bind, query, ["report_id", "reporter", "text"]).assign(field=field))
    return pd.concat(frames, ignore_index=True)[["report_id", "reporter", "field", "text"]]


ITEM_COLUMNS = ["unit_code", "task_id", "status", "percent", "done", "next"]
ITEM_COLUMNS += ["difficulties", "recommendations"]


def submitted_items(bind: Engine | Connection, quarter: str) -> pd.DataFrame:
    """Columns (3)–(6) of the units' submitted reports of ``quarter``, one row per item:
    ``unit_code, task_id, status, percent, done, next, difficulties, recommendations``
    (ad-hoc tasks included; schools' reports are not)."""
    query = (
        select(
            QuarterlyReport.unit_code,
            TaskProgress.task_id,
            TaskProgress.status,
            TaskProgress.percent,
            TaskProgress.work_done,
            TaskProgress.next_quarter,
            TaskProgress.difficulties,
            TaskProgress.recommendations,
        )
        .join(QuarterlyReport, QuarterlyReport.id == TaskProgress.report_id)
        .where(
            QuarterlyReport.quarter == quarter,
            QuarterlyReport.state == "submitted",
            QuarterlyReport.institution_id.is_(None),
        )
        .order_by(QuarterlyReport.unit_code, TaskProgress.task_id)
    )
    items = frame_of(bind, query, ITEM_COLUMNS)
    with connect(bind) as connection:
        tasks = frame_of(
            connection,
            select(*TASK_FIELDS),
            [
                "task_id",
                "kind",
                "code",
                "title_vi",
                "title_en",
                "lead_units",
                "partner_units",
                "due",
            ],
        )
    return items.merge(tasks, on="task_id", how="left")
