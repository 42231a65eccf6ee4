"""The datasets member systems may load: their columns, checks and target fact table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from data_access.models import (
    DxScore,
    FactAdmin,
    FactEnrolment,
    FactExam,
    FactFacility,
    FactHealth,
    FactNonPublic,
    FactOutcome,
    FactStaff,
    Institution,
    TaskProgress,
)
from data_access.models.base import Base
from data_access.models.institutions import KINDS, LEVELS, LICENCE_STATUSES, OWNERSHIPS
from data_access.models.plan import ITEM_STATUSES
from data_access.report_rules import MAX_TEXT


@dataclass(frozen=True)
class Column:
    """One column of a dataset file: name, type (``int``, ``float``, ``str``, ``code``,
    ``date``, ``text``) and bounds.

    A numeric column must declare both bounds: the values a single Vietnamese school or centre
    can really report for one school year. They are deliberately generous (several times the
    largest figure in the seeded city warehouse) so that a real outlier loads, while a typing slip,
    a unit mix-up or a hostile value (``1e308``, ``1e20``) does not. A ``str`` column must list
    its ``choices``. A ``code`` column holds an identifier that the dataset checks against the
    warehouse (at most :data:`CODE_LENGTH` characters); a ``date`` column a date written
    ``dd/mm/yyyy`` or ``YYYY-MM-DD``; a ``text`` column free text of at most ``maximum``
    characters (a name, an address). A column that is not ``required`` may be left empty.
    """

    name: str
    kind: str = "int"
    minimum: float | None = 0
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = True

    def __post_init__(self) -> None:
        if self.kind in ("code", "date"):
            return
        if self.kind == "text":  # free text (a name, an address): ``maximum`` characters
            if not self.maximum:
                raise ValueError(f"text column {self.name!r} must declare its longest length")
            return
        if self.kind == "str":
            if not self.choices:
                raise ValueError(f"text column {self.name!r} must list its choices")
            return
        if self.minimum is None or self.maximum is None:
            raise ValueError(f"numeric column {self.name!r} must declare its plausible range")
        if not self.minimum < self.maximum < 2**31:  # fact columns are 32-bit INTEGER / FLOAT
            raise ValueError(f"column {self.name!r}: range {self.minimum}..{self.maximum}")


CODE_LENGTH = 40


@dataclass(frozen=True)
class Dataset:
    """A loadable dataset: one table, keyed by school year, institution and ``key``.

    A fact dataset has a data domain; ``dx_assessments`` (no domain) is checked, written and
    exported by :mod:`data_access.ingest.dx` through the ``checker``, ``writer`` and
    ``exporter`` hooks, which :mod:`data_access.ingest.catalogue` attaches (dx reads its own
    declaration here, so this module cannot import it).
    """

    name: str
    model: type[Base]
    domain_id: int | None
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    #: (column, must not exceed column) pairs, e.g. girls ≤ pupils.
    at_most: tuple[tuple[str, str], ...] = ()
    #: Datasets that are not yearly facts (the registry, plan reports) bring their own
    #: header, check, write and export (see ``data_access.ingest.registry``).
    own_header: tuple[str, ...] = ()
    checker: Callable[..., Any] | None = None
    writer: Callable[..., Any] | None = None
    exporter: Callable[..., Any] | None = None
    #: One line for ``ingest --list`` and the intake page.
    title: str = ""
    #: Why a committed batch of this dataset cannot be undone (empty: it can); ``ingest
    #: --undo`` and the intake page refuse it with this message.
    undo_refusal: str = ""
    #: Its rules depend on who loads the file (plan reports: a unit writes its own): the
    #: checker and writer then take the caller as one more argument.
    acts_for_caller: bool = False

    @property
    def header(self) -> list[str]:
        """The file's columns in order."""
        if self.own_header:
            return list(self.own_header)
        return ["school_year", "institution_code", *[c.name for c in self.columns]]


#: The start year (2024 = 2024–25). Before 1 July 2025 a row is filed under its old ward, and
#: the old-ward map is that of the 2000s–2025, so a 1975–1999 year would land in wards that
#: did not exist yet: such years (and those after 2100) are refused as typing slips.
YEAR = Column("school_year", minimum=2000, maximum=2100)

# Ranges below are per institution and school year (per grade for enrolment). For scale: the
# seeded city warehouse's largest schools have about 7,000 pupils, 350 teachers, 190 classrooms
# and 2,100 pupils in one grade; a class has at most 35 (primary) or 45 (secondary) pupils
# (Circulars 28/2020 and 32/2020), so 5,000 pupils in a grade would be 110+ classes.
#: Pupils of one whole school or centre in a year (assessed, examined, insured, …).
SCHOOL_PUPILS = 20_000
#: Statuses of a DX assessment: draft → submitted → reviewed (or returned) → published.
DX_STATUSES = ("draft", "submitted", "returned", "reviewed", "published")
DX_ASSESSMENTS = "dx_assessments"
INSTITUTIONS = "institutions"
PLAN_REPORTS = "plan_reports"
#: The registry's columns, in file order (one row per institution, keyed by ``code``).
INSTITUTION_COLUMNS = (
    Column("code", "code"),
    Column("name", "text", maximum=200),
    Column("kind", "str", choices=KINDS),
    Column("level", "str", choices=LEVELS, required=False),
    Column("ownership", "str", choices=OWNERSHIPS),
    Column("address", "text", maximum=300, required=False),
    # the ward's national code as it was on ``as_of``: an old ward's before 1 July 2025
    Column("ward_code", "code"),
    Column("as_of", "date"),
    Column("latitude", "float", minimum=-90, maximum=90),
    Column("longitude", "float", minimum=-180, maximum=180),
    Column("licence_no", "text", maximum=40, required=False),
    Column("licence_issued", "date", required=False),
    Column("licence_valid_until", "date", required=False),
    Column("licence_status", "str", choices=LICENCE_STATUSES, required=False),
)
DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "enrolment",
            FactEnrolment,
            1,
            (
                Column("grade", maximum=12),  # 0 = preschool, 1–12 = general education
                Column("pupils", maximum=5_000),  # in one grade of one school
                Column("girls", maximum=5_000),
                Column("classes", maximum=200),  # 5,000 pupils in classes of 25 or more
            ),
            key=("grade",),
            at_most=(("girls", "pupils"),),
            title="pupils, girls and classes per grade of a school and school year",
        ),
        Dataset(
            "outcomes",
            FactOutcome,
            1,
            (
                # whole-school counts at year end
                Column("pupils_assessed", maximum=SCHOOL_PUPILS),
                Column("promoted", maximum=SCHOOL_PUPILS),
                Column("retained", maximum=SCHOOL_PUPILS),
                Column("dropouts", maximum=SCHOOL_PUPILS),
                Column("graduates", maximum=SCHOOL_PUPILS),
            ),
            at_most=(("promoted", "pupils_assessed"),),
            title="year-end results of a school: assessed, promoted, retained, dropouts, graduates",
        ),
        Dataset(
            "staff",
            FactStaff,
            2,
            (
                Column("teachers", maximum=1_000),  # the largest seeded school has ~350
                Column("teachers_female", maximum=1_000),
                Column("teachers_above_standard", maximum=1_000),
                Column("managers", maximum=100),  # principal and deputies: usually 2–5
                Column("support_staff", maximum=500),
            ),
            at_most=(("teachers_female", "teachers"),),
            title="teachers, managers and support staff of a school and school year",
        ),
        Dataset(
            "facilities",
            FactFacility,
            3,
            (
                Column("classrooms", maximum=500),
                Column("classrooms_solid", maximum=500),
                Column("functional_rooms", maximum=200),
                Column("computer_rooms", maximum=50),
                Column("computers", maximum=5_000),
                Column("smart_classrooms", maximum=500),
                Column("site_area_m2", "float", maximum=1_000_000),  # 100 ha; schools: ≤ 10 ha
                Column("internet_mbps", "float", maximum=100_000),  # 100 Gbit/s
            ),
            at_most=(("classrooms_solid", "classrooms"),),
            title="classrooms, functional rooms, computers, site area and internet of a school",
        ),
        Dataset(
            "exams",
            FactExam,
            4,
            (
                Column("exam", "str", choices=("grade10", "graduation")),
                Column("candidates", maximum=SCHOOL_PUPILS),
                Column("mean_score", "float", maximum=10),  # Vietnam's 10-point scale
                Column("pass_rate", "float", maximum=1),  # a fraction, not a percentage
            ),
            key=("exam",),
            title="grade-10 entrance and graduation exams: candidates, mean score, pass rate",
        ),
        Dataset(
            "nonpublic",
            FactNonPublic,
            5,
            (
                # language, IT and skills centres: the largest enrol tens of thousands a year
                Column("learners", maximum=100_000),
                Column("staff", maximum=5_000),
                Column("foreign_staff", maximum=5_000),
                Column("courses", maximum=10_000),
                Column("inspections", maximum=365),  # at most one a day
                Column("violations", maximum=1_000),
            ),
            at_most=(("foreign_staff", "staff"),),
            title="learners, staff, courses and inspections of a non-public centre",
        ),
        Dataset(
            "health",
            FactHealth,
            6,
            (
                # whole-school counts of pupils
                Column("pupils_examined", maximum=SCHOOL_PUPILS),
                Column("overweight", maximum=SCHOOL_PUPILS),
                Column("underweight", maximum=SCHOOL_PUPILS),
                Column("myopia", maximum=SCHOOL_PUPILS),
                Column("insured", maximum=SCHOOL_PUPILS),
                Column("conduct_good", maximum=SCHOOL_PUPILS),
                Column("life_skills_participants", maximum=SCHOOL_PUPILS),
            ),
            at_most=(("overweight", "pupils_examined"), ("myopia", "pupils_examined")),
            title="school health: pupils examined, overweight, myopia, insured, life skills",
        ),
        Dataset(
            "administration",
            FactAdmin,
            7,
            (
                Column("awards", maximum=10_000),  # emulation titles of staff and pupils
                Column("disciplinary_cases", maximum=1_000),
                Column("inspections", maximum=365),  # at most one a day
                Column("inspection_findings", maximum=10_000),
                Column("documents_processed", maximum=500_000),  # incoming and outgoing
                Column("documents_online", maximum=500_000),
                Column("it_incidents", maximum=10_000),
            ),
            at_most=(("documents_online", "documents_processed"),),
            title="awards, discipline, inspections, documents and IT incidents of a school",
        ),
        Dataset(
            DX_ASSESSMENTS,
            DxScore,
            None,
            (
                # one row per criterion of a school's assessment (Decision 4725/QĐ-BGDĐT);
                # points are checked against the criterion's maximum in data_access.ingest.dx
                Column("criteria_set", "code"),
                Column("criterion_code", "code"),
                Column("self_points", "float", maximum=100),
                Column("reviewed_points", "float", maximum=100, required=False),
                Column("status", "str", choices=DX_STATUSES),
                Column("submitted_on", "date", required=False),
                Column("published_on", "date", required=False),
            ),
            key=("criteria_set", "criterion_code"),
            undo_refusal=(
                f"undo is not available for {DX_ASSESSMENTS} batches; load the previous file again"
            ),
            title="a school's digital-transformation self-assessment, one row per criterion",
        ),
        Dataset(
            INSTITUTIONS,
            Institution,
            None,
            INSTITUTION_COLUMNS,
            key=("code",),
            own_header=tuple(c.name for c in INSTITUTION_COLUMNS),
            title="the EDUGIS registry: name, kind, level, ownership, address, ward, "
            "coordinates and licence of each institution",
        ),
        Dataset(
            PLAN_REPORTS,
            TaskProgress,
            None,
            (
                # one item of a reporter's quarterly report (Phụ lục II), checked by the
                # report service's rules in data_access.ingest.reports
                Column("quarter", "code"),
                Column("reporter", "code"),  # a unit code or school:<institution id>
                Column("task", "code"),  # the task's key: P2023-1.1, DX-1.1, AH-<id>
                Column("status", "str", choices=ITEM_STATUSES),
                Column("progress", maximum=100),  # per cent
                Column("done", "text", maximum=MAX_TEXT, required=False),
                Column("next", "text", maximum=MAX_TEXT, required=False),
                Column("difficulties", "text", maximum=MAX_TEXT, required=False),
                Column("recommendations", "text", maximum=MAX_TEXT, required=False),
            ),
            key=("quarter", "reporter", "task"),
            own_header=(
                "quarter",
                "reporter",
                "task",
                "status",
                "progress",
                "done",
                "next",
                "difficulties",
                "recommendations",
            ),
            undo_refusal=(
                f"undo is not available for {PLAN_REPORTS} batches: each report keeps its "
                "versions; load a corrected file (a new version)"
            ),
            acts_for_caller=True,
            title="Phụ lục II kept in a spreadsheet: one task of a unit's or school's "
            "quarterly report per row (status, progress, columns 3–6)",
        ),
    )
}
