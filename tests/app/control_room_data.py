"""Small hand-made warehouses for the control room and domain tests (not a test module).

``build_small(engine)`` writes four 2025 wards, four old wards in two old districts (one
old ward split), six institutions, three school years of facts, plan tasks, quarterly
reports and ingestion batches, with figures chosen so that every alert rule fires once.
``call`` posts a callback the way the browser does.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import shapely
from shapely.geometry import box
from sqlalchemy import Engine

from data_access.db import transaction
from data_access.models import (
    AdminUnit,
    DataDomain,
    DxAssessment,
    DxCriteriaSet,
    FactAdmin,
    FactEnrolment,
    FactExam,
    FactFacility,
    FactHealth,
    FactNonPublic,
    FactOutcome,
    FactStaff,
    IngestionBatch,
    Institution,
    PlanTask,
    PlanUnit,
    QuarterlyReport,
    TaskProgress,
    UnitCrosswalk,
)

YEARS = (2023, 2024, 2025)
DOMAINS = [
    (
        1,
        "students",
        "Dữ liệu về học sinh các cấp, chất lượng giáo dục",
        "Students at all levels, education quality",
        "GDMN;GDTiH;GDTrH;GDTX-CN&ĐH",
    ),
    (
        2,
        "staff",
        "Dữ liệu về cán bộ, công chức, viên chức, người lao động",
        "Managers, civil servants, public employees and workers",
        "TCCB",
    ),
    (3, "facilities", "Dữ liệu về cơ sở vật chất trường học", "School facilities", "KHTC"),
    (
        4,
        "exams",
        "Dữ liệu về các kỳ thi, tuyển sinh đầu cấp",
        "Examinations and entry-level admissions",
        "KT&KĐCLGD",
    ),
    (5, "non-public", "Dữ liệu về các đơn vị ngoài công lập", "Non-public units", "QLCSGDNCL"),
    (
        6,
        "health",
        "Dữ liệu về sức khỏe, y tế, rèn luyện, kỹ năng của học sinh",
        "Student health, medical care, conduct, skills",
        "CTTT",
    ),
    (
        7,
        "administration",
        "Dữ liệu về thi đua, khen thưởng, kỷ luật, thanh tra",
        "Emulation, rewards, discipline, inspection",
        "VPS;TTS",
    ),
]
UNITS = [
    ("VPS", "Văn phòng Sở", "Department Office"),
    ("KHTC", "Phòng Kế hoạch Tài chính", "Planning and Finance Division"),
    ("TCCB", "Phòng Tổ chức Cán bộ", "Personnel Organisation Division"),
    ("GDMN", "Phòng Giáo dục Mầm non", "Preschool Education Division"),
    ("GDTiH", "Phòng Giáo dục Tiểu học", "Primary Education Division"),
    ("GDTrH", "Phòng Giáo dục Trung học", "Secondary Education Division"),
    ("GDTX-CN&ĐH", "Phòng GDTX-CN&ĐH", "Continuing Education Division"),
    ("KT&KĐCLGD", "Phòng Khảo thí và KĐCLGD", "Examinations Division"),
    ("QLCSGDNCL", "Phòng Quản lý CSGD ngoài công lập", "Non-public Institutions Division"),
    ("CTTT", "Phòng Chính trị tư tưởng", "Student Affairs Division"),
    ("TTS", "Thanh tra Sở", "Department Inspectorate"),
]
LEVEL_GRADES = {
    "preschool": [0],
    "primary": [1, 2, 3, 4, 5],
    "lower_secondary": [6, 7, 8, 9],
    "upper_secondary": [10, 11, 12],
}


def _unit(
    uid: str, kind: str, name: str, parent: str | None, geom: object = None, code: str | None = None
) -> dict:
    return {
        "id": uid,
        "code": code or uid.lstrip("OWDP"),
        "kind": kind,
        "name": name,
        "name_en": name,
        "parent_id": parent,
        "geom": geom,
        "source": "test",
    }


def _reference(session, today: date) -> None:
    session.add_all(PlanUnit(code=c, name_vi=v, name_en=e, kind="division") for c, v, e in UNITS)
    session.add_all(
        DataDomain(
            id=i,
            slug=s,
            name_vi=v,
            name_en=e,
            supervising_units=u,
            refresh_days=365 if i != 7 else 92,
            source_system=f"System {i}",
        )
        for i, s, v, e, u in DOMAINS
    )
    session.add(DxCriteriaSet(id=1, code="4725", title="QĐ 4725", source="test"))
    session.flush()
    now = datetime.combine(today, datetime.min.time())
    ages = {1: 10, 2: 400, 3: 20, 4: 30, 5: 40, 7: 15}  # domain 6 never loaded
    session.add_all(
        IngestionBatch(
            dataset=f"domain{d}",
            domain_id=d,
            source_system="test",
            started_at=now - timedelta(days=age, minutes=5),
            finished_at=now - timedelta(days=age),
            status="done",
            rows_in=1,
            rows_loaded=1,
        )
        for d, age in ages.items()
    )
    tasks = [
        PlanTask(
            id=1,
            kind="dx",
            code="1.1",
            group="1",
            title_vi="Phòng máy đạt chuẩn",
            title_en="Standard computer rooms",
            lead_units="KHTC",
            due=date(2024, 12, 31),
            status_early_2023="in_progress",
            source="test",
        ),
        PlanTask(
            id=2,
            kind="dx",
            code="1.2",
            group="1",
            title_vi="Đường truyền tốc độ cao",
            title_en="Fast connections",
            lead_units="KHTC",
            due=today + timedelta(days=200),
            status_early_2023="not_started",
            source="test",
        ),
        PlanTask(
            id=3,
            kind="item",
            code="1.4",
            group="1",
            title_vi="Xây dựng IOC",
            title_en="Build the IOC",
            lead_units="VPS",
            due=date(2023, 9, 30),
            status_early_2023="in_progress",
            source="test",
        ),
    ]
    session.add_all(tasks)
    session.flush()
    last_due = _last_due_quarter(today)
    q_code, q_due = last_due
    reports = [
        QuarterlyReport(
            id=1,
            unit_code="KHTC",
            quarter=q_code,
            due_on=q_due,
            submitted_at=datetime.combine(q_due, datetime.min.time()) - timedelta(days=2),
        ),
        QuarterlyReport(
            id=2,
            unit_code="TCCB",
            quarter=q_code,
            due_on=q_due,
            submitted_at=datetime.combine(q_due, datetime.min.time()) + timedelta(days=4, hours=10),
        ),
        QuarterlyReport(id=3, unit_code="VPS", quarter=q_code, due_on=q_due, submitted_at=None),
    ]
    session.add_all(reports)
    session.flush()
    session.add_all(
        [
            TaskProgress(report_id=1, task_id=1, status="in_progress", percent=60),
            TaskProgress(report_id=1, task_id=2, status="in_progress", percent=20),
            TaskProgress(report_id=2, task_id=3, status="done", percent=100),
        ]
    )


def _last_due_quarter(today: date) -> tuple[str, date]:
    """The latest quarter whose report (due the 25th of its last month) is due by today."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(5):
        due = date(year, quarter * 3, 25)
        if due <= today:
            return f"{year}Q{quarter}", due
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    raise AssertionError("unreachable")


def _facts(session, schools: list[dict], rng: np.random.Generator, overrides: dict) -> None:
    """Facts of every domain for each school and year; ``overrides`` shape the alerts."""
    for year in YEARS:
        for school in schools:
            sid = school["id"]
            unit = school["ward_id"] if year >= 2025 else school["old_ward_id"]
            base = {"school_year": year, "institution_id": sid, "unit_id": unit, "generated": True}
            if school["kind"] == "language_it_centre":
                session.add(
                    FactNonPublic(
                        **base,
                        learners=300 + year % 10,
                        staff=12,
                        foreign_staff=3,
                        courses=8,
                        inspections=2,
                        violations=1 if year == 2025 else 0,
                    )
                )
                continue
            size = overrides.get(("size", sid, year), 30)
            classes_per_grade = overrides.get(("classes", sid), 2)
            total_classes = 0
            for grade in LEVEL_GRADES[school["level"]]:
                pupils = size * classes_per_grade
                session.add(
                    FactEnrolment(
                        **base,
                        grade=grade,
                        pupils=pupils,
                        girls=pupils // 2,
                        classes=classes_per_grade,
                    )
                )
                total_classes += classes_per_grade
            session.add(
                FactOutcome(
                    **base,
                    pupils_assessed=size * total_classes,
                    promoted=size * total_classes - 3,
                    retained=2,
                    dropouts=1,
                    graduates=None,
                )
            )
            if ("no_staff", sid, year) not in overrides:
                teachers = overrides.get(("teachers", sid, year), int(np.ceil(total_classes * 2.3)))
                session.add(
                    FactStaff(
                        **base,
                        teachers=teachers,
                        teachers_female=teachers // 2,
                        teachers_above_standard=teachers - 1,
                        managers=2,
                        support_staff=5,
                    )
                )
            rooms = overrides.get(("rooms", sid, year), total_classes + 1)
            session.add(
                FactFacility(
                    **base,
                    classrooms=rooms,
                    classrooms_solid=rooms,
                    functional_rooms=3,
                    computer_rooms=1,
                    computers=40,
                    smart_classrooms=1,
                    site_area_m2=5000.0,
                    internet_mbps=float(100 + rng.integers(0, 50)),
                )
            )
            if school["level"] == "upper_secondary":
                session.add(
                    FactExam(
                        **base,
                        exam="graduation",
                        candidates=size * 2,
                        mean_score=6.5,
                        pass_rate=0.98,
                    )
                )
            session.add(
                FactHealth(
                    **base,
                    pupils_examined=size * total_classes,
                    overweight=10,
                    underweight=5,
                    myopia=20,
                    insured=size * total_classes - 1,
                    conduct_good=50,
                    life_skills_participants=40,
                )
            )
            session.add(
                FactAdmin(
                    **base,
                    awards=2,
                    disciplinary_cases=0,
                    inspections=1,
                    inspection_findings=0,
                    documents_processed=100,
                    documents_online=90,
                    it_incidents=0,
                )
            )
            level = overrides.get(("dx", sid, year), 2)
            session.add(
                DxAssessment(
                    institution_id=sid,
                    set_id=1,
                    school_year=year,
                    status="published",
                    self_group1=60,
                    self_group2=60,
                    mandatory_met=True,
                    level=level,
                )
            )


def build_small(engine: Engine, *, today: date | None = None) -> None:
    """The small warehouse described in the module docstring (figures in the comments)."""
    today = today or date.today()

    def sq(x: int, y: int) -> shapely.MultiPolygon:
        return shapely.MultiPolygon(
            [box(106.6 + x * 0.02, 10.7 + y * 0.02, 106.62 + x * 0.02, 10.72 + y * 0.02)]
        )

    with transaction(engine) as session:
        _reference(session, today)
        session.add_all(
            AdminUnit(**u)
            for u in [
                _unit("OP79", "old_province", "TP. Hồ Chí Minh", None),
                _unit("OD760", "old_district", "Quận 1", "OP79", sq(0, 0)),
                _unit("OD770", "old_district", "Quận 3", "OP79", sq(1, 0)),
            ]
        )
        session.flush()
        session.add_all(
            AdminUnit(**u)
            for u in [
                _unit("OW1", "old_ward", "Phường Bến Nghé", "OD760"),
                _unit("OW2", "old_ward", "Phường Bến Thành", "OD760"),
                _unit("OW3", "old_ward", "Phường Võ Thị Sáu", "OD770"),
                _unit("OW4", "old_ward", "Phường 9", "OD770"),
                _unit("W1", "ward", "Phường Sài Gòn", None, sq(0, 0), "26734"),
                _unit("W2", "ward", "Phường Xuân Hòa", None, sq(1, 0), "26740"),
                _unit("W3", "ward", "Phường Nhiêu Lộc", None, sq(1, 1), "26743"),
                _unit("W4", "ward", "Đặc khu Côn Đảo", None, sq(0, 1), "26750"),
            ]
        )
        session.flush()
        session.add_all(
            UnitCrosswalk(old_unit_id=o, new_unit_id=n, partly_merged=p, weight=w, source="test")
            for o, n, p, w in [
                ("OW1", "W1", False, 1.0),
                ("OW2", "W1", False, 1.0),
                ("OW3", "W2", True, 0.6),
                ("OW3", "W3", True, 0.4),
                ("OW4", "W3", False, 1.0),
            ]
        )
        schools = [
            dict(
                id=1,
                name="Trường Tiểu học An Khánh",
                kind="school",
                level="primary",
                ownership="public",
                ward_id="W1",
                old_ward_id="OW1",
                lon=106.605,
                lat=10.705,
            ),
            dict(
                id=2,
                name="Trường THCS Bến Nghé",
                kind="school",
                level="lower_secondary",
                ownership="public",
                ward_id="W1",
                old_ward_id="OW2",
                lon=106.61,
                lat=10.71,
            ),
            dict(
                id=3,
                name="Trường THPT Lê Quý Đôn",
                kind="school",
                level="upper_secondary",
                ownership="public",
                ward_id="W2",
                old_ward_id="OW3",
                lon=106.625,
                lat=10.705,
            ),
            dict(
                id=4,
                name="Trường Mầm non Hoa Sen <b>",
                kind="school",
                level="preschool",
                ownership="private",
                ward_id="W3",
                old_ward_id="OW4",
                lon=106.63,
                lat=10.73,
            ),
            dict(
                id=5,
                name="Trung tâm Ngoại ngữ ABC",
                kind="language_it_centre",
                level=None,
                ownership="private",
                ward_id="W3",
                old_ward_id="OW4",
                lon=106.635,
                lat=10.735,
            ),
            dict(
                id=6,
                name="Trường Tiểu học Nguyễn Du",
                kind="school",
                level="primary",
                ownership="public",
                ward_id="W2",
                old_ward_id="OW3",
                lon=None,
                lat=None,
            ),
        ]
        session.add_all(
            Institution(code=f"T{s['id']}", opened_year=2000, source="test", **s) for s in schools
        )
        session.flush()
        # School 1: 40 pupils per class in 2025 (norm 35) and one classroom short.
        # School 3: 4 teachers for 6 classes (norm 2.25 → 13.5) in 2025: short even with
        # school 6 (same ward, its staff report late) estimated at its last year's surplus.
        # School 6: no staff report in 2025.
        overrides = {
            ("size", 1, 2025): 40,
            ("rooms", 1, 2025): 9,
            ("teachers", 3, 2025): 4,
            ("no_staff", 6, 2025): True,
            ("dx", 1, 2025): 3,
            ("dx", 3, 2025): 1,
        }
        _facts(session, schools, np.random.default_rng(0), overrides)


def small_app(folder, shape=None) -> tuple[object, Engine]:
    """(app, engine) on a new small warehouse in ``folder`` with one user per role;
    ``shape(engine)``, when given, edits the data before the app starts."""
    from data_access import migrate
    from data_access.db import make_engine
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config
    from tests.helpers import add_users

    url = f"sqlite:///{folder / 'small.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    build_small(engine)
    if shape is not None:
        shape(engine)
    add_users(engine)
    return create_app(test_config(url)), engine
