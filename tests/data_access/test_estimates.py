"""The one rule for late reports: estimated from the school's own history, flagged, never a drop."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.queries import estimates, facts, forecast_inputs
from data_access.queries.estimates import with_estimates


def _institutions(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"id": range(1, n + 1), "opened_year": 2015, "closed_year": None, "ward_id": "W1"}
    )


def test_a_late_school_is_carried_with_its_peers_change() -> None:
    reported = pd.DataFrame(
        {
            "school_year": [2023, 2023, 2024, 2024, 2024],
            "institution_id": [1, 2, 1, 2, 3],
            "unit_id": ["OW1", "OW1", "OW1", "OW1", "OW1"],
            "level": ["primary"] * 5,
            "pupils": [100.0, 200.0, 110.0, 90.0, 50.0],
        }
    )
    # 2025: only schools 1 and 3 report; school 2 (last seen 2024) is estimated.
    reported = pd.concat(
        [
            reported,
            pd.DataFrame(
                {
                    "school_year": [2025, 2025],
                    "institution_id": [1, 3],
                    "unit_id": ["W1", "W1"],
                    "level": ["primary"] * 2,
                    "pupils": [121.0, 55.0],
                }
            ),
        ],
        ignore_index=True,
    )
    out = with_estimates(reported, _institutions(3), values=["pupils"], keys=["level"])
    late = out[out["estimated"]]
    assert list(late["institution_id"]) == [2]
    row = late.iloc[0]
    assert row["school_year"] == 2025
    assert row["unit_id"] == "W1"  # the 2025 ward once the year is after the merger
    assert row["pupils"] == pytest.approx(90.0 * (121 + 55) / (110 + 50))
    assert not out[~out["estimated"]].empty


def test_a_domain_that_never_arrived_is_not_invented() -> None:
    reported = pd.DataFrame(
        {
            "school_year": [2024] * 4 + [2025],
            "institution_id": [1, 2, 3, 4, 1],
            "pupils": [10.0, 10.0, 10.0, 10.0, 11.0],
        }
    )
    out = with_estimates(reported, _institutions(4), values=["pupils"])
    assert not out["estimated"].any()


def test_closed_and_new_schools_are_not_estimated() -> None:
    reported = pd.DataFrame(
        {"school_year": [2024, 2024, 2025], "institution_id": [1, 2, 1], "pupils": [5.0] * 3}
    )
    registry = _institutions(3)
    registry.loc[1, "closed_year"] = 2025  # school 2 closed: no estimate
    registry.loc[2, "opened_year"] = 2025  # school 3 is new and never reported
    out = with_estimates(reported, registry, values=["pupils"])
    assert not out["estimated"].any()


def _yearly(frame: pd.DataFrame, value: str) -> pd.Series:
    return frame.groupby("school_year")[value].sum()


def test_no_drop_from_missing_reports(seeded_city_sqlite: Engine) -> None:
    """Pupils and capacity of the city: the last year (5 % of schools silent) does not fall
    with the silent schools; the estimated part is visible and the reported part alone
    would have dropped."""
    pupils = forecast_inputs.enrolment_by_ward(seeded_city_sqlite)
    rooms = forecast_inputs.classrooms_by_ward(seeded_city_sqlite)
    for frame, value in ((pupils, "pupils"), (rooms, "classrooms")):
        total = _yearly(frame, value)
        reported = _yearly(frame[~frame["estimated"]], value)
        estimated = _yearly(frame[frame["estimated"]], value)
        assert estimated.get(2025, 0) > 0.02 * total[2025]
        change = total.pct_change().dropna()
        assert change.min() > -0.025, change  # the generated city never shrinks that fast
        assert reported[2025] / reported[2024] < total[2025] / total[2024]
    kpi = facts.enrolment(seeded_city_sqlite, [2024, 2025], estimate=True)
    assert kpi["estimated"].any()
    kpi = kpi[kpi["level"] != "preschool"]
    assert _yearly(kpi, "pupils")[2025] == pytest.approx(
        pupils[pupils["school_year"] == 2025]["pupils"].sum(), rel=0.02
    )


def test_years_needed_cover_the_lookback() -> None:
    assert estimates.first_year_needed([2024, 2025]) == 2024 - estimates.LOOKBACK
