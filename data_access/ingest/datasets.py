"""The datasets member systems may load: their columns, checks and target fact table."""

from __future__ import annotations

from dataclasses import dataclass

from data_access.models import (
    FactAdmin,
    FactEnrolment,
    FactExam,
    FactFacility,
    FactHealth,
    FactNonPublic,
    FactOutcome,
    FactStaff,
)
from data_access.models.base import Base


@dataclass(frozen=True)
class Column:
    """One column of a dataset file: name, type (``int``, ``float``, ``str``) and bounds."""

    name: str
    kind: str = "int"
    minimum: float | None = 0
    maximum: float | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dataset:
    """A loadable dataset: one fact table, keyed by school year, institution and ``key``."""

    name: str
    model: type[Base]
    domain_id: int
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    #: (column, must not exceed column) pairs, e.g. girls ≤ pupils.
    at_most: tuple[tuple[str, str], ...] = ()

    @property
    def header(self) -> list[str]:
        """The file's columns in order."""
        return ["school_year", "institution_code", *[c.name for c in self.columns]]


YEAR = Column("school_year", minimum=2000, maximum=2100)
DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "enrolment",
            FactEnrolment,
            1,
            (Column("grade", maximum=12), Column("pupils"), Column("girls"), Column("classes")),
            key=("grade",),
            at_most=(("girls", "pupils"),),
        ),
        Dataset(
            "outcomes",
            FactOutcome,
            1,
            (
                Column("pupils_assessed"),
                Column("promoted"),
                Column("retained"),
                Column("dropouts"),
                Column("graduates"),
            ),
            at_most=(("promoted", "pupils_assessed"),),
        ),
        Dataset(
            "staff",
            FactStaff,
            2,
            (
                Column("teachers"),
                Column("teachers_female"),
                Column("teachers_above_standard"),
                Column("managers"),
                Column("support_staff"),
            ),
            at_most=(("teachers_female", "teachers"),),
        ),
        Dataset(
            "facilities",
            FactFacility,
            3,
            (
                Column("classrooms"),
                Column("classrooms_solid"),
                Column("functional_rooms"),
                Column("computer_rooms"),
                Column("computers"),
                Column("smart_classrooms"),
                Column("site_area_m2", "float"),
                Column("internet_mbps", "float"),
            ),
            at_most=(("classrooms_solid", "classrooms"),),
        ),
        Dataset(
            "exams",
            FactExam,
            4,
            (
                Column("exam", "str", choices=("grade10", "graduation")),
                Column("candidates"),
                Column("mean_score", "float", maximum=10),
                Column("pass_rate", "float", maximum=1),
            ),
            key=("exam",),
        ),
        Dataset(
            "nonpublic",
            FactNonPublic,
            5,
            (
                Column("learners"),
                Column("staff"),
                Column("foreign_staff"),
                Column("courses"),
                Column("inspections"),
                Column("violations"),
            ),
            at_most=(("foreign_staff", "staff"),),
        ),
        Dataset(
            "health",
            FactHealth,
            6,
            (
                Column("pupils_examined"),
                Column("overweight"),
                Column("underweight"),
                Column("myopia"),
                Column("insured"),
                Column("conduct_good"),
                Column("life_skills_participants"),
            ),
            at_most=(("overweight", "pupils_examined"), ("myopia", "pupils_examined")),
        ),
        Dataset(
            "administration",
            FactAdmin,
            7,
            (
                Column("awards"),
                Column("disciplinary_cases"),
                Column("inspections"),
                Column("inspection_findings"),
                Column("documents_processed"),
                Column("documents_online"),
                Column("it_incidents"),
            ),
            at_most=(("documents_online", "documents_processed"),),
        ),
    )
}
