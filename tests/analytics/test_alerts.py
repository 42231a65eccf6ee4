"""Each alert rule fires on a small hand-made case and stays quiet on the normal one."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from analytics.alerts import (
    Alert,
    class_size_alerts,
    current_quarter,
    late_report_alerts,
    not_reported_alerts,
    overdue_task_alerts,
    ranked,
    stale_data_alerts,
    teacher_shortage_alerts,
)

TODAY = date(2025, 10, 1)


def test_class_size_above_the_norm() -> None:
    frame = pd.DataFrame(
        {
            "unit_id": ["W1", "W2", "W3", "W4"],
            "level": ["primary", "primary", "upper_secondary", "preschool"],
            "pupils": [360, 350, 500, 0],
            "classes": [10, 10, 10, 0],
        }
    )
    alerts = class_size_alerts(frame)
    assert [(a.subject, a.value, a.threshold, a.severity) for a in alerts] == [
        ("W1", 36.0, 35.0, "medium"),
        ("W3", 50.0, 45.0, "high"),
    ]
    assert alerts[0].detail["level"] == "primary"


def test_teacher_shortage_against_the_staffing_norm() -> None:
    frame = pd.DataFrame(
        {
            "unit_id": ["W1", "W2", "W3", "W4"],
            "teachers_matched": [15, 14.5, 12, 0],
            "teachers_required": [15, 15, 15, 0],
        }
    )
    alerts = teacher_shortage_alerts(frame)
    assert [(a.subject, a.severity, a.detail["missing"]) for a in alerts] == [
        ("W3", "high", 3)
    ]  # W2 is within the 5 % tolerance, W4 has no classes


def test_overdue_tasks() -> None:
    tasks = pd.DataFrame(
        {
            "code": ["1.1", "1.2", "1.3", "1.4"],
            "kind": ["dx"] * 4,
            "due": [date(2025, 3, 31), date(2025, 9, 1), date(2025, 12, 31), date(2025, 1, 31)],
            "status": ["in_progress", "not_started", "in_progress", "done"],
            "percent": [60, 0, 10, 100],
        }
    )
    alerts = overdue_task_alerts(tasks, TODAY)
    assert [(a.subject, a.value, a.severity) for a in alerts] == [
        ("dx:1.1", 184.0, "high"),
        ("dx:1.2", 30.0, "medium"),
    ]
    assert alerts[0].detail["percent"] == 60


def test_late_and_missing_quarterly_reports_of_the_latest_due_quarter() -> None:
    reports = pd.DataFrame(
        {
            "unit_code": ["KHTC", "TCCB", "VPS", "KHTC", "TCCB"],
            "quarter": ["2025Q3", "2025Q3", "2025Q3", "2025Q2", "2025Q4"],
            "due_on": [date(2025, 9, 25)] * 3 + [date(2025, 6, 25), date(2025, 12, 25)],
            "submitted_at": [datetime(2025, 9, 20), datetime(2025, 9, 28, 9), None, None, None],
        }
    )
    assert current_quarter(reports, TODAY) == "2025Q3"
    alerts = late_report_alerts(reports, TODAY)
    assert [(a.subject, a.value, a.severity, a.detail["missing"]) for a in alerts] == [
        ("TCCB", 3.0, "medium", False),
        ("VPS", 6.0, "high", True),
    ]
    assert late_report_alerts(reports, date(2025, 1, 1)) == []


def test_domains_with_institutions_that_did_not_report() -> None:
    coverage = pd.DataFrame(
        {
            "slug": ["students", "staff", "health"],
            "school_year": 2025,
            "expected": [100, 100, 0],
            "reported": [100, 80, 0],
        }
    )
    alerts = not_reported_alerts(coverage)
    assert [(a.subject, a.value, a.severity) for a in alerts] == [("staff", 20.0, "high")]
    assert alerts[0].detail["share"] == 0.8


def test_stale_and_never_loaded_domains() -> None:
    freshness = pd.DataFrame(
        {
            "slug": ["students", "staff", "exams"],
            "refresh_days": [30, 30, 365],
            "last_load": pd.to_datetime(["2025-09-25", "2025-07-01", None]),
            "age_days": [6, 92, None],
            "stale": [False, True, True],
        }
    )
    alerts = stale_data_alerts(freshness)
    assert [(a.subject, a.value, a.severity) for a in alerts] == [
        ("staff", 92.0, "high"),
        ("exams", -1.0, "high"),
    ]


def test_ranking_puts_high_first_then_by_rule_then_worst() -> None:
    alerts = [
        Alert("class_size", "medium", "ward", "W1", 36, 35),
        Alert("class_size", "high", "ward", "W2", 50, 45),
        Alert("class_size", "high", "ward", "W3", 55, 45),
        Alert("stale_data", "high", "domain", "staff", 92, 30),
    ]
    assert [a.subject for a in ranked(alerts)] == ["W3", "W2", "staff", "W1"]
