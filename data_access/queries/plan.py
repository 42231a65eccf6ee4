"""Plan 723 progress for the control room: latest status of each task, quarterly reports."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, select

from data_access.models import PlanTask, QuarterlyReport, TaskProgress
from data_access.queries.registry import connect, frame_of


def task_status(bind: Engine | Connection) -> pd.DataFrame:
    """Every plan task with its latest reported status.

    The latest quarter that reported on a task decides; when several units reported on it
    that quarter, the most advanced report counts. Tasks never reported keep their status of
    early 2023.

    Parameters
    ----------
    bind
        An engine or a connection.

    Returns
    -------
    pandas.DataFrame
        Columns ``task_id, kind, code, title_vi, title_en, lead_units, due, status, percent,
        quarter`` (``percent`` and ``quarter`` missing when never reported).
    """
    task_columns = ["task_id", "kind", "code", "title_vi", "title_en", "lead_units", "due",
                    "status_early_2023"]
    with connect(bind) as connection:
        tasks = pd.DataFrame(connection.execute(select(
            PlanTask.id, PlanTask.kind, PlanTask.code, PlanTask.title_vi, PlanTask.title_en,
            PlanTask.lead_units, PlanTask.due, PlanTask.status_early_2023).order_by(
            PlanTask.kind, PlanTask.id)).all(), columns=task_columns)
        progress = pd.DataFrame(connection.execute(select(
            TaskProgress.task_id, QuarterlyReport.quarter, TaskProgress.status,
            TaskProgress.percent).join(QuarterlyReport,
                                       QuarterlyReport.id == TaskProgress.report_id)).all(),
            columns=["task_id", "quarter", "status", "percent"])
    if not progress.empty:
        progress = progress.sort_values(["task_id", "quarter", "percent"])
        progress = progress.groupby("task_id", as_index=False).tail(1)
    frame = tasks.merge(progress, on="task_id", how="left")
    frame["status"] = frame["status"].fillna(frame["status_early_2023"])
    frame["due"] = pd.to_datetime(frame["due"]).dt.date
    return frame.drop(columns="status_early_2023")


def quarterly_reports(bind: Engine | Connection) -> pd.DataFrame:
    """Every unit's quarterly report: ``unit_code, quarter, due_on, submitted_at``."""
    query = select(QuarterlyReport.unit_code, QuarterlyReport.quarter, QuarterlyReport.due_on,
                   QuarterlyReport.submitted_at).order_by(QuarterlyReport.quarter,
                                                          QuarterlyReport.unit_code)
    return frame_of(bind, query, ["unit_code", "quarter", "due_on", "submitted_at"])
