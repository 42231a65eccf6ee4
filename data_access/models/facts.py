"""Yearly facts, one table per data domain of plan 723 (Phụ lục I).

Every row keeps the administrative unit valid on its date: before 1 July 2025 the old ward,
from then on the 2025 ward. ``school_year`` is the start year (2024 = 2024–25).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from data_access.models.base import Base


class FactMixin:
    """Columns shared by every fact table."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_year: Mapped[int] = mapped_column(Integer, index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    generated: Mapped[bool] = mapped_column(Boolean, default=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("ingestion_batch.id"))

    @declared_attr.directive
    def __table_args__(cls) -> tuple:  # noqa: N805 - SQLAlchemy directive
        return (UniqueConstraint("school_year", "institution_id", *cls.__extra_key__),)

    __extra_key__: tuple[str, ...] = ()


class FactEnrolment(FactMixin, Base):
    """Domain 1: pupils, girls and classes by grade (0 = preschool)."""

    __tablename__ = "fact_enrolment"
    __extra_key__ = ("grade",)

    grade: Mapped[int] = mapped_column(Integer)
    pupils: Mapped[int] = mapped_column(Integer)
    girls: Mapped[int] = mapped_column(Integer)
    classes: Mapped[int] = mapped_column(Integer)


class FactOutcome(FactMixin, Base):
    """Domain 1: education quality at year end (promotion, retention, dropout, graduation)."""

    __tablename__ = "fact_outcome"

    pupils_assessed: Mapped[int] = mapped_column(Integer)
    promoted: Mapped[int] = mapped_column(Integer)
    retained: Mapped[int] = mapped_column(Integer)
    dropouts: Mapped[int] = mapped_column(Integer)
    graduates: Mapped[int | None] = mapped_column(Integer)


class FactStaff(FactMixin, Base):
    """Domain 2: teachers, managers and support staff."""

    __tablename__ = "fact_staff"

    teachers: Mapped[int] = mapped_column(Integer)
    teachers_female: Mapped[int] = mapped_column(Integer)
    teachers_above_standard: Mapped[int] = mapped_column(Integer)
    managers: Mapped[int] = mapped_column(Integer)
    support_staff: Mapped[int] = mapped_column(Integer)


class FactFacility(FactMixin, Base):
    """Domain 3: classrooms, rooms, computers and connectivity."""

    __tablename__ = "fact_facility"

    classrooms: Mapped[int] = mapped_column(Integer)
    classrooms_solid: Mapped[int] = mapped_column(Integer)
    functional_rooms: Mapped[int] = mapped_column(Integer)
    computer_rooms: Mapped[int] = mapped_column(Integer)
    computers: Mapped[int] = mapped_column(Integer)
    smart_classrooms: Mapped[int] = mapped_column(Integer)
    site_area_m2: Mapped[float] = mapped_column(Float)
    internet_mbps: Mapped[float] = mapped_column(Float)


class FactExam(FactMixin, Base):
    """Domain 4: exam results per school (``exam`` is ``grade10`` or ``graduation``)."""

    __tablename__ = "fact_exam"
    __extra_key__ = ("exam",)

    exam: Mapped[str] = mapped_column(String(16))
    candidates: Mapped[int] = mapped_column(Integer)
    mean_score: Mapped[float] = mapped_column(Float)
    pass_rate: Mapped[float] = mapped_column(Float)


class AdmissionCutoff(Base):
    """Domain 4: grade-10 entrance cut-off scores (real figures, as published)."""

    __tablename__ = "admission_cutoff"
    __table_args__ = (UniqueConstraint("year", "institution_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    nv1: Mapped[float | None] = mapped_column(Float)
    nv2: Mapped[float | None] = mapped_column(Float)
    nv3: Mapped[float | None] = mapped_column(Float)
    score_scale_max: Mapped[int] = mapped_column(Integer)
    name_as_published: Mapped[str] = mapped_column(String(200))
    district_as_published: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(80))


class FactNonPublic(FactMixin, Base):
    """Domain 5: activity of non-public units (centres, consultancies, offices)."""

    __tablename__ = "fact_nonpublic"

    learners: Mapped[int] = mapped_column(Integer)
    staff: Mapped[int] = mapped_column(Integer)
    foreign_staff: Mapped[int] = mapped_column(Integer)
    courses: Mapped[int] = mapped_column(Integer)
    inspections: Mapped[int] = mapped_column(Integer)
    violations: Mapped[int] = mapped_column(Integer)


class FactHealth(FactMixin, Base):
    """Domain 6: pupils' health checks, conduct and life-skills participation."""

    __tablename__ = "fact_health"

    pupils_examined: Mapped[int] = mapped_column(Integer)
    overweight: Mapped[int] = mapped_column(Integer)
    underweight: Mapped[int] = mapped_column(Integer)
    myopia: Mapped[int] = mapped_column(Integer)
    insured: Mapped[int] = mapped_column(Integer)
    conduct_good: Mapped[int] = mapped_column(Integer)
    life_skills_participants: Mapped[int] = mapped_column(Integer)


class FactAdmin(FactMixin, Base):
    """Domain 7: emulation, discipline, inspection, documents, IT and admin reform."""

    __tablename__ = "fact_admin"

    awards: Mapped[int] = mapped_column(Integer)
    disciplinary_cases: Mapped[int] = mapped_column(Integer)
    inspections: Mapped[int] = mapped_column(Integer)
    inspection_findings: Mapped[int] = mapped_column(Integer)
    documents_processed: Mapped[int] = mapped_column(Integer)
    documents_online: Mapped[int] = mapped_column(Integer)
    it_incidents: Mapped[int] = mapped_column(Integer)


#: Fact tables of each data domain (ids as in plan_2023/data_domains.csv).
DOMAIN_FACTS: dict[int, tuple[type[Base], ...]] = {
    1: (FactEnrolment, FactOutcome),
    2: (FactStaff,),
    3: (FactFacility,),
    4: (FactExam,),
    5: (FactNonPublic,),
    6: (FactHealth,),
    7: (FactAdmin,),
}
