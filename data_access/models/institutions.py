"""The registry of every licensed education institution, public and non-public."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base
from data_access.types import Geometry

KINDS = (
    "school",
    "international_school",
    "continuing_education",
    "language_it_centre",
    "study_abroad",
    "life_skills",
    "representative_office",
)
LEVELS = (
    "preschool",
    "primary",
    "lower_secondary",
    "upper_secondary",
    "primary_lower",
    "lower_upper",
    "multi_level",
)
OWNERSHIPS = ("public", "private", "foreign")
LICENCE_STATUSES = ("active", "expiring", "expired", "suspended")
#: Kinds that send the plan's quarterly report as a school (Phụ lục II, "cơ sở giáo dục").
SCHOOL_KINDS = ("school", "international_school", "continuing_education")
#: Kinds whose licence the Department grants and checks (domain 5).
LICENSED_KINDS = ("language_it_centre", "study_abroad", "life_skills", "representative_office")


class Institution(Base):
    """One institution: where it is, what it teaches, who owns it, its licence."""

    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    level: Mapped[str | None] = mapped_column(String(24), index=True)
    grade_from: Mapped[int | None] = mapped_column(Integer)
    grade_to: Mapped[int | None] = mapped_column(Integer)
    ownership: Mapped[str] = mapped_column(String(16), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    ward_id: Mapped[str] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    old_ward_id: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    geom: Mapped[object | None] = mapped_column(Geometry("POINT"))
    programmes: Mapped[str | None] = mapped_column(Text)
    opened_year: Mapped[int | None] = mapped_column(Integer)
    closed_year: Mapped[int | None] = mapped_column(Integer)
    licence_no: Mapped[str | None] = mapped_column(String(40))
    licence_issued: Mapped[date | None] = mapped_column(Date)
    licence_valid_until: Mapped[date | None] = mapped_column(Date)
    licence_status: Mapped[str | None] = mapped_column(String(16))
    generated: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(80))
