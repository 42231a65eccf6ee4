"""Synthetic cohort-simulated enrolment data for tests, demos and benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.forecast.levels import LEVELS, N_GRADES, level_of_grade

#: Default grade progression ratios (grade 1 is an intake rate): repetition/dropout within
#: levels, and the transition rates into lower (6) and upper (10) secondary.
DEFAULT_PROGRESSION = np.array(
    [0.98, 0.995, 0.995, 0.99, 0.99, 0.95, 0.99, 0.98, 0.97, 0.72, 0.97, 0.96]
)


def simulate(
    n_areas: int = 168,
    *,
    first_year: int = 2005,
    last_year: int = 2024,
    seed: int = 0,
    noise: float = 0.01,
    grade_level: bool = False,
    progression: np.ndarray | None = None,
    with_births: bool = True,
    future_years: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate pupils by grade from births and fixed progression ratios.

    Parameters
    ----------
    n_areas : int
        Number of areas (codes ``A001`` …).
    first_year, last_year : int, keyword-only
        Years of the returned history.
    seed : int, keyword-only
        Random seed.
    noise : float, keyword-only
        Standard deviation of multiplicative yearly noise on progression and intake
        (0 gives exact fixed-ratio series).
    grade_level : bool, keyword-only
        Return one row per grade (with a ``grade`` column) instead of per level.
    progression : numpy.ndarray, optional, keyword-only
        Twelve ratios: grade 1 = entrants per birth six years earlier, then grade g per
        grade g-1 one year earlier.
    with_births : bool, keyword-only
        Include ``births`` and ``net_migration`` columns in the population table.
    future_years : int, keyword-only
        Years of population after ``last_year`` (a projection), 0 for none.

    Returns
    -------
    history, population : pandas.DataFrame
        In the formats of :func:`analytics.forecast.validate_history` and
        :func:`analytics.forecast.validate_population` (``age_group`` = ``total``).
    """
    rng = np.random.default_rng(seed)
    ratios = DEFAULT_PROGRESSION if progression is None else np.asarray(progression, float)
    start = first_year - 30
    years = np.arange(start, last_year + future_years + 1)
    n_years = len(years)
    growth = rng.uniform(-0.01, 0.03, n_areas)
    pop0 = rng.uniform(20_000, 300_000, n_areas)
    pop = pop0[:, None] * np.exp(growth[:, None] * np.arange(n_years))
    cbr = np.clip(
        0.017
        + 0.002 * np.sin(np.arange(n_years) / 4.0)[None, :]
        + rng.normal(0, 0.0005, (n_areas, n_years)),
        0.005,
        None,
    )
    births = pop * cbr
    migration = pop * (growth[:, None] - 0.01)
    grades = np.zeros((N_GRADES, n_areas, n_years))
    shocks = np.exp(rng.normal(0, noise, (N_GRADES, n_areas, n_years))) if noise else 1.0
    grades[0, :, 6:] = ratios[0] * births[:, :-6]
    for t in range(1, n_years):
        grades[1:, :, t] = ratios[1:, None] * grades[:-1, :, t - 1]
    grades = grades * shocks
    keep = (years >= first_year) & (years <= last_year)
    codes = np.array([f"A{i + 1:03d}" for i in range(n_areas)])
    g, a, y = np.meshgrid(
        np.arange(N_GRADES), np.arange(n_areas), np.flatnonzero(keep), indexing="ij"
    )
    detail = pd.DataFrame(
        {
            "area_code": codes[a.ravel()],
            "year": years[y.ravel()],
            "grade": g.ravel() + 1,
            "pupils": np.round(grades[g, a, y].ravel()),
        }
    )
    detail["level"] = detail["grade"].map(level_of_grade)
    detail["area_name"] = "Area " + detail["area_code"].str[1:]
    if grade_level:
        history = detail[["area_code", "area_name", "year", "level", "grade", "pupils"]]
    else:
        history = detail.groupby(["area_code", "area_name", "year", "level"], as_index=False)[
            "pupils"
        ].sum()
        history["level"] = pd.Categorical(history["level"], categories=list(LEVELS))
        history = history.sort_values(["area_code", "year", "level"]).astype({"level": str})
    pop_keep = years >= first_year - 12
    a2, y2 = np.meshgrid(np.arange(n_areas), np.flatnonzero(pop_keep), indexing="ij")
    population = pd.DataFrame(
        {
            "area_code": codes[a2.ravel()],
            "year": years[y2.ravel()],
            "age_group": "total",
            "population": np.round(pop[a2, y2].ravel()),
        }
    )
    if with_births:
        population["births"] = np.round(births[a2, y2].ravel())
        population["net_migration"] = np.round(migration[a2, y2].ravel())
    return history.reset_index(drop=True), population
