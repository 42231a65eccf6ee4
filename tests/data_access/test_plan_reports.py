"""Writing quarterly reports: permissions, validation, deadlines, versions, return flow."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from data_access import plan_calendar as cal
from data_access import plan_reports as reports
from data_access.models import QuarterlyReport
from data_access.queries import plan
from data_access.report_rules import (
    QuarterOutOfRangeError,
    ReportNotFoundError,
    ReportPermissionError,
    ReportStateError,
    ReportValidationError,
    diff,
    may_report,
)
from tests.data_access.plan_report_data import (
    GDTRH,
    KHTC,
    LEADER,
    SCHOOL_1,
    SCHOOL_2,
    VPS,
    build_plan,
)

BEFORE = datetime(2025, 9, 20, 3, 0, tzinfo=UTC)
ON_TIME_LAST_SECOND = datetime(2025, 9, 25, 16, 59, 59, tzinfo=UTC)  # 23:59:59 in HCMC
LATE_FIRST_SECOND = datetime(2025, 9, 25, 17, 0, 0, tzinfo=UTC)  # 00:00 on the 26th
ITEM = {"key": "DX-1.1", "status": "in_progress", "progress": 40, "done": "Đã khảo sát."}


@pytest.fixture
def warehouse(migrated_engine: Engine, shared_dir: Path) -> Engine:
    build_plan(migrated_engine, shared_dir)
    return migrated_engine


def save(engine: Engine, items=(ITEM,), *, submit=True, by=KHTC, at=BEFORE, reporter="KHTC"):
    return reports.save_report(
        engine, reporter=reporter, quarter="2025Q3", items=list(items), submit=submit, by=by, at=at
    )


def test_deadline_is_the_end_of_the_25th_in_the_city() -> None:
    assert cal.deadline("2025Q3") == datetime(2025, 9, 25, 16, 59, 59, tzinfo=UTC)
    assert not cal.is_late(ON_TIME_LAST_SECOND, "2025Q3")
    assert cal.is_late(LATE_FIRST_SECOND, "2025Q3")
    assert cal.days_left("2025Q3", datetime(2025, 9, 24, 17, 30, tzinfo=UTC)) == 0  # 25th local
    assert cal.days_left("2025Q3", datetime(2025, 9, 24, 16, 30, tzinfo=UTC)) == 1
    assert cal.days_left("2025Q3", LATE_FIRST_SECOND) == -1


def test_tasks_of_a_unit_a_division_of_pcm_and_a_school(warehouse: Engine) -> None:
    khtc = {t["key"] for t in reports.tasks_for(warehouse, "KHTC", "2025Q3")}
    assert {"DX-1.1", "DX-3.1", "P2023-5", "P2023-11"} <= khtc and "DX-2.2" not in khtc
    gdtrh = {t["key"] for t in reports.tasks_for(warehouse, "GDTrH", "2025Q3")}
    assert {"DX-2.3", "DX-2.1", "P2023-9.1"} <= gdtrh  # 2.1 and 9.1 are led by the PCM group
    school = reports.tasks_for(warehouse, "school:1", "2025Q3")
    assert [t["key"] for t in school] == [
        f"P2023-{c}" for c in ("3.1", "3.2", "3.3", "3.4", "5", "8")
    ]
    with pytest.raises(ReportNotFoundError, match="school:9"):
        reports.tasks_for(warehouse, "school:9", "2025Q3")


def test_submit_on_the_last_second_is_on_time_and_a_second_later_is_late(warehouse: Engine) -> None:
    on_time = save(warehouse, at=ON_TIME_LAST_SECOND)
    assert on_time["state"] == "submitted" and not on_time["late"]
    assert on_time["submitted_at"] == "2025-09-25T16:59:59Z"
    late = save(
        warehouse,
        by=GDTRH,
        reporter="GDTrH",
        at=LATE_FIRST_SECOND,
        items=[{"key": "DX-2.3", "status": "done", "progress": 100}],
    )
    assert late["late"] and late["action"] == "submit"
    frame = plan.quarterly_reports(warehouse).set_index("unit_code")
    assert frame.loc["GDTrH", "submitted_at"] == datetime(2025, 9, 26, 0, 0)  # local time


def test_a_unit_never_writes_another_units_or_a_schools_report(warehouse: Engine) -> None:
    with pytest.raises(ReportPermissionError):
        save(warehouse, by=GDTRH)  # GDTrH writing KHTC's report
    with pytest.raises(ReportPermissionError):
        save(warehouse, by=SCHOOL_2, reporter="school:1", items=[{"key": "P2023-5"}])
    with pytest.raises(ReportPermissionError):
        save(warehouse, by=LEADER)
    with pytest.raises(ReportPermissionError, match=r"DX-2\.3"):
        save(warehouse, items=[{"key": "DX-2.3"}])  # a task KHTC does not report on
    assert may_report(SCHOOL_1, "school:1", "P2023-5", reportable={"P2023-5"})
    assert not may_report(SCHOOL_1, "school:1", "DX-1.1", reportable={"P2023-5"})
    with warehouse.connect() as connection:
        assert connection.scalar(select(QuarterlyReport.id)) is None


def test_a_school_reports_on_its_tasks_and_is_not_in_the_units_view(warehouse: Engine) -> None:
    saved = save(
        warehouse,
        by=SCHOOL_1,
        reporter="school:1",
        items=[
            {"key": "P2023-5", "status": "done", "progress": 100, "difficulties": "Thiếu máy tính."}
        ],
    )
    assert saved["unit_code"] == "CSGD" and saved["institution_id"] == 1
    assert plan.quarterly_reports(warehouse).empty and plan.task_progress(warehouse).empty


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"key": "DX-1.1", "status": "overdue"}, "items[0].status"),
        ({"key": "DX-1.1", "progress": 101}, "items[0].progress"),
        ({"key": "DX-1.1", "progress": 12.5}, "items[0].progress"),
        ({"key": "DX-1.1", "done": "x" * 4001}, "items[0].done"),
        ({"key": "DX-1.1", "due": "2030-01-01"}, "items[0].due"),
        ({"key": "DX-1.1", "title_vi": "Khác"}, "items[0].title_vi"),
        ({"status": "done"}, "items[0].key"),
    ],
)
def test_bad_items_are_refused_with_the_field(warehouse: Engine, item, field) -> None:
    with pytest.raises(ReportValidationError) as error:
        save(warehouse, items=[item])
    assert error.value.field == field


def test_quarter_out_of_range_is_its_own_error(warehouse: Engine) -> None:
    for quarter in ("2022Q4", "2025Q4"):
        with pytest.raises(QuarterOutOfRangeError, match=quarter):
            reports.save_report(
                warehouse,
                reporter="KHTC",
                quarter=quarter,
                items=[ITEM],
                submit=True,
                by=KHTC,
                at=BEFORE,
            )
    with pytest.raises(ReportValidationError):
        reports.save_report(
            warehouse,
            reporter="KHTC",
            quarter="2025Q5",
            items=[ITEM],
            submit=True,
            by=KHTC,
            at=BEFORE,
        )


def test_reopen_before_the_deadline_and_late_amendment_after(warehouse: Engine) -> None:
    first = save(warehouse, submit=False)
    assert first["state"] == "draft" and first["action"] == "save_draft"
    assert save(warehouse)["action"] == "submit"
    reopened = save(warehouse, items=[], submit=False, at=datetime(2025, 9, 22, tzinfo=UTC))
    assert reopened["state"] == "draft" and reopened["action"] == "reopen"
    again = save(warehouse, at=datetime(2025, 9, 23, tzinfo=UTC))
    assert again["submitted_at"] == "2025-09-20T03:00:00Z" and not again["late"]
    amended = save(warehouse, items=[{**ITEM, "progress": 55}], submit=False, at=LATE_FIRST_SECOND)
    assert amended["state"] == "submitted" and amended["action"] == "late_amendment"
    assert amended["amended_late"] and not amended["late"]
    history = reports.versions(warehouse, amended["id"])
    assert [v["action"] for v in history] == [
        "save_draft",
        "submit",
        "reopen",
        "submit",
        "late_amendment",
    ]
    assert [v["late"] for v in history] == [False, False, False, False, True]
    assert history[-1]["changes"] == {"DX-1.1": ["progress"]}
    assert history[0]["changes"] == {"DX-1.1": ["status", "progress", "done"]}
    assert history[-1]["items"][0]["progress"] == 55


def test_return_needs_a_comment_and_a_submitted_report(warehouse: Engine) -> None:
    draft = save(warehouse, submit=False)
    with pytest.raises(ReportStateError):
        reports.return_report(warehouse, draft["id"], "Bổ sung số liệu.", VPS)
    submitted = save(warehouse)
    with pytest.raises(ReportValidationError):
        reports.return_report(warehouse, submitted["id"], "  ", VPS)
    with pytest.raises(ReportNotFoundError):
        reports.return_report(warehouse, 999, "Bổ sung.", VPS)
    returned = reports.return_report(
        warehouse, submitted["id"], "Bổ sung số liệu.", VPS, at=datetime(2025, 9, 21, tzinfo=UTC)
    )
    assert returned["state"] == "returned" and returned["returned_by"] == "vps"
    assert returned["return_comment"] == "Bổ sung số liệu."
    with pytest.raises(ReportStateError):
        reports.return_report(warehouse, submitted["id"], "Lần nữa.", VPS)
    fixed = save(warehouse, items=[{**ITEM, "done": "Đã bổ sung số liệu."}], at=LATE_FIRST_SECOND)
    assert fixed["state"] == "submitted" and fixed["action"] == "submit" and not fixed["late"]
    history = reports.versions(warehouse, fixed["id"])
    assert [v["action"] for v in history] == ["save_draft", "submit", "return", "submit"]
    assert history[2]["comment"] == "Bổ sung số liệu." and history[2]["changes"] == {}
    assert diff(history[1], history[3]) == {"DX-1.1": ["done"]}


def test_column_two_never_changes_and_adhoc_tasks_are_reported(warehouse: Engine) -> None:
    task = reports.add_adhoc_task(
        warehouse,
        reporter="KHTC",
        quarter="2025Q3",
        name="Rà soát thiết bị theo chỉ đạo của Sở",
        due=date(2025, 9, 30),
        by=KHTC,
        at=BEFORE,
    )
    assert task["key"].startswith("AH-") and task["role"] == "adhoc"
    keys = [t["key"] for t in reports.tasks_for(warehouse, "KHTC", "2025Q3")]
    assert task["key"] in keys
    assert task["key"] not in [t["key"] for t in reports.tasks_for(warehouse, "KHTC", "2025Q2")]
    saved = save(warehouse, items=[ITEM, {"key": task["key"], "status": "done", "progress": 100}])
    assert [i["key"] for i in saved["items"]] == ["DX-1.1", task["key"]]
    before = plan.plan_tasks(warehouse)
    assert task["key"] not in set(before["code"]) and len(before) == 52
    assert reports.current_reports(warehouse, task="DX-1.1")[0]["items"] == [
        {
            "key": "DX-1.1",
            "status": "in_progress",
            "progress": 40,
            "done": "Đã khảo sát.",
            "next": None,
            "difficulties": None,
            "recommendations": None,
        }
    ]
    assert reports.current_reports(warehouse, quarter="2025Q2") == []
    assert [r["reporter"] for r in reports.current_reports(warehouse, unit="KHTC")] == ["KHTC"]


def test_punctuality_per_reporter_kind_and_ward(warehouse: Engine) -> None:
    from analytics.report_punctuality import punctuality_counts
    from data_access.report_punctuality import punctuality

    save(warehouse, at=ON_TIME_LAST_SECOND)
    save(
        warehouse,
        by=SCHOOL_1,
        reporter="school:1",
        items=[{"key": "P2023-5"}],
        at=LATE_FIRST_SECOND,
    )
    gdtrh = save(warehouse, by=GDTRH, reporter="GDTrH", items=[{"key": "DX-2.3"}])
    reports.return_report(warehouse, gdtrh["id"], "Bổ sung.", VPS)
    before = punctuality(warehouse, "2025Q3", now=ON_TIME_LAST_SECOND).set_index("reporter")
    assert before.loc["school:2", "state"] == "not_due"
    frame = punctuality(warehouse, "2025Q3", now=LATE_FIRST_SECOND).set_index("reporter")
    assert frame.loc["KHTC", "state"] == "on_time" and frame.loc["GDTrH", "state"] == "returned"
    assert frame.loc["school:1", "state"] == "late" and frame.loc["school:2", "state"] == "missing"
    assert frame.loc["TTS", "state"] == "missing" and "PCM" not in frame.index
    wards = punctuality_counts(frame.reset_index(), by="ward_code")
    assert wards.to_dict("records")[0] | {} == {
        "ward_code": "26734",
        "on_time": 0,
        "late": 1,
        "returned": 0,
        "missing": 1,
        "not_due": 0,
        "expected": 2,
        "on_time_share": 0.0,
    }
    kinds = punctuality_counts(frame.reset_index()).set_index("kind")
    assert kinds.loc["division", "on_time"] == 1 and kinds.loc["division", "returned"] == 1
