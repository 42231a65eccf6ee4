"""Map classing: quantiles, equal intervals, Fisher–Jenks natural breaks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.classify import (
    assign,
    breaks,
    equal_interval_breaks,
    jenks_breaks,
    quantile_breaks,
)


def _ssd(groups: list[np.ndarray]) -> float:
    return float(sum(((g - g.mean()) ** 2).sum() for g in groups if g.size))


def test_equal_interval_cuts_the_range_evenly() -> None:
    assert equal_interval_breaks([0, 3, 10], 5) == [0, 2, 4, 6, 8, 10]


def test_quantiles_put_as_many_values_in_each_class() -> None:
    values = np.arange(1, 101)
    edges = quantile_breaks(values, 4)
    counts = np.bincount(assign(values, edges))
    assert counts.tolist() == [25, 25, 25, 25]


def test_jenks_finds_the_obvious_clusters() -> None:
    values = [1, 2, 3, 10, 11, 12, 30, 31, 33]
    assert jenks_breaks(values, 3) == [1, 3, 12, 33]
    assert assign(values, [1, 3, 12, 33]).tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]


def _brute_force_best(values: np.ndarray, k: int) -> float:
    best = np.inf
    for cuts in itertools.combinations(range(1, values.size), k - 1):
        best = min(best, _ssd(np.split(values, cuts)))
    return best


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=4, max_size=9, unique=True), st.integers(2, 4))
def test_jenks_is_optimal_against_brute_force(raw: list[int], k: int) -> None:
    values = np.sort(np.asarray(raw, dtype=float))
    k = min(k, values.size - 1)
    edges = jenks_breaks(values, k)
    classes = assign(values, edges)
    groups = [values[classes == c] for c in range(k)]
    assert _ssd(groups) == pytest.approx(_brute_force_best(values, k))


def test_few_distinct_values_make_one_class_each() -> None:
    values = [5, 5, 7, 9, 9]
    edges = jenks_breaks(values, 5)
    assert assign(values, edges).tolist() == [0, 0, 1, 2, 2]
    assert quantile_breaks([4, 4, 4], 5) == [4, 4]


def test_missing_values_are_ignored_and_classed_minus_one() -> None:
    values = [1.0, np.nan, 3.0, np.inf, 2.0]
    edges = breaks(values, "equal_interval", 2)
    assert edges == [1.0, 2.0, 3.0]
    assert assign(values, edges).tolist() == [0, -1, 1, -1, 0]
    assert breaks([np.nan], "quantile", 3) == []


def test_unknown_method_and_class_count_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown classification"):
        breaks([1, 2], "random", 3)
    with pytest.raises(ValueError, match="between 2 and 9"):
        breaks([1, 2], "quantile", 12)
