"""Plan progress by quarter on hand-made frames: states, filters, counts, punctuality."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from analytics import plan_progress as pp
from analytics.kpis import plan_counts

TODAY = date(2025, 11, 15)
GROUPS = {"PCM": ("GDMN", "GDTiH", "GDTrH")}


def _tasks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": ["dx", "dx", "item", "item", "dx", "item"],
            "code": ["1.1", "1.2", "1.4", "2.1", "3.1", "3.2"],
            "leads": [("KHTC",), ("KHTC", "VPS"), ("VPS",), ("PCM",), ("TCCB",), ("GDTrH",)],
            "due": [
                date(2024, 12, 31),
                date(2026, 6, 30),
                date(2023, 9, 30),
                date(2025, 12, 31),
                date(2026, 12, 31),
                date(2025, 9, 30),
            ],
            "status": ["in_progress", "not_started", "done", None, "in_progress", "overdue"],
            "percent": [60.0, None, 100.0, None, 0.0, 40.0],
            "quarter": ["2025Q3", None, "2024Q1", None, "2025Q2", "2025Q3"],
        }
    )


def test_quarters_parse_order_and_end() -> None:
    assert pp.parse_quarter("2025q3") == (2025, 3)
    for bad in ("2025Q5", "2025-3", "Q3", "abcdQ1", ""):
        with pytest.raises(ValueError, match="not a quarter"):
            pp.parse_quarter(bad)
    assert pp.quarter_of(date(2025, 12, 31)) == "2025Q4"
    assert pp.quarter_of(date(2026, 1, 1)) == "2026Q1"
    assert pp.quarter_end("2024Q1") == date(2024, 3, 31)
    assert pp.quarter_end("2025Q4") == date(2025, 12, 31)
    assert pp.previous_quarter("2025Q1") == "2024Q4"
    assert pp.quarter_range("2024Q3", "2025Q2") == ["2024Q3", "2024Q4", "2025Q1", "2025Q2"]
    assert pp.quarter_range("2025Q2", "2025Q1") == []
    assert pp.report_due("2025Q4") == date(2025, 12, 25)


def test_a_running_quarter_is_judged_today_a_past_one_on_its_last_day() -> None:
    assert pp.judged_on("2025Q3", TODAY) == date(2025, 9, 30)
    assert pp.judged_on("2025Q4", TODAY) == TODAY


def test_states_split_on_track_into_started_and_not_started() -> None:
    assert pp.task_state("not_started", None, date(2026, 1, 1), TODAY) == "not_started"
    assert pp.task_state(None, None, date(2026, 1, 1), TODAY) == "not_started"
    assert pp.task_state("in_progress", 0.0, date(2026, 1, 1), TODAY) == "on_track"
    assert pp.task_state("not_started", None, date(2025, 1, 1), TODAY) == "late"
    assert pp.task_state("not_started", 100.0, date(2025, 1, 1), TODAY) == "done"
    assert pp.task_state("overdue", 40.0, date(2030, 1, 1), TODAY) == "late"


def test_counts_agree_with_the_control_room_rule() -> None:
    tasks = _tasks()
    counts = pp.state_counts(tasks, TODAY)
    assert counts == {"done": 1, "on_track": 1, "late": 2, "not_started": 2}
    room = plan_counts(tasks, TODAY)  # done / on track / late as the control room counts
    assert room == {
        "done": counts["done"],
        "late": counts["late"],
        "on_track": counts["on_track"] + counts["not_started"],
    }
    assert pp.state_counts(tasks.iloc[0:0], TODAY) == dict.fromkeys(pp.STATES, 0)


def test_filters_by_lead_unit_with_groups_and_kind() -> None:
    tasks = _tasks()
    assert pp.filter_tasks(tasks, units=["KHTC"])["code"].tolist() == ["1.1", "1.2"]
    # A task led by the professional divisions (PCM) counts for each of them.
    assert pp.filter_tasks(tasks, units=["GDTrH"], groups=GROUPS)["code"].tolist() == ["2.1", "3.2"]
    assert pp.filter_tasks(tasks, units=["GDTrH"])["code"].tolist() == ["3.2"]
    assert pp.filter_tasks(tasks, units=["PCM"], groups=GROUPS)["code"].tolist() == ["2.1", "3.2"]
    assert pp.filter_tasks(tasks, kind="item")["code"].tolist() == ["1.4", "2.1", "3.2"]
    assert pp.filter_tasks(tasks, units=["VPS"], kind="dx")["code"].tolist() == ["1.2"]
    assert len(pp.filter_tasks(tasks)) == len(tasks)
    assert pp.filter_tasks(tasks, units=["CTTT"]).empty


def test_progress_table_puts_late_tasks_first_and_filters_by_state() -> None:
    table = pp.progress_table(_tasks(), TODAY)
    assert table["code"].tolist() == ["1.1", "3.2", "3.1", "2.1", "1.2", "1.4"]
    assert table["state"].tolist() == [
        "late",
        "late",
        "on_track",
        "not_started",
        "not_started",
        "done",
    ]
    late = pp.progress_table(_tasks(), TODAY, state="late")
    assert late["code"].tolist() == ["1.1", "3.2"]
    # Judged at the end of 2024Q3 task 1.1 (due 31/12/2024) was not late yet.
    assert (
        "1.1" not in pp.progress_table(_tasks(), date(2024, 9, 30), state="late")["code"].tolist()
    )


def test_counts_by_quarter_judge_each_snapshot_on_its_own_day() -> None:
    task = _tasks().iloc[[0]]  # 1.1 due 31/12/2024, never done
    counts = pp.counts_by_quarter({"2024Q4": task, "2025Q1": task}, TODAY)
    assert counts.to_dict("records") == [
        {"quarter": "2024Q4", "done": 0, "on_track": 1, "late": 0, "not_started": 0},
        {"quarter": "2025Q1", "done": 0, "on_track": 0, "late": 1, "not_started": 0},
    ]


def _reports() -> pd.DataFrame:
    due2, due3, due4 = date(2025, 6, 25), date(2025, 9, 25), date(2025, 12, 25)
    return pd.DataFrame(
        {
            "unit_code": ["KHTC", "TCCB", "VPS", "GDTrH", "KHTC", "TCCB", "VPS", "KHTC"],
            "quarter": ["2025Q3"] * 4 + ["2025Q2"] * 3 + ["2025Q4"],
            "due_on": [due3] * 4 + [due2] * 3 + [due4],
            "submitted_at": [
                datetime(2025, 9, 25, 17),
                datetime(2025, 9, 29, 8),
                None,
                datetime(2025, 9, 1),
                datetime(2025, 6, 20),
                datetime(2025, 6, 26),
                datetime(2025, 6, 1),
                None,
            ],
        }
    )


def test_punctuality_flags_late_and_missing_reports_with_each_units_record() -> None:
    table = pp.punctuality(_reports(), "2025Q3", TODAY)
    assert table[["unit_code", "state", "days_late", "on_time", "due_count"]].to_dict(
        "records"
    ) == [
        {"unit_code": "VPS", "state": "missing", "days_late": 51, "on_time": 1, "due_count": 2},
        {"unit_code": "TCCB", "state": "late", "days_late": 4, "on_time": 0, "due_count": 2},
        {"unit_code": "GDTrH", "state": "on_time", "days_late": None, "on_time": 1, "due_count": 1},
        {"unit_code": "KHTC", "state": "on_time", "days_late": None, "on_time": 2, "due_count": 2},
    ]  # submitted on the due date, in the afternoon: on time
    only = pp.punctuality(_reports(), "2025Q3", TODAY, units=["PCM"], groups=GROUPS)
    assert only["unit_code"].tolist() == ["GDTrH"]


def test_a_report_not_due_yet_is_neither_late_nor_counted() -> None:
    table = pp.punctuality(_reports(), "2025Q4", TODAY)
    assert table[["unit_code", "state", "on_time", "due_count"]].to_dict("records") == [
        {"unit_code": "KHTC", "state": "not_due", "on_time": 2, "due_count": 2}
    ]
    assert pp.report_state(date(2025, 12, 25), None, date(2025, 12, 25)) == ("missing", 0)
    assert pp.punctuality(_reports(), "2024Q1", TODAY).empty
    assert list(pp.punctuality(_reports(), "2024Q1", TODAY).columns) == [
        "unit_code",
        "due_on",
        "submitted_at",
        "state",
        "days_late",
        "on_time",
        "due_count",
    ]
