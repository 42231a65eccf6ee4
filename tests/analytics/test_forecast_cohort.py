"""Known-truth tests of the grade-progression model: fixed ratios must be recovered exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.forecast import LEVEL_GRADES, LEVELS, forecast
from analytics.forecast.levels import level_of_grade

RATIOS = np.array([0.0, 0.99, 0.995, 0.99, 0.985, 0.95, 0.99, 0.98, 0.97, 0.70, 0.96, 0.95])
LAST, HORIZON = 2016, 6


def simulate_grades(
    *,
    intake: float = 0.93,
    growth: float = 0.02,
    ratios: np.ndarray = RATIOS,
    start: int = 1985,
    end: int = LAST + HORIZON,
) -> tuple[np.ndarray, ...]:
    """Grades from a fixed intake rate × population aged 6 and fixed progression ratios."""
    years = np.arange(start, end + 1)
    pop6 = 1000.0 * (1 + growth) ** (years - start)
    grades = np.zeros((12, len(years)))
    grades[0] = intake * pop6
    for g in range(1, 12):  # steady start, then exact progression
        grades[g, 0] = grades[g - 1, 0] * ratios[g]
    for t in range(1, len(years)):
        grades[1:, t] = ratios[1:] * grades[:-1, t - 1]
    return years, pop6, grades


def grade_history(
    years: np.ndarray,
    grades: np.ndarray,
    *,
    area: str = "X",
    first: int = 2005,
    only: range = range(1, 13),
    owner: str | None = None,
) -> pd.DataFrame:
    rows = []
    for t, year in enumerate(years):
        if not first <= year <= LAST:
            continue
        for g in only:
            row = {
                "area_code": area,
                "area_name": area,
                "year": int(year),
                "level": level_of_grade(g),
                "grade": g,
                "pupils": grades[g - 1, t],
            }
            if owner is not None:
                row["ownership"] = owner
            rows.append(row)
    return pd.DataFrame(rows)


def band_population(
    years: np.ndarray, pop_single: np.ndarray, band: str = "05-09", area: str = "X"
) -> pd.DataFrame:
    """A population table with one 5-year band whose single ages all equal ``pop_single``."""
    keep = years >= 2000
    return pd.DataFrame(
        {
            "area_code": area,
            "year": years[keep],
            "age_group": band,
            "population": 5.0 * pop_single[keep],
        }
    )


def expected_levels(years: np.ndarray, grades: np.ndarray) -> dict[tuple[str, int], float]:
    out = {}
    for level in LEVELS:
        lo, hi = LEVEL_GRADES[level]
        for t, year in enumerate(years):
            if LAST < year <= LAST + HORIZON:
                out[(level, int(year))] = grades[lo - 1 : hi, t].sum()
    return out


def test_fixed_progression_ratios_are_recovered_exactly() -> None:
    years, pop6, grades = simulate_grades()
    history = grade_history(years, grades)
    # the projected years are included; another band with a different trend makes sure the
    # intake follows the population aged 6, not the total
    older = band_population(years, np.full(len(years), 5000.0), band="10-14")
    population = pd.concat([band_population(years, pop6), older])
    result = forecast(history, population, horizon=HORIZON)
    truth = expected_levels(years, grades)
    assert len(result) == 3 * HORIZON
    for row in result.itertuples():
        assert row.forecast == pytest.approx(truth[(row.level, row.year)], rel=1e-9)


def test_recovery_holds_without_future_population_when_growth_is_steady() -> None:
    years, pop6, grades = simulate_grades(growth=0.015)
    history = grade_history(years, grades)
    population = band_population(years[years <= LAST], pop6[years <= LAST])
    result = forecast(history, population, horizon=HORIZON)
    truth = expected_levels(years, grades)
    for row in result.itertuples():  # population extrapolated log-linearly: still exact
        assert row.forecast == pytest.approx(truth[(row.level, row.year)], rel=1e-9)


def test_constant_grade_series_forecasts_constant() -> None:
    rows = [
        {
            "area_code": a,
            "area_name": a,
            "year": y,
            "level": level_of_grade(g),
            "grade": g,
            "pupils": 100.0 + 10 * g,
        }
        for a in ("A", "B")
        for y in range(2008, 2017)
        for g in range(1, 13)
    ]
    result = forecast(pd.DataFrame(rows), None, horizon=4)
    sums = {
        lv: sum(100.0 + 10 * g for g in range(LEVEL_GRADES[lv][0], LEVEL_GRADES[lv][1] + 1))
        for lv in LEVELS
    }
    np.testing.assert_allclose(result["forecast"], result["level"].map(sums), rtol=1e-12)


def test_ownership_strata_are_projected_separately_and_sum_up() -> None:
    years, pop6, public = simulate_grades(intake=0.80)
    _, _, private = simulate_grades(intake=0.13, ratios=RATIOS * np.r_[1, [1.01] * 11])
    history = pd.concat(
        [
            grade_history(years, public, owner="public"),
            grade_history(years, private, owner="private"),
        ]
    )
    population = band_population(years, pop6)
    detail = forecast(history, population, horizon=HORIZON, keep_ownership=True)
    total = forecast(history, population, horizon=HORIZON)
    for owner, grades in (("public", public), ("private", private)):
        truth = expected_levels(years, grades)
        part = detail[detail["ownership"] == owner]
        for row in part.itertuples():
            assert row.forecast == pytest.approx(truth[(row.level, row.year)], rel=1e-9)
    summed = detail.groupby(["level", "year"])["forecast"].sum()
    np.testing.assert_allclose(
        total.set_index(["level", "year"])["forecast"].loc[summed.index], summed, rtol=1e-12
    )


def test_entry_grade_without_predecessor_follows_population_of_entry_age() -> None:
    years = np.arange(1995, LAST + HORIZON + 1)
    pop15 = 2000.0 * 1.01 ** (years - 1995)
    grades = np.zeros((12, len(years)))
    grades[9] = 0.6 * pop15  # grade 10 = 60 % of the 15-year-olds
    for t in range(1, len(years)):
        grades[10, t] = 0.97 * grades[9, t - 1]
        grades[11, t] = 0.95 * grades[10, t - 1]
    grades[10, 0], grades[11, 0] = 0.97 * grades[9, 0], 0.95 * 0.97 * grades[9, 0]
    history = grade_history(years, grades, only=range(10, 13))
    population = band_population(years, pop15, band="15-19")
    result = forecast(history, population, horizon=HORIZON)
    assert set(result["level"]) == {"upper_secondary"}
    for row in result.itertuples():
        t = int(np.flatnonzero(years == row.year)[0])
        assert row.forecast == pytest.approx(grades[9:12, t].sum(), rel=1e-9)
