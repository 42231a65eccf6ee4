"""Data-quality checks: completeness, outliers, duplicates, missing coordinates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.quality import (
    completeness,
    duplicate_institutions,
    duplicate_rows,
    missing_coordinates,
    normalise_name,
    outliers,
)


def test_completeness_by_reporting_unit_worst_first() -> None:
    expected = pd.DataFrame(
        {"institution_id": [1, 2, 3, 4, 5], "unit_id": ["W1", "W1", "W2", "W2", "W2"]}
    )
    table = completeness(expected, reported=[1, 2, 3])
    assert table.to_dict("records") == [
        {"unit_id": "W2", "expected": 3, "reported": 1, "missing": 2, "share": 1 / 3},
        {"unit_id": "W1", "expected": 2, "reported": 2, "missing": 0, "share": 1.0},
    ]


def test_outliers_by_group() -> None:
    frame = pd.DataFrame(
        {"level": ["a"] * 8 + ["b"] * 4, "size": [30, 31, 29, 30, 32, 28, 30, 90, 45, 44, 46, 45]}
    )
    found = outliers(frame, "size", by=["level"])
    assert found["size"].tolist() == [90]
    assert found["z"].iloc[0] > 3.5
    assert outliers(frame.assign(size=30), "size").empty  # no spread, nothing stands out


def test_duplicate_fact_rows_and_institutions() -> None:
    facts = pd.DataFrame(
        {"school_year": [2025, 2025, 2025], "institution_id": [1, 1, 2], "pupils": [10, 12, 5]}
    )
    assert duplicate_rows(facts, ["school_year", "institution_id"])["pupils"].tolist() == [10, 12]
    institutions = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "name": [
                "Trường THCS Lê Lợi",
                "TRƯỜNG THCS LÊ LỢI ",
                "Trường THCS Lê Lợi",
                "Trường Tiểu học Đinh Tiên Hoàng",
            ],
            "ward_id": ["W1", "W1", "W2", "W1"],
        }
    )
    found = duplicate_institutions(institutions)
    assert found["id"].tolist() == [1, 2] and found["group"].tolist() == [1, 1]
    assert normalise_name("Trường  Đinh-Tiên Hoàng") == "truong dinh tien hoang"


def test_missing_and_outside_coordinates() -> None:
    institutions = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "lon": [106.7, np.nan, 2.35, 106.6],
            "lat": [10.8, 10.8, 48.85, np.nan],
        }
    )
    found = missing_coordinates(institutions)
    assert dict(zip(found["id"], found["problem"], strict=True)) == {
        2: "missing",
        3: "outside",
        4: "missing",
    }


def test_reporting_coverage_expects_last_years_reporters_still_open() -> None:
    from analytics.quality import reporting_coverage

    reporters = pd.DataFrame(
        {
            "domain_id": [1, 1, 1, 1, 1, 2],
            "school_year": [2024, 2024, 2024, 2025, 2025, 2025],
            "institution_id": [1, 2, 3, 1, 4, 1],
        }
    )
    # Domain 1: 1, 2, 3 reported in 2024; 3 closed; 1 and the newcomer 4 reported in 2025.
    table = reporting_coverage(reporters, active=[1, 2, 4], year=2025).set_index("domain_id")
    assert table.loc[1, ["expected", "reported"]].tolist() == [3, 2]
    assert table.loc[1, "share"] == 2 / 3
    assert table.loc[2, "share"] == 1.0


def test_coverage_by_area_counts_who_should_have_reported() -> None:
    from analytics.quality import coverage_by_area

    reported = pd.DataFrame(
        {"school_year": [2024, 2024, 2024, 2025, 2025, 2025], "institution_id": [1, 2, 3, 1, 4, 5]}
    )
    # 1 reported both years; 2 and 3 reported last year only (3 has closed: not active);
    # 4 is new and reported; 5 reported but cannot be placed in an area; 6 never reports.
    active = pd.DataFrame({"institution_id": [1, 2, 4, 5, 6], "area": ["A", "A", "B", None, "B"]})
    out = coverage_by_area(reported, active, 2025).set_index("area")
    assert out.to_dict("index") == {
        "A": {"expected": 2, "reported": 1, "missing": 1},
        "B": {"expected": 1, "reported": 1, "missing": 0},
    }
