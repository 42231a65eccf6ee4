"""Boundary time-travel through the crosswalk, with split wards marked as estimates."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.boundaries import harmonise, to_2025_wards, to_old_units

# Old wards A, B (district D1) and C (district D2). A and B merged whole into W1; C was split
# between W1 (30 %) and W2 (70 %).
CROSSWALK = pd.DataFrame(
    {
        "old_unit_id": ["OWA", "OWB", "OWC", "OWC"],
        "new_unit_id": ["W1", "W1", "W1", "W2"],
        "partly_merged": [False, False, True, True],
        "weight": [1.0, 1.0, 0.3, 0.7],
    }
)
PARENTS = pd.Series({"OWA": "OD1", "OWB": "OD1", "OWC": "OD2"})


def _by_unit(frame: pd.DataFrame) -> dict[str, tuple[float, bool]]:
    return {row.unit_id: (round(row.pupils, 6), bool(row.estimate)) for row in frame.itertuples()}


def test_old_wards_are_carried_forward_and_splits_are_estimates() -> None:
    old = pd.DataFrame(
        {"school_year": 2024, "unit_id": ["OWA", "OWB", "OWC"], "pupils": [100, 50, 200]}
    )
    result = to_2025_wards(old, CROSSWALK, values=["pupils"])
    assert _by_unit(result) == {"W1": (210.0, True), "W2": (140.0, True)}
    assert result["pupils"].sum() == pytest.approx(350)


def test_wards_fed_only_by_whole_old_wards_are_exact() -> None:
    old = pd.DataFrame({"school_year": 2024, "unit_id": ["OWA", "OWB"], "pupils": [100, 50]})
    assert _by_unit(to_2025_wards(old, CROSSWALK, values=["pupils"])) == {"W1": (150.0, False)}


def test_new_wards_pass_through_unchanged() -> None:
    mixed = pd.DataFrame(
        {"school_year": [2024, 2025], "unit_id": ["OWA", "W1"], "pupils": [100, 120]}
    )
    result = to_2025_wards(mixed, CROSSWALK, values=["pupils"])
    assert result.set_index("school_year")["pupils"].to_dict() == {2024: 100, 2025: 120}


def test_weights_are_normalised_per_old_ward() -> None:
    doubled = CROSSWALK.assign(weight=CROSSWALK["weight"] * 2)
    old = pd.DataFrame({"school_year": 2024, "unit_id": ["OWC"], "pupils": [100]})
    result = to_2025_wards(old, doubled, values=["pupils"])
    assert result.set_index("unit_id")["pupils"].to_dict() == {"W1": 30.0, "W2": 70.0}


def test_back_to_old_districts_marks_wards_spanning_two_districts() -> None:
    new = pd.DataFrame({"school_year": 2025, "unit_id": ["W1", "W2"], "pupils": [300, 70]})
    result = to_old_units(new, CROSSWALK, values=["pupils"], parents=PARENTS)
    by_unit = _by_unit(result)
    # W1's sources: D1 with weight 2 (A and B), D2 with 0.3: W1 is divided → estimate.
    assert by_unit["OD1"][0] == pytest.approx(300 * 2 / 2.3)
    assert by_unit["OD2"][0] == pytest.approx(300 * 0.3 / 2.3 + 70)
    assert by_unit["OD1"][1] and by_unit["OD2"][1]
    assert result["pupils"].sum() == pytest.approx(370)


def test_sizes_share_a_ward_by_the_old_wards_last_figures() -> None:
    new = pd.DataFrame({"school_year": 2025, "unit_id": ["W1"], "pupils": [300]})
    sizes = pd.Series({"OWA": 100.0, "OWB": 50.0, "OWC": 0.0})
    result = to_old_units(new, CROSSWALK, values=["pupils"], size=sizes)
    assert _by_unit(result) == {"OWA": (200.0, True), "OWB": (100.0, True), "OWC": (0.0, True)}


def test_a_ward_from_one_district_is_exact_by_district() -> None:
    crosswalk = CROSSWALK[CROSSWALK["old_unit_id"] != "OWC"]
    new = pd.DataFrame({"school_year": 2025, "unit_id": ["W1"], "pupils": [300]})
    result = to_old_units(new, crosswalk, values=["pupils"], parents=PARENTS)
    assert _by_unit(result) == {"OD1": (300.0, False)}


def test_harmonise_reads_a_mixed_series_in_either_geography() -> None:
    series = pd.DataFrame(
        {
            "school_year": [2024, 2024, 2024, 2025, 2025],
            "unit_id": ["OWA", "OWB", "OWC", "W1", "W2"],
            "pupils": [100, 50, 200, 220, 150],
        }
    )
    wards = harmonise(series, CROSSWALK, "ward", values=["pupils"])
    assert wards.groupby("school_year")["pupils"].sum().to_dict() == pytest.approx(
        {2024: 350, 2025: 370}
    )
    districts = harmonise(series, CROSSWALK, "old_district", values=["pupils"], parents=PARENTS)
    old_year = districts[districts["school_year"] == 2024].set_index("unit_id")
    assert old_year["pupils"].to_dict() == {"OD1": 150, "OD2": 200}
    assert not old_year["estimate"].any()
    with pytest.raises(ValueError, match="parents"):
        harmonise(series, CROSSWALK, "old_district", values=["pupils"])
    with pytest.raises(ValueError, match="unknown geography"):
        harmonise(series, CROSSWALK, "province", values=["pupils"])


def test_observed_weights_follow_where_the_schools_are() -> None:
    from analytics.boundaries import observed_weights

    # Old ward C's schools: 450 pupils now in W1, 50 in W2 (official weights said 30/70).
    observed = pd.DataFrame(
        {
            "old_unit_id": ["OWC", "OWC", "OWA"],
            "new_unit_id": ["W1", "W2", "W1"],
            "value": [450, 50, 10],
        }
    )
    table = observed_weights(observed, CROSSWALK).set_index(["old_unit_id", "new_unit_id"])
    assert table.loc[("OWC", "W1"), "weight"] == pytest.approx(0.9)
    assert table.loc[("OWC", "W2"), "weight"] == pytest.approx(0.1)
    assert table.loc[("OWB", "W1"), "weight"] == 1.0  # nothing observed: kept
    assert bool(table.loc[("OWC", "W1"), "partly_merged"])  # still a split: an estimate
    carried = to_2025_wards(
        pd.DataFrame({"school_year": 2024, "unit_id": ["OWC"], "pupils": [500]}),
        table.reset_index(),
        values=["pupils"],
    )
    assert _by_unit(carried) == {"W1": (450.0, True), "W2": (50.0, True)}
