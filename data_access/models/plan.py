"""Plan 723/KH-SGDĐT: units, tasks, quarterly reports and the data domains they supervise."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base


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


class PlanTaskUnit(Base):
    """Which unit leads or partners on which task (one row per pair)."""

    __tablename__ = "plan_task_unit"
    __table_args__ = (UniqueConstraint("task_id", "unit_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(24), index=True)
    role: Mapped[str] = mapped_column(String(8))


class QuarterlyReport(Base):
    """A unit's quarterly report (Phụ lục II): when it was due and when it came."""

    __tablename__ = "quarterly_report"
    __table_args__ = (UniqueConstraint("unit_code", "quarter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("plan_unit.code"), index=True)
    quarter: Mapped[str] = mapped_column(String(6))
    due_on: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    difficulties: Mapped[str | None] = mapped_column(Text)
    proposals: Mapped[str | None] = mapped_column(Text)
    generated: Mapped[bool] = mapped_column(default=True)


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
