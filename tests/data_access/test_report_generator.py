"""The generated report history: calibrated on early 2023, schools included, deterministic."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from data_access.generator import report_texts, school_reports
from data_access.generator.plan import quarters
from data_access.plan_reports import versions
from data_access.queries import plan


def frame(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql_query(sql, connection)


def test_2023q1_reports_give_the_early_2023_status_of_every_dx_task(
    seeded_city_sqlite: Engine,
) -> None:
    reported = frame(
        seeded_city_sqlite,
        "SELECT t.code, t.due, t.status_early_2023 AS early, p.status, p.percent "
        "FROM task_progress p JOIN quarterly_report r ON r.id = p.report_id "
        "JOIN plan_task t ON t.id = p.task_id "
        "WHERE r.quarter = '2023Q1' AND t.kind = 'dx' AND r.institution_id IS NULL",
    )
    expected = reported["early"].replace({"overdue": "in_progress"})
    assert len(reported) >= 25 and (reported["status"] == expected).all()
    overdue = reported[reported["early"] == "overdue"]
    assert not overdue.empty and (pd.to_datetime(overdue["due"]) < "2023-03-31").all()
    status = plan.task_status(seeded_city_sqlite, as_of="2023Q1").set_index(["kind", "code"])
    early = frame(
        seeded_city_sqlite, "SELECT code, status_early_2023 FROM plan_task WHERE kind='dx'"
    )
    for code, want in zip(early["code"], early["status_early_2023"], strict=True):
        assert status.loc[("dx", code), "status"] == want.replace("overdue", "in_progress")


def test_schools_report_every_quarter_some_late_missing_returned(
    seeded_city_sqlite: Engine,
) -> None:
    reports = frame(
        seeded_city_sqlite,
        "SELECT id, quarter, state, late, generated, institution_id, difficulties "
        "FROM quarterly_report WHERE institution_id IS NOT NULL",
    )
    schools = frame(
        seeded_city_sqlite,
        "SELECT count(*) AS n FROM institution WHERE kind IN "
        "('school', 'international_school', 'continuing_education')",
    )["n"][0]
    per_quarter = reports.groupby("quarter").size()
    assert list(per_quarter.index) == [f"{y}Q{q}" for y, q in quarters()]
    assert (per_quarter < schools).all() and (per_quarter > 0.75 * schools).all()  # some missing
    assert reports["generated"].astype(bool).all()
    assert 0.05 < reports["late"].astype(bool).mean() < 0.2
    assert (reports["state"] == "returned").sum() > 0
    texts = reports["difficulties"].dropna()
    plain = texts.map(str.isascii)
    assert 0.2 < plain.mean() < 0.45 and len(texts) > 0.5 * len(reports)
    versioned = frame(
        seeded_city_sqlite,
        "SELECT report_id FROM report_version WHERE action = 'return' LIMIT 1",
    )["report_id"][0]
    history = versions(seeded_city_sqlite, int(versioned))
    assert [v["action"] for v in history][:2] == ["submit", "return"]
    if len(history) == 3:
        assert history[2]["action"] == "submit" and history[2]["changes"]


def test_school_history_is_deterministic_per_seed() -> None:
    registry = pd.DataFrame(
        {"id": [1, 2, 3], "kind": ["school"] * 3, "opened_year": [2000] * 3, "closed_year": None}
    )
    tasks = pd.DataFrame(
        {
            "id": [1, 2],
            "key": ["P2023-3.1", "P2023-5"],
            "kind": ["item", "item"],
            "code": ["3.1", "5"],
            "lead_units": ["VPS", "VPS"],
            "partner_units": ["CSGD", "PGDĐT;CSGD"],
            "due": pd.to_datetime(["2023-02-28", "2023-06-30"]).date,
        }
    )
    one = school_reports.school_frames(0, registry, tasks, quarters(), first_id=1)
    two = school_reports.school_frames(0, registry, tasks, quarters(), first_id=1)
    other = school_reports.school_frames(1, registry, tasks, quarters(), first_id=1)
    for a, b in zip(one, two, strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert not one[0]["submitted_at"].equals(other[0]["submitted_at"])
    assert set(one[1]["task_id"]) == {1, 2}
    assert report_texts.strip_marks("Đường truyền chậm") == "Duong truyen cham"


def test_generated_quarter_has_about_ten_themes_with_a_trend(seeded_city_sqlite: Engine) -> None:
    from analytics.report_themes import quarter_themes

    now = plan.report_statements(seeded_city_sqlite, "2025Q3")
    before = plan.report_statements(seeded_city_sqlite, "2025Q2")
    assert set(now["field"]) == {"difficulties", "recommendations"} and len(now) > 3000
    themes = quarter_themes(now, before)
    assert 8 <= len(themes) <= 10
    integration = next(t for t in themes if "dữ liệu" in t.label)
    assert integration.trend > 0  # the generator grows it after the 2025 merger
