"""Known-truth tests of the level-flow model and of the history cleaning it relies on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.forecast import LEVELS, forecast

YEARS = range(2004, 2017)


def level_history(
    values: dict[str, list[float] | np.ndarray], *, area: str = "X", years: range = YEARS
) -> pd.DataFrame:
    rows = [
        {
            "area_code": area,
            "area_name": area,
            "year": y,
            "level": level,
            "pupils": float(series[i]),
        }
        for level, series in values.items()
        for i, y in enumerate(years)
        if not np.isnan(series[i])
    ]
    return pd.DataFrame(rows)


def total_population(
    values: dict[int, float], *, area: str = "X", **extra: dict[int, float]
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "area_code": area,
            "year": list(values),
            "age_group": "total",
            "population": list(values.values()),
        }
    )
    for column, by_year in extra.items():
        frame[column] = frame["year"].map(by_year)
    return frame


def constant(n: float) -> np.ndarray:
    return np.full(len(YEARS), float(n))


def by_level(result: pd.DataFrame, level: str) -> np.ndarray:
    return result[result["level"] == level].sort_values("year")["forecast"].to_numpy()


def test_constant_series_forecast_constant_without_population() -> None:
    history = level_history(
        {
            "primary": constant(5000),
            "lower_secondary": constant(3800),
            "upper_secondary": constant(2100),
        }
    )
    result = forecast(history, None, horizon=8)
    for level, value in zip(LEVELS, (5000, 3800, 2100), strict=True):
        np.testing.assert_allclose(by_level(result, level), value, rtol=1e-9)


def test_constant_series_with_constant_population_forecast_constant() -> None:
    history = level_history(
        {
            "primary": constant(5000),
            "lower_secondary": constant(3800),
            "upper_secondary": constant(2100),
        }
    )
    population = total_population(
        {y: 90_000.0 for y in range(1995, 2017)}, births=dict.fromkeys(range(1995, 2017), 1500.0)
    )
    result = forecast(history, population, horizon=6)
    np.testing.assert_allclose(by_level(result, "primary"), 5000, rtol=1e-9)
    np.testing.assert_allclose(by_level(result, "upper_secondary"), 2100, rtol=1e-9)


def test_entrants_grow_with_the_population() -> None:
    history = level_history({"primary": constant(5000)})
    population = total_population({y: 100_000 * 1.02 ** (y - 1995) for y in range(1995, 2017)})
    result = by_level(forecast(history, population, horizon=3), "primary")
    # five equal cohorts of 1000; each new cohort is 2 % larger than the previous one
    expected = [
        1000 * (4 + 1.02),
        1000 * (3 + 1.02 + 1.02**2),
        1000 * (2 + 1.02 + 1.02**2 + 1.02**3),
    ]
    np.testing.assert_allclose(result, expected, rtol=1e-6)


def test_secondary_levels_follow_their_feeding_cohorts_exactly() -> None:
    years = np.arange(2000, 2017)
    primary = 4000 + 300 * np.sin(years / 2.0) + 20 * (years - 2000)
    lower = np.full(len(years), np.nan)
    lower[4:] = 0.78 * primary[:-4]  # lower secondary = 78 % of primary four years earlier
    upper = np.full(len(years), np.nan)
    upper[7:] = 0.55 * lower[4:-3]  # upper secondary = 55 % of lower secondary 3 years earlier
    history = level_history(
        {"primary": primary, "lower_secondary": lower, "upper_secondary": upper},
        years=range(2000, 2017),
    )
    result = forecast(history, None, horizon=3)
    np.testing.assert_allclose(
        by_level(result, "lower_secondary"), 0.78 * primary[-4:-1], rtol=1e-9
    )
    np.testing.assert_allclose(by_level(result, "upper_secondary"), 0.55 * lower[-3:], rtol=1e-9)


def test_boundary_change_is_detected_and_history_rescaled() -> None:
    steady = {
        "primary": constant(5000),
        "lower_secondary": constant(3800),
        "upper_secondary": constant(2100),
    }
    split = {k: np.where(np.array(YEARS) < 2010, v * 1.6, v) for k, v in steady.items()}
    pop = {y: 90_000.0 * (1.6 if y < 2010 else 1.0) for y in range(1995, 2017)}
    notes: list[str] = []
    result = forecast(level_history(split), total_population(pop), horizon=5, notes=notes)
    assert any("boundary change" in n and "X 2010" in n for n in notes)
    for level, value in zip(LEVELS, (5000, 3800, 2100), strict=True):
        np.testing.assert_allclose(by_level(result, level), value, rtol=1e-9)


def test_single_year_spike_is_replaced() -> None:
    primary = constant(5000)
    primary[5] = 9000  # a typo-like spike in one year
    notes: list[str] = []
    result = forecast(
        level_history({"primary": primary, "lower_secondary": constant(3800)}),
        None,
        horizon=3,
        notes=notes,
    )
    assert any("spike" in n for n in notes)
    np.testing.assert_allclose(by_level(result, "primary"), 5000, rtol=1e-9)


def test_projected_net_migration_above_recent_rate_raises_forecasts() -> None:
    history = level_history({"primary": constant(5000), "lower_secondary": constant(3800)})
    pop = {y: 100_000.0 for y in range(1995, 2022)}
    migration = {y: (0.0 if y <= 2016 else 1000.0) for y in range(1995, 2022)}
    result = forecast(history, total_population(pop, net_migration=migration), horizon=5)
    factor = np.exp(0.01 * np.arange(1, 6))  # +1 % of the population a year
    np.testing.assert_allclose(by_level(result, "lower_secondary"), 3800 * factor, rtol=1e-9)


def test_rising_births_six_years_earlier_raise_primary() -> None:
    history = level_history({"primary": constant(5000)})
    flat = {y: 1500.0 for y in range(1995, 2017)}
    rising = {y: 1500.0 * (1.05 ** max(y - 2008, 0)) for y in range(1995, 2017)}
    pop = {y: 90_000.0 for y in range(1995, 2017)}
    base = by_level(forecast(history, total_population(pop, births=flat), horizon=5), "primary")
    more = by_level(forecast(history, total_population(pop, births=rising), horizon=5), "primary")
    np.testing.assert_allclose(base, 5000, rtol=1e-9)
    assert (more[1:] > base[1:] * 1.001).all()


def test_gaps_are_interpolated_and_late_series_carried_forward() -> None:
    primary = constant(5000)
    primary[4] = np.nan  # interior gap
    lower = constant(3800)
    lower[-2:] = np.nan  # this series stops two years early
    notes: list[str] = []
    result = forecast(
        level_history({"primary": primary, "lower_secondary": lower}), None, horizon=2, notes=notes
    )
    assert any("interpolated" in n for n in notes)
    assert any("carried forward" in n for n in notes)
    assert sorted(result["year"].unique()) == [2017, 2018]
    np.testing.assert_allclose(by_level(result, "lower_secondary"), 3800, rtol=1e-9)


def test_horizon_must_be_positive() -> None:
    with pytest.raises(ValueError, match="horizon"):
        forecast(level_history({"primary": constant(5000)}), None, horizon=0)
