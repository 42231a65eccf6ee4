"""Plan 723/KH-SGDĐT: units, tasks, quarterly reports and the data domains they supervise."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base

#: Prefix of a task's stable key per kind: ``P2023-1.1`` (2023 plan item), ``DX-1.1`` (task
#: of the 2022–2025 appendix), ``AH-17`` (ad-hoc task, numbered by its id).
KEY_PREFIXES = {"item": "P2023-", "dx": "DX-", "adhoc": "AH-"}
REPORT_STATES = ("draft", "submitted", "returned")
ITEM_STATUSES = ("not_started", "in_progress", "done")
VERSION_ACTIONS = ("save_draft", "submit", "reopen", "return", "late_amendment")


def task_key(kind: str, code: str) -> str:
    """The stable, unambiguous key of a plan task, e.g. ``task_key("dx", "1.1") == "DX-1.1"``."""
    return f"{KEY_PREFIXES.get(kind, kind.upper() + '-')}{code}"


def _default_key(context: DefaultExecutionContext) -> str:
    params = context.get_current_parameters()
    return task_key(params["kind"], params["code"])


def _default_reporter(context: DefaultExecutionContext) -> Any:
    return context.get_current_parameters()["unit_code"]


def _default_state(context: DefaultExecutionContext) -> str:
    submitted = context.get_current_parameters().get("submitted_at")
    return "draft" if submitted is None else "submitted"


class PlanUnit(Base):
    """A unit of the Department (division, office, centre) or a group of reporting units."""

    __tablename__ = "plan_unit"

    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))


class DataDomain(Base):
    """One of the 7 data domains of Phụ lục I and the division(s) supervising it."""

    __tablename__ = "data_domain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    supervising_units: Mapped[str] = mapped_column(String(120))
    refresh_days: Mapped[int] = mapped_column(Integer, default=365)
    source_system: Mapped[str] = mapped_column(String(120))


class PlanTask(Base):
    """A work item of the 2023 plan (``item``) or a task of the 2022–2025 appendix (``dx``)."""

    __tablename__ = "plan_task"
    __table_args__ = (UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(8))
    group: Mapped[str] = mapped_column(String(200))
    title_vi: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    lead_units: Mapped[str] = mapped_column(String(200))
    partner_units: Mapped[str | None] = mapped_column(String(300))
    start_year: Mapped[int | None] = mapped_column(Integer)
    due: Mapped[date] = mapped_column(Date)
    status_early_2023: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(80))
    #: Stable key across plans (see :func:`task_key`); what reports and the API refer to.
    key: Mapped[str] = mapped_column(String(40), unique=True, default=_default_key)
    #: Ad-hoc tasks only: the reporter (see ``QuarterlyReport.reporter``) and the quarter.
    reporter: Mapped[str | None] = mapped_column(String(40), index=True)
    quarter: Mapped[str | None] = mapped_column(String(6))


class PlanTaskUnit(Base):
    """Which unit leads or partners on which task (one row per pair)."""

    __tablename__ = "plan_task_unit"
    __table_args__ = (UniqueConstraint("task_id", "unit_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(24), index=True)
    role: Mapped[str] = mapped_column(String(8))


class QuarterlyReport(Base):
    """A reporter's quarterly report (Phụ lục II): its state, when it was due and came.

    The reporter is a unit of the Department (``reporter == unit_code``) or an education
    institution reporting as itself (``reporter == "school:<institution id>"``,
    ``unit_code == "CSGD"``). Times are naive UTC.
    """

    __tablename__ = "quarterly_report"
    __table_args__ = (UniqueConstraint("reporter", "quarter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("plan_unit.code"), index=True)
    quarter: Mapped[str] = mapped_column(String(6), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    #: The first submission (punctuality is judged on it).
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    difficulties: Mapped[str | None] = mapped_column(Text)
    proposals: Mapped[str | None] = mapped_column(Text)
    generated: Mapped[bool] = mapped_column(default=True)
    reporter: Mapped[str] = mapped_column(String(40), index=True, default=_default_reporter)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default=_default_state)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Changed after the deadline while submitted (see the ``late_amendment`` versions).
    amended_late: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_by: Mapped[str | None] = mapped_column(String(64))
    return_comment: Mapped[str | None] = mapped_column(Text)


class TaskProgress(Base):
    """One task's status in one quarterly report (columns 3–4 of the summary table)."""

    __tablename__ = "task_progress"
    __table_args__ = (UniqueConstraint("report_id", "task_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("quarterly_report.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    percent: Mapped[float] = mapped_column(Float)
    work_done: Mapped[str | None] = mapped_column(Text)
    next_quarter: Mapped[str | None] = mapped_column(Text)
    difficulties: Mapped[str | None] = mapped_column(Text)
    recommendations: Mapped[str | None] = mapped_column(Text)


class ReportVersion(Base):
    """One saved state of a quarterly report: who did what, when, and every item's values."""

    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("quarterly_report.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(12))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str | None] = mapped_column(Text)
    #: ``[{"key", "status", "progress", "done", "next", "difficulties", "recommendations"}]``
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
