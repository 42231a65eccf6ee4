"""City KPIs and ward measures on small hand-made frames."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.kpis import (
    CLASS_SIZE_NORMS,
    active_institutions,
    city_kpis,
    class_size_by_level,
    classroom_shortfall,
    dx_level_shares,
    level_of_grade,
    map_values,
    plan_counts,
    plan_state,
    pupil_teacher_ratio,
    ward_measures,
)

INSTITUTIONS = pd.DataFrame(
    {
        "id": [1, 2, 3, 4],
        "kind": ["school", "school", "school", "language_it_centre"],
        "opened_year": [2000, 2000, 2025, None],
        "closed_year": [None, 2025, None, None],
    }
)
# School 1 (ward W1): primary, 2 classes of 40 → above the norm of 35.
# School 2 (ward W1): lower secondary in 2024 only.
# School 3 (ward W2): upper secondary from 2025.
ENROLMENT = pd.DataFrame(
    {
        "school_year": [2024, 2024, 2025, 2025],
        "institution_id": [1, 2, 1, 3],
        "unit_id": ["OW1", "OW1", "W1", "W2"],
        "level": ["primary", "lower_secondary", "primary", "upper_secondary"],
        "pupils": [70, 90, 80, 90],
        "classes": [2, 2, 2, 3],
    }
)
STAFF = pd.DataFrame(
    {
        "school_year": [2024, 2024, 2025, 2025, 2025],
        "institution_id": [1, 2, 1, 3, 4],
        "unit_id": ["OW1", "OW1", "W1", "W2", "W2"],
        "teachers": [3, 4, 2, 7, 5],
    }
)
FACILITY = pd.DataFrame(
    {
        "school_year": [2024, 2025, 2025],
        "institution_id": [1, 1, 3],
        "unit_id": ["OW1", "W1", "W2"],
        "classrooms": [2, 1, 5],
    }
)
DX = pd.DataFrame(
    {
        "school_year": [2025, 2025, 2025, 2024],
        "institution_id": [1, 3, 2, 1],
        "unit_id": ["W1", "W2", "W1", "OW1"],
        "level": [3, 2, None, 1],
    }
)
TASKS = pd.DataFrame(
    {
        "status": ["done", "in_progress", "in_progress", "overdue", "not_started"],
        "percent": [100, 40, 100, 10, 0],
        "due": [
            date(2024, 12, 31),
            date(2025, 12, 31),
            date(2024, 1, 31),
            date(2026, 3, 31),
            date(2025, 1, 31),
        ],
    }
)
TODAY = date(2025, 11, 1)


def test_grades_fall_in_their_level_bands() -> None:
    assert [level_of_grade(g) for g in (0, 1, 5, 6, 9, 10, 12)] == [
        "preschool",
        "primary",
        "primary",
        "lower_secondary",
        "lower_secondary",
        "upper_secondary",
        "upper_secondary",
    ]


def test_only_institutions_open_in_the_year_count() -> None:
    assert active_institutions(INSTITUTIONS, 2024)["id"].tolist() == [1, 2, 4]
    assert active_institutions(INSTITUTIONS, 2025)["id"].tolist() == [1, 3, 4]


def test_class_size_and_norm() -> None:
    sizes = class_size_by_level(ENROLMENT, 2025)
    assert sizes.to_dict() == {"primary": 40.0, "upper_secondary": 30.0}
    assert sizes["primary"] > CLASS_SIZE_NORMS["primary"]


def test_pupil_teacher_ratio_uses_schools_that_reported_both() -> None:
    # 2025: schools 1 and 3 have both (170 pupils, 9 teachers); the centre has no pupils.
    assert pupil_teacher_ratio(ENROLMENT, STAFF, 2025) == pytest.approx(170 / 9)
    assert pupil_teacher_ratio(ENROLMENT, STAFF.iloc[0:0], 2025) is None


def test_classroom_shortfall_counts_only_missing_rooms() -> None:
    assert classroom_shortfall(ENROLMENT, FACILITY, 2025) == 1  # school 1: 2 classes, 1 room
    assert classroom_shortfall(ENROLMENT, FACILITY, 2024) == 0


def test_dx_shares_ignore_unassessed_schools() -> None:
    assert dx_level_shares(DX, 2025) == {1: 0.0, 2: 0.5, 3: 0.5}
    assert dx_level_shares(DX, 2023) == {}


def test_plan_states() -> None:
    assert plan_state("done", 100, date(2020, 1, 1), TODAY) == "done"
    assert plan_state("in_progress", 100, date(2020, 1, 1), TODAY) == "done"
    assert plan_state("overdue", 10, date(2030, 1, 1), TODAY) == "late"
    assert plan_state("in_progress", 50, date(2025, 10, 31), TODAY) == "late"
    assert plan_state("not_started", 0, date(2025, 11, 1), TODAY) == "on_track"
    assert plan_counts(TASKS, TODAY) == {"done": 2, "on_track": 1, "late": 2}


def test_city_kpis_compare_with_the_previous_year() -> None:
    tiles = {
        tile.key: tile
        for tile in city_kpis(
            institutions=INSTITUTIONS,
            enrolment=ENROLMENT,
            staff=STAFF,
            facility=FACILITY,
            dx=DX,
            tasks=TASKS,
            year=2025,
            today=TODAY,
        )
    }
    assert (tiles["institutions.school"].value, tiles["institutions.school"].previous) == (2, 2)
    assert tiles["pupils.total"].value == 170 and tiles["pupils.total"].previous == 160
    assert tiles["pupils.total"].delta == 10
    assert tiles["pupils.lower_secondary"].value is None
    assert tiles["teachers.total"].value == 14 and tiles["teachers.total"].previous == 7
    assert tiles["class_size.primary"].value == 40 and tiles["class_size.primary"].norm == 35
    assert tiles["class_size.primary"].previous == 35
    assert tiles["facilities.classroom_shortfall"].value == 1
    assert tiles["dx.level3"].value == 0.5 and tiles["dx.level3"].previous == 0.0
    assert tiles["plan.late"].value == 2 and tiles["plan.late"].better == "down"


def test_ward_measures_are_additive_parts_of_every_map_kpi() -> None:
    measures = ward_measures(enrolment=ENROLMENT, staff=STAFF, facility=FACILITY, dx=DX)
    row = measures[(measures["school_year"] == 2025) & (measures["unit_id"] == "W2")].iloc[0]
    assert row["pupils"] == 90 and row["classes"] == 3 and row["schools"] == 1
    assert row["teachers"] == 12  # the school's 7 and the centre's 5
    assert row["teachers_matched"] == 7
    assert row["teachers_required"] == pytest.approx(3 * 2.25)
    assert row["class_capacity"] == 3 * 45
    assert row["dx_assessed"] == 1 and row["dx_level3"] == 0
    w1 = measures[(measures["school_year"] == 2025) & (measures["unit_id"] == "W1")]
    assert map_values(w1, "class_size").iloc[0] == 40
    assert map_values(w1, "class_size_vs_norm").iloc[0] == pytest.approx(80 / 70 * 100)
    assert map_values(w1, "classroom_shortfall").iloc[0] == 1
    assert map_values(w1, "dx_level3_share").iloc[0] == 100
    assert map_values(w1, "staffing_vs_norm").iloc[0] == pytest.approx(2 / 3 * 100)
    with pytest.raises(ValueError):
        map_values(w1, "happiness")
