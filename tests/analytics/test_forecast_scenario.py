"""Scenario levers: migration change, class-size norms and seat gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.forecast import (
    Levers,
    apply_migration_change,
    classes_needed,
    forecast,
    seat_gap,
)

FC = pd.DataFrame(
    {
        "area_code": ["A", "A", "A", "A", "B", "B"],
        "year": [2025, 2026, 2025, 2026, 2025, 2026],
        "level": ["primary", "primary", "lower_secondary", "lower_secondary", "primary", "primary"],
        "forecast": [700.0, 710.0, 450.0, 460.0, 100.0, 100.0],
        "lower": [690.0, 690.0, 440.0, 440.0, 95.0, 90.0],
        "upper": [720.0, 740.0, 470.0, 490.0, 105.0, 110.0],
    }
)


def test_classes_needed_round_up_with_level_norms() -> None:
    out = classes_needed(FC, norm=None)  # national norms 35 / 45
    assert out["classes"].tolist() == [20, 21, 10, 11, 3, 3]
    assert out["classes_upper"].tolist() == [21, 22, 11, 11, 3, 4]
    assert classes_needed(FC, norm=50)["classes"].tolist() == [14, 15, 9, 10, 2, 2]
    custom = classes_needed(FC, norm={"primary": 25})
    assert custom["classes"].tolist() == [28, 29, 10, 11, 4, 4]
    with pytest.raises(ValueError, match="positive"):
        classes_needed(FC, norm=0)


def test_migration_change_compounds_per_year() -> None:
    out = apply_migration_change(FC, {"A": 0.02}, origin=2024)
    a = out[out["area_code"] == "A"]
    np.testing.assert_allclose(
        a["forecast"] / FC.loc[a.index, "forecast"], [1.02, 1.02**2, 1.02, 1.02**2]
    )
    np.testing.assert_allclose(
        a["upper"] / FC.loc[a.index, "upper"], [1.02, 1.02**2, 1.02, 1.02**2]
    )
    pd.testing.assert_frame_equal(out[out["area_code"] == "B"], FC[FC["area_code"] == "B"])


def test_seat_gap_per_level_with_new_school_and_total_rows() -> None:
    capacity = pd.DataFrame(
        {
            "area_code": ["A", "A", "A", "B"],
            "level": ["primary", "lower_secondary", "primary", "primary"],
            "classrooms": [18, 10, 2, 4],
            "year": [None, None, 2026, None],
        }
    )
    out = seat_gap(FC, capacity, norm=None, added_capacity={("A", "lower_secondary"): {2026: 45}})
    a_p = out[(out["area_code"] == "A") & (out["level"] == "primary")].set_index("year")
    assert a_p.loc[2025, "capacity"] == 18 * 35  # the 2026 classrooms are not open yet
    assert a_p.loc[2025, "seat_gap"] == 700 - 630
    assert a_p.loc[2025, "classrooms_short"] == 2  # 70 pupils / 35
    assert a_p.loc[2026, "capacity"] == 20 * 35
    assert a_p.loc[2026, "seat_gap"] == 10
    assert a_p.loc[2026, "seat_gap_upper"] == 40
    a_l = out[(out["area_code"] == "A") & (out["level"] == "lower_secondary")].set_index("year")
    assert a_l.loc[2025, "seat_gap"] == 0 and a_l.loc[2025, "classrooms_short"] == 0
    assert a_l.loc[2026, "capacity"] == 450 + 45
    a_all = out[(out["area_code"] == "A") & (out["level"] == "all")].set_index("year")
    assert a_all.loc[2026, "forecast"] == 710 + 460
    assert a_all.loc[2026, "capacity"] == 20 * 35 + 450 + 45
    b = out[(out["area_code"] == "B") & (out["level"] == "primary")]
    assert (b["seat_gap"] == -40).all() and (b["classrooms_short"] == 0).all()


def test_seat_gap_against_area_totals_in_seats() -> None:
    capacity = pd.DataFrame({"area_code": ["A", "B"], "seats": [1000, 150]})
    out = seat_gap(FC, capacity, added_capacity={"A": {2026: 200}})
    assert set(out["level"]) == {"all"}
    a = out[out["area_code"] == "A"].set_index("year")
    assert a.loc[2025, "seat_gap"] == 1150 - 1000
    assert a.loc[2026, "seat_gap"] == 1170 - 1200
    assert a.loc[2025, "classrooms_short"] == np.ceil(150 / (1150 / 30))  # 20 + 10 classes
    with pytest.raises(ValueError, match="seats"):
        seat_gap(FC, pd.DataFrame({"area_code": ["A"], "rooms": [3]}))


def _history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": np.repeat(["A", "B"], 10),
            "year": np.tile(np.arange(2007, 2017), 2),
            "level": "primary",
            "pupils": 1000.0,
        }
    )


def _population() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": np.repeat(["A", "B"], 22),
            "year": np.tile(np.arange(1995, 2017), 2),
            "age_group": "total",
            "population": 50_000.0,
        }
    )


def test_levers_in_percent_and_persons_agree() -> None:
    base = forecast(_history(), _population(), horizon=3)
    pct = forecast(
        _history(), _population(), horizon=3, levers=Levers(net_migration_change={"A": 1.0})
    )
    persons = forecast(
        _history(),
        _population(),
        horizon=3,
        levers=Levers(net_migration_change={"A": 500.0}, net_migration_unit="persons"),
    )
    a = base["area_code"] == "A"
    np.testing.assert_allclose(
        pct.loc[a, "forecast"], base.loc[a, "forecast"] * 1.01 ** np.arange(1, 4)
    )
    np.testing.assert_allclose(persons["forecast"], pct["forecast"])
    np.testing.assert_allclose(pct.loc[~a, "upper"], base.loc[~a, "upper"])
    with pytest.raises(ValueError, match="population"):
        forecast(
            _history(),
            None,
            horizon=2,
            levers=Levers(net_migration_change={"A": 5.0}, net_migration_unit="persons"),
        )
