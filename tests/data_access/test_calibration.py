"""Calibration against the real published figures (±2%), recomputed independently too."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data_access.calibration import TOLERANCE_PCT, calibration_table
from data_access.generator import targets as tg
from data_access.reference.geography import build_geography
from data_access.reference.readers import read_press

COLUMNS = [
    "school_year",
    "scope",
    "metric",
    "real",
    "warehouse",
    "diff_pct",
    "ok",
    "tolerance_pct",
    "calibrated",
    "note",
    "source_url",
]


@pytest.fixture(scope="module")
def table(seeded_city_sqlite: Engine, shared_dir: Path) -> pd.DataFrame:
    return calibration_table(seeded_city_sqlite, shared_dir=shared_dir)


def test_every_reported_pupil_figure_within_two_percent(
    table: pd.DataFrame, shared_dir: Path
) -> None:
    press = read_press(shared_dir)
    pupil_rows = press[
        press["unit"].str.startswith("pupils")
        & press["metric"].str.startswith(("pupils_", "students_"))
    ]
    assert len(pupil_rows) == 10  # 2020 and 2024 totals, 2022 and 2025 by level
    merged = pupil_rows.merge(
        table, left_on=["year", "scope", "metric"], right_on=["school_year", "scope", "metric"]
    )
    assert len(merged) == len(pupil_rows)
    assert merged["calibrated"].all()
    assert (merged["diff_pct"].abs() <= 2.0).all(), merged[["metric", "year", "diff_pct"]]


def test_table_shape_and_other_figures(table: pd.DataFrame) -> None:
    assert list(table.columns) == COLUMNS
    assert table["tolerance_pct"].eq(TOLERANCE_PCT).all()
    calibrated = table[table["calibrated"]]
    assert calibrated["ok"].all(), calibrated[~calibrated["ok"]]
    assert set(calibrated["metric"]) >= {
        "teachers_total",
        "schools_total",
        "schools_total_alt",
        "schools_grade1_to_12",
    }
    assert len(calibrated[calibrated["metric"] == "schools_total"]) == 2  # 2020 and 2024
    others = table[~table["calibrated"]]
    assert set(others["metric"]) == {
        "grade9_graduates",
        "grade1_entrants_expected",
        "grade6_entrants_expected",
    }
    assert others["note"].str.startswith("not calibrated").all()
    assert "new_classrooms_planned" not in set(table["metric"])
    assert table["source_url"].str.startswith("http").all()


def test_direct_sql_recomputes_a_figure(seeded_city_sqlite: Engine, table: pd.DataFrame) -> None:
    """2024-25 old HCMC total through the unit hierarchy, independent of calibration.py:
    the reported part, below the table's figure by the estimated late reports."""
    sql = (
        "SELECT SUM(f.pupils) FROM fact_enrolment f "
        "JOIN admin_unit w ON w.id = f.unit_id "
        "JOIN admin_unit d ON d.id = w.parent_id "
        "WHERE f.school_year = 2024 AND w.kind = 'old_ward' AND d.parent_id = 'OP79'"
    )
    with seeded_city_sqlite.connect() as conn:
        total = conn.execute(text(sql)).scalar_one()
        primary_2025 = conn.execute(
            text(
                "SELECT SUM(pupils) FROM fact_enrolment WHERE school_year = 2025 "
                "AND grade BETWEEN 1 AND 5"
            )
        ).scalar_one()
    # The SQL sums what was reported; the table adds the schools that did not report,
    # estimated from their own history (2 % silent in 2024-25, 5 % in 2025-26).
    row = table[(table["school_year"] == 2024) & (table["metric"] == "students_total_all_levels")]
    assert total < row["warehouse"].iloc[0] < total * 1.04
    assert abs(row["warehouse"].iloc[0] - 1_707_220) / 1_707_220 <= 0.02
    assert 0.9 < primary_2025 / 939_002 < 0.99


def test_note_constants_are_in_the_notes(shared_dir: Path) -> None:
    """Every split taken from the notes column is really written there."""
    notes = " ".join(read_press(shared_dir)["note"].fillna(""))
    for values in (
        tg.NOTE_DELTA_2020,
        tg.NOTE_DELTA_2024,
        tg.NOTE_DELTA_2025,
        tg.NOTE_TEACHERS_2024,
    ):
        for value in values:
            assert f"{abs(value):,}" in notes, value


def test_targets_reproduce_the_press_file(shared_dir: Path) -> None:
    press = read_press(shared_dir)
    geo = build_geography(shared_dir)
    frame = tg.pupil_targets(press, geo.province_age)
    hcmc = frame[frame["region"] == "79"].groupby("year")["pupils"].sum()
    assert hcmc[2020] == pytest.approx(1_740_000)
    assert hcmc[2024] == pytest.approx(1_707_220)
    assert hcmc[2023] == pytest.approx(1_707_220 - 24_098)
    merged = frame[frame["year"] == 2025].groupby("stage")["pupils"].sum()
    assert merged["primary"] == pytest.approx(939_002)
    assert merged["preschool"] == pytest.approx(478_458)
    assert (frame["pupils"] > 0).all()
    counts = {
        y: sum(
            tg.count_path(tg.COUNT_ANCHORS["79"][k])[y]
            for k in (
                "ps_pub",
                "ps_priv",
                "p_pub",
                "p_priv",
                "pl_priv",
                "ls_pub",
                "ls_priv",
                "us_pub",
                "us_priv",
                "lu_priv",
                "ml_priv",
                "intl",
                "ce",
            )
        )
        for y in (2020, 2024)
    }
    assert abs(counts[2020] - 2353) / 2353 <= 0.02
    assert abs(counts[2024] - 2295) / 2295 <= 0.02


@pytest.mark.postgres
def test_same_calibration_on_postgres(
    seeded_city_postgres: Engine, table: pd.DataFrame, shared_dir: Path
) -> None:
    """The same code on PostgreSQL builds the same warehouse (same seed, same figures)."""
    pg = calibration_table(seeded_city_postgres, shared_dir=shared_dir)
    assert pg["ok"].tolist() == table["ok"].tolist()
    assert pg["warehouse"].tolist() == table["warehouse"].tolist()
