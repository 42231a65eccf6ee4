"""The domain pages' indicators, declared: which fact column over which, and how each is
shown. Numerators and denominators stay additive, so :func:`data_access.queries.facts.
domain_frame` sums them per area and filter before dividing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, literal_column

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


@dataclass(frozen=True)
class Indicator:
    """A domain indicator: Σ numerator / Σ denominator × scale (a sum when no denominator).

    Numerators and denominators are additive, so they can be carried between geographies
    and summed over filters before the division.
    """

    key: str
    model: type
    numerator: Callable[[Any], Any]
    denominator: Callable[[Any], Any] | None = None
    scale: float = 1.0
    #: "count", "ratio" or "percent": how the page formats it.
    kind: str = "count"


def _exam(name: str, column: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda m: case((m.exam == name, column(m)), else_=0)


INDICATORS: dict[int, tuple[Indicator, ...]] = {
    1: (
        Indicator("pupils", FactEnrolment, lambda m: m.pupils),
        Indicator("classes", FactEnrolment, lambda m: m.classes),
        Indicator(
            "class_size", FactEnrolment, lambda m: m.pupils, lambda m: m.classes, kind="ratio"
        ),
        Indicator(
            "girls_share", FactEnrolment, lambda m: m.girls, lambda m: m.pupils, 100, "percent"
        ),
        Indicator(
            "promotion_rate",
            FactOutcome,
            lambda m: m.promoted,
            lambda m: m.pupils_assessed,
            100,
            "percent",
        ),
        Indicator(
            "dropout_rate",
            FactOutcome,
            lambda m: m.dropouts,
            lambda m: m.pupils_assessed,
            100,
            "percent",
        ),
        Indicator("graduates", FactOutcome, lambda m: func.coalesce(m.graduates, 0)),
    ),
    2: (
        Indicator("teachers", FactStaff, lambda m: m.teachers),
        Indicator(
            "female_share",
            FactStaff,
            lambda m: m.teachers_female,
            lambda m: m.teachers,
            100,
            "percent",
        ),
        Indicator(
            "above_standard_share",
            FactStaff,
            lambda m: m.teachers_above_standard,
            lambda m: m.teachers,
            100,
            "percent",
        ),
        Indicator("managers", FactStaff, lambda m: m.managers),
        Indicator("support_staff", FactStaff, lambda m: m.support_staff),
    ),
    3: (
        Indicator("classrooms", FactFacility, lambda m: m.classrooms),
        Indicator(
            "solid_share",
            FactFacility,
            lambda m: m.classrooms_solid,
            lambda m: m.classrooms,
            100,
            "percent",
        ),
        Indicator("functional_rooms", FactFacility, lambda m: m.functional_rooms),
        Indicator("computers", FactFacility, lambda m: m.computers),
        Indicator("smart_classrooms", FactFacility, lambda m: m.smart_classrooms),
        Indicator(
            "internet_mbps",
            FactFacility,
            lambda m: m.internet_mbps,
            lambda m: literal_column("1"),
            kind="ratio",
        ),
    ),
    4: (
        Indicator("grade10_candidates", FactExam, _exam("grade10", lambda m: m.candidates)),
        Indicator(
            "grade10_mean",
            FactExam,
            _exam("grade10", lambda m: m.mean_score * m.candidates),
            _exam("grade10", lambda m: m.candidates),
            kind="ratio",
        ),
        Indicator("graduation_candidates", FactExam, _exam("graduation", lambda m: m.candidates)),
        Indicator(
            "graduation_mean",
            FactExam,
            _exam("graduation", lambda m: m.mean_score * m.candidates),
            _exam("graduation", lambda m: m.candidates),
            kind="ratio",
        ),
        Indicator(
            "graduation_pass_rate",
            FactExam,
            _exam("graduation", lambda m: m.pass_rate * m.candidates),
            _exam("graduation", lambda m: m.candidates),
            100,
            "percent",
        ),
    ),
    5: (
        Indicator("learners", FactNonPublic, lambda m: m.learners),
        Indicator("np_staff", FactNonPublic, lambda m: m.staff),
        Indicator("foreign_staff", FactNonPublic, lambda m: m.foreign_staff),
        Indicator("courses", FactNonPublic, lambda m: m.courses),
        Indicator("np_inspections", FactNonPublic, lambda m: m.inspections),
        Indicator(
            "violation_rate",
            FactNonPublic,
            lambda m: m.violations,
            lambda m: m.inspections,
            100,
            "percent",
        ),
    ),
    6: (
        Indicator("pupils_examined", FactHealth, lambda m: m.pupils_examined),
        Indicator(
            "overweight_share",
            FactHealth,
            lambda m: m.overweight,
            lambda m: m.pupils_examined,
            100,
            "percent",
        ),
        Indicator(
            "underweight_share",
            FactHealth,
            lambda m: m.underweight,
            lambda m: m.pupils_examined,
            100,
            "percent",
        ),
        Indicator(
            "myopia_share",
            FactHealth,
            lambda m: m.myopia,
            lambda m: m.pupils_examined,
            100,
            "percent",
        ),
        Indicator(
            "insured_share",
            FactHealth,
            lambda m: m.insured,
            lambda m: m.pupils_examined,
            100,
            "percent",
        ),
        Indicator(
            "conduct_good_share",
            FactHealth,
            lambda m: m.conduct_good,
            lambda m: m.pupils_examined,
            100,
            "percent",
        ),
        Indicator("life_skills", FactHealth, lambda m: m.life_skills_participants),
    ),
    7: (
        Indicator("awards", FactAdmin, lambda m: m.awards),
        Indicator("disciplinary_cases", FactAdmin, lambda m: m.disciplinary_cases),
        Indicator("admin_inspections", FactAdmin, lambda m: m.inspections),
        Indicator("inspection_findings", FactAdmin, lambda m: m.inspection_findings),
        Indicator("documents_processed", FactAdmin, lambda m: m.documents_processed),
        Indicator(
            "documents_online_share",
            FactAdmin,
            lambda m: m.documents_online,
            lambda m: m.documents_processed,
            100,
            "percent",
        ),
        Indicator("it_incidents", FactAdmin, lambda m: m.it_incidents),
    ),
}


def parts(indicator: Indicator) -> list[str]:
    """The additive columns of ``indicator`` in :func:`domain_frame` output."""
    return [f"{indicator.key}__num"] + ([f"{indicator.key}__den"] if indicator.denominator else [])
