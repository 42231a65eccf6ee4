"""DX index computations on hand-made frames with answers worked out by hand."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics import dx_index as dx


def _institutions() -> pd.DataFrame:
    """Seven institutions: five that must assess, a preschool, a language centre."""
    rows = [
        (1, "A", "school", "primary", "public", "W1", "OW1", 2000, None),
        (2, "B", "school", "lower_secondary", "public", "W1", "OW2", 2000, None),
        (3, "C", "school", "upper_secondary", "private", "W2", "OW3", 2000, None),
        (4, "D", "school", "preschool", "private", "W2", "OW3", 2000, None),
        (5, "E", "language_it_centre", None, "private", "W2", "OW3", 2000, None),
        (6, "F", "continuing_education", "upper_secondary", "public", "W3", None, 2000, None),
        (7, "G", "school", "primary", "public", "W3", "OW4", 2024, 2025),  # open 2024 only
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "name",
            "kind",
            "level",
            "ownership",
            "ward_id",
            "old_ward_id",
            "opened_year",
            "closed_year",
        ],
    )


def _assessment(
    aid: int,
    inst: int,
    year: int,
    status: str,
    g1: float,
    g2: float,
    r1: float | None = None,
    r2: float | None = None,
    level: int | None = None,
    generated: bool = True,
) -> dict:
    published = date(year + 1, 6, 15) if status == "published" else None
    return {
        "id": aid,
        "institution_id": inst,
        "set_code": "QD4725-2022",
        "school_year": year,
        "status": status,
        "self_group1": g1,
        "self_group2": g2,
        "reviewed_group1": r1,
        "reviewed_group2": r2,
        "mandatory_met": True,
        "level": level,
        "submitted_on": date(year + 1, 5, 10),
        "published_on": published,
        "generated": generated,
    }


def _assessments() -> pd.DataFrame:
    rows = [
        # 2024: schools 1, 2, 7 published (levels 1, 2, 2); 3 and 6 sent nothing.
        _assessment(1, 1, 2024, "published", 40, 60, 40, 58, 1),
        _assessment(2, 2, 2024, "published", 60, 60, 58, 60, 2),
        _assessment(3, 7, 2024, "published", 70, 70, 70, 70, 2),
        # 2025: 1 level 3, 2 returned, 3 only self-assessed, 4 (a preschool) level 2,
        # 6 sent nothing.
        _assessment(4, 1, 2025, "published", 80, 90, 78, 86, 3, generated=False),
        _assessment(5, 2, 2025, "returned", 70, 50, 60, 40),
        _assessment(6, 3, 2025, "submitted", 55, 65),
        _assessment(7, 4, 2025, "published", 60, 70, 60, 70, 2),
    ]
    frame = pd.DataFrame(rows)
    frame["level"] = frame["level"].astype("Int64")
    return frame


@pytest.fixture
def table() -> pd.DataFrame:
    return dx.school_table(_institutions(), _assessments(), [2024, 2025])


def test_band_and_overall_level_follow_the_decision() -> None:
    assert dx.band([0, 49.5, 50, 75, 75.5, 100]).tolist() == [1, 1, 2, 2, 3, 3]
    # The overall level is the lower band of the two groups.
    assert dx.overall_level([80, 80, 40], [90, 60, 90]).tolist() == [3, 2, 1]


def test_expected_schools_exclude_preschools_centres_and_closed_ones() -> None:
    institutions = _institutions()
    assert institutions["id"][dx.expected(institutions, 2024)].tolist() == [1, 2, 3, 6, 7]
    assert institutions["id"][dx.expected(institutions, 2025)].tolist() == [1, 2, 3, 6]
    assert institutions["id"][dx.expected(institutions, 2023)].tolist() == [1, 2, 3, 6]


def test_school_table_has_expected_and_assessing_schools_with_their_stage(table) -> None:
    y2025 = table[table["school_year"] == 2025].set_index("institution_id")
    # Expected 1, 2, 3, 6; the preschool 4 assessed anyway; the centre 5 and the closed 7 not.
    assert sorted(y2025.index) == [1, 2, 3, 4, 6]
    assert y2025["expected"].to_dict() == {1: True, 2: True, 3: True, 4: False, 6: True}
    assert y2025["stage"].to_dict() == {1: 3, 2: 2, 3: 1, 4: 3, 6: dx.NOT_ASSESSED}
    assert y2025.loc[1, "level"] == 3 and pd.isna(y2025.loc[2, "level"])
    assert y2025["generated"].to_dict() == {1: False, 2: True, 3: True, 4: True, 6: False}
    assert y2025.loc[1, "edu_level"] == "primary"
    assert len(table[table["school_year"] == 2024]) == 5


def test_stage_of_an_unknown_status_is_read_from_the_row() -> None:
    rows = pd.DataFrame(
        {
            "status": ["imported", "imported", "imported", "draft"],
            "level": pd.array([2, None, None, None], dtype="Int64"),
            "published_on": [date(2025, 6, 1), None, None, None],
            "reviewed_group1": [60.0, 55.0, np.nan, np.nan],
            "reviewed_group2": [60.0, 55.0, np.nan, np.nan],
            "submitted_on": [date(2025, 5, 1)] * 3 + [None],
        }
    )
    assert dx.stage(rows).tolist() == [3, 2, 1, 0]


def test_level_counts_and_funnel_of_a_year(table) -> None:
    now = table[table["school_year"] == 2025]
    assert dx.level_counts(now) == {"1": 0, "2": 1, "3": 1, "unpublished": 2, "not_assessed": 1}
    assert dx.funnel(now) == {
        "expected": 4,
        "self_assessed": 4,
        "reviewed": 3,
        "published": 2,
        "returned": 1,
        "not_submitted": 1,
    }


def test_group_scores_average_self_and_reviewed_scores_separately(table) -> None:
    now = table[table["school_year"] == 2025]
    scores = dx.group_scores(now)
    # Self: (80 + 70 + 55 + 60) / 4 and (90 + 50 + 65 + 70) / 4; reviewed: three schools.
    assert scores.loc[1, "self"] == pytest.approx(66.25)
    assert scores.loc[2, "self"] == pytest.approx(68.75)
    assert scores.loc[1, "reviewed"] == pytest.approx((78 + 60 + 60) / 3)
    assert scores.loc[2, "reviewed"] == pytest.approx((86 + 40 + 70) / 3)
    assert scores["n_self"].tolist() == [4, 4] and scores["n_reviewed"].tolist() == [3, 3]


def test_trend_gives_level_shares_of_published_schools_per_year(table) -> None:
    rows = dx.trend(table).set_index("school_year")
    assert rows.loc[2024, ["published", "level1", "level2", "level3"]].tolist() == [3, 1, 2, 0]
    assert rows.loc[2024, "share2"] == pytest.approx(2 / 3)
    assert rows.loc[2025, ["share1", "share2", "share3"]].tolist() == [0.0, 0.5, 0.5]
    assert rows["not_assessed"].tolist() == [2, 1]
    assert rows["expected"].tolist() == [5, 4]
    empty = dx.trend(table[table["school_year"] == 2030])
    assert empty.empty and "share3" in empty.columns


def test_ranking_by_area_share_at_level_2_and_not_assessed(table) -> None:
    now = table[table["school_year"] == 2025].assign(area=lambda f: f["ward_id"])
    ranked = dx.ranking(now)
    # W1 and W2 both have every published school at level 2+; W1 has one at level 3.
    assert ranked["area"].tolist() == ["W1", "W2", "W3"]
    w1 = ranked.set_index("area").loc["W1"]
    # W1: school 1 published at level 3, school 2 returned (not published).
    assert (w1["schools"], w1["published"], w1["level2plus"], w1["level3"]) == (2, 1, 1, 1)
    assert w1["share_level2plus"] == 1.0
    w3 = ranked.set_index("area").loc["W3"]
    assert np.isnan(w3["share_level2plus"]) and w3["not_assessed"] == 1
    before = table[table["school_year"] == 2024].assign(area=lambda f: f["ward_id"])
    shares = dx.ranking(before).set_index("area")["share_level2plus"]
    assert shares["W1"] == pytest.approx(0.5) and shares["W3"] == 1.0


def test_areas_in_old_districts_use_the_old_ward_then_the_main_crosswalk_source(table) -> None:
    parents = pd.Series({"OW1": "D1", "OW2": "D1", "OW3": "D3", "OW4": "D3", "OW5": "D5"})
    crosswalk = pd.DataFrame(
        {
            "old_unit_id": ["OW4", "OW5", "OW1"],
            "new_unit_id": ["W3", "W3", "W1"],
            "weight": [0.3, 0.7, 1.0],
        }
    )
    fallback = dx.main_old_district(crosswalk, parents)
    assert fallback.to_dict() == {"W1": "D1", "W3": "D5"}
    now = table[table["school_year"] == 2025]
    found = dict(
        zip(now["institution_id"], dx.areas(now, "old_district", parents, fallback), strict=True)
    )
    # School 6 has no old ward: its 2025 ward W3 came mostly from OW5 (district D5).
    assert found == {1: "D1", 2: "D1", 3: "D3", 4: "D3", 6: "D5"}
    assert dx.areas(now, "ward", parents, fallback).tolist() == now["ward_id"].tolist()


def test_filters_combine(table) -> None:
    rows = table.assign(area=table["ward_id"])
    assert set(dx.filtered(rows, edu_level="primary")["institution_id"]) == {1, 7}
    assert set(dx.filtered(rows, ownership="private", area="W2")["institution_id"]) == {3, 4}
    assert len(dx.filtered(rows)) == len(rows)


def test_two_criteria_sets_in_one_year_keep_the_later_assessment() -> None:
    both = pd.concat(
        [
            _assessments(),
            pd.DataFrame([_assessment(9, 1, 2025, "submitted", 30, 30)]).astype({"level": "Int64"}),
        ],
        ignore_index=True,
    )
    rows = dx.school_table(_institutions(), both, [2025]).set_index("institution_id")
    assert rows.loc[1, "assessment_id"] == 9 and rows.loc[1, "stage"] == 1


def test_school_table_without_years_is_empty_with_its_columns() -> None:
    empty = dx.school_table(_institutions(), _assessments(), [])
    assert empty.empty and list(empty.columns) == dx.SCHOOL_COLUMNS
