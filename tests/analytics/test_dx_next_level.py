"""The next-level plan: hand-worked cases and agreement with brute force over every subset."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import dx_next_level as nl

CRITERIA_CSV = (
    Path(__file__).resolve().parents[2]
    / "data/reference/dx_index/criteria_4725_secondary_source.csv"
)


def _criteria() -> pd.DataFrame:
    frame = pd.read_csv(CRITERIA_CSV, dtype={"code": str})
    frame["mandatory"] = frame["mandatory"].astype(str).str.lower().eq("true")
    return frame


def _scores(points: dict[str, float], reviewed: dict[str, float] | None = None) -> pd.DataFrame:
    reviewed = reviewed or {}
    codes = sorted(set(points) | set(reviewed))
    return pd.DataFrame(
        {
            "code": codes,
            "self_score": [points.get(c, 0.0) for c in codes],
            "reviewed_score": [reviewed.get(c, np.nan) for c in codes],
        }
    )


def _full(criteria: pd.DataFrame, group: int) -> dict[str, float]:
    rows = criteria[criteria["group"] == group]
    return {r.code: (1.0 if r.mandatory else float(r.max_points)) for r in rows.itertuples()}


def test_a_group_at_level_three_has_no_target_and_no_steps() -> None:
    criteria = _criteria()
    plans = nl.next_level(criteria, _scores({**_full(criteria, 1), **_full(criteria, 2)}))
    assert [(p.group, p.points, p.level, p.target_level) for p in plans] == [
        (1, 100.0, 3, None),
        (2, 100.0, 3, None),
    ]
    assert all(p.steps == [] for p in plans)


def test_group_one_at_44_needs_the_largest_unmet_criterion_first() -> None:
    criteria = _criteria()
    # Group 1 (100 points): everything met but 1.5.1 (15), 1.4 (10), 1.7.1 (8), 1.6.1 (7),
    # 1.7.3 (5), 1.5.2 (5), 1.3.1 (6) → 100 − 56 = 44, level 1. Mandatory 1.2 unmet.
    missing = {"1.5.1", "1.4", "1.7.1", "1.6.1", "1.7.3", "1.5.2", "1.3.1", "1.2"}
    points = {k: v for k, v in _full(criteria, 1).items() if k not in missing}
    (plan,) = [p for p in nl.next_level(criteria, _scores(points)) if p.group == 1]
    assert (plan.points, plan.level, plan.target_level, plan.points_needed) == (44.0, 1, 2, 6.0)
    assert [s.code for s in plan.steps] == ["1.2", "1.5.1"]  # mandatory first, then 15 ≥ 6
    assert plan.steps[0].mandatory and plan.steps[0].gain == 0
    assert plan.steps[1].gain == 15.0 and plan.reachable


def test_level_three_needs_more_than_75_and_partial_scores_gain_the_rest() -> None:
    criteria = _criteria()
    # Group 1 at exactly 75 is level 2: 75 is not "more than 75".
    points = _full(criteria, 1) | {"1.5.1": 0.0, "1.4": 0.0}  # 100 − 25 = 75
    (plan,) = [p for p in nl.next_level(criteria, _scores(points)) if p.group == 1]
    assert (plan.points, plan.level, plan.target_level, plan.must_exceed) == (75.0, 2, 3, True)
    assert plan.points_needed == 0.0  # at the threshold, still one criterion to go
    assert [s.code for s in plan.steps] == ["1.5.1"]
    # A partly met criterion gains what it lacks: 1.5.1 at 1 of 15 gains 14.
    points = _full(criteria, 1) | {"1.5.1": 1.0, "1.4": 0.0, "1.7.1": 7.0}  # 100 − 25 = 75
    (plan,) = [p for p in nl.next_level(criteria, _scores(points)) if p.group == 1]
    assert plan.points == 75.0 and [s.code for s in plan.steps] == ["1.5.1"]
    assert (plan.steps[0].points, plan.steps[0].max_points, plan.steps[0].gain) == (1, 15, 14)


def test_reviewed_scores_replace_self_scores_and_group_two_is_on_a_100_scale() -> None:
    criteria = _criteria()
    # Group 2 lists 90 points: 45 of them is 50 on the scale (level 2), 44.5 is below.
    met = {"2.1": 1, "2.2": 1, "2.3.3": 10, "2.3.5": 10, "2.3.6": 10, "2.4.2": 12, "2.3.1": 3}
    reviewed = dict(met) | {"2.3.1": 2.5}
    plans = {p.group: p for p in nl.next_level(criteria, _scores(met))}
    assert plans[2].points == 50.0 and plans[2].level == 2
    plans = {p.group: p for p in nl.next_level(criteria, _scores(met, reviewed))}
    assert plans[2].level == 1 and plans[2].target_level == 2
    assert plans[2].steps[0].code == "2.4.3" and round(plans[2].steps[0].gain, 3) == 11.111


def test_without_mandatory_flags_no_criterion_is_mandatory() -> None:
    criteria = _criteria().drop(columns=["mandatory"])
    plans = nl.next_level(criteria, _scores({}))
    assert all(not s.mandatory for p in plans for s in p.steps)


def _brute_force(gains: list[float], current: float, target: int) -> int | None:
    for count in range(len(gains) + 1):
        for subset in combinations(gains, count):
            if nl.reaches(current + sum(subset), target):
                return count
    return None


@settings(max_examples=300, deadline=None)
@given(
    gains=st.lists(st.integers(1, 30).map(lambda v: v / 2), max_size=9),
    current=st.integers(0, 180).map(lambda v: v / 2),
)
def test_the_greedy_count_is_the_brute_force_minimum(gains: list[float], current: float) -> None:
    level = int(nl.band(current))
    target = min(level + 1, 3)
    chosen = nl.fewest(np.array(gains), current, target)
    best = _brute_force(gains, current, target)
    if best is None:
        assert chosen is None
    else:
        assert chosen is not None and len(chosen) == best
        assert nl.reaches(current + float(np.array(gains)[chosen].sum()), target)


def test_closest_ranks_schools_by_the_points_they_lack() -> None:
    schools = pd.DataFrame(
        {
            "institution_id": [1, 2, 3, 4, 5],
            "name": ["A", "B", "C", "D", "E"],
            "self_group1": [48.0, 90.0, 70.0, 80.0, np.nan],
            "self_group2": [60.0, 90.0, 74.0, 40.0, np.nan],
            "reviewed_group1": [np.nan, 90.0, 70.0, np.nan, np.nan],
            "reviewed_group2": [np.nan, 80.0, 74.0, np.nan, np.nan],
        }
    )
    out = nl.closest(schools)
    # B is at level 3 and E has no scores; A lacks 2 (group 1 to 50), C 5 + 1 to 75, D 10.
    assert out["institution_id"].tolist() == [1, 3, 4]
    assert out["basis"].tolist() == ["self", "reviewed", "self"]
    assert out["target_level"].tolist() == [2, 3, 2]
    assert out["points_needed"].tolist() == [2.0, 6.0, 10.0]
