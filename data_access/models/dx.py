"""The national DX index of schools: versioned criteria sets and assessments."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base


class DxCriteriaSet(Base):
    """A set of criteria (e.g. Decision 4725/QĐ-BGDĐT of 2022), loaded as data."""

    __tablename__ = "dx_criteria_set"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class DxCriterion(Base):
    """One criterion of a set, with its group, points and whether it is mandatory."""

    __tablename__ = "dx_criterion"
    __table_args__ = (UniqueConstraint("set_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("dx_criteria_set.id"), index=True)
    group: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(16))
    title_vi: Mapped[str] = mapped_column(String(300))
    max_points: Mapped[float] = mapped_column(Float)
    mandatory: Mapped[bool] = mapped_column(Boolean)


class DxAssessment(Base):
    """A school's assessment for one school year: self scores, review, published level."""

    __tablename__ = "dx_assessment"
    __table_args__ = (UniqueConstraint("institution_id", "set_id", "school_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("dx_criteria_set.id"))
    school_year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16))
    self_group1: Mapped[float] = mapped_column(Float)
    self_group2: Mapped[float] = mapped_column(Float)
    reviewed_group1: Mapped[float | None] = mapped_column(Float)
    reviewed_group2: Mapped[float | None] = mapped_column(Float)
    mandatory_met: Mapped[bool] = mapped_column(Boolean)
    level: Mapped[int | None] = mapped_column(Integer)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date)
    generated: Mapped[bool] = mapped_column(Boolean, default=True)


class DxScore(Base):
    """The self and reviewed score of one criterion in one assessment, with evidence."""

    __tablename__ = "dx_score"
    __table_args__ = (UniqueConstraint("assessment_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("dx_assessment.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("dx_criterion.id"))
    self_score: Mapped[float] = mapped_column(Float)
    reviewed_score: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[str | None] = mapped_column(String(300))
