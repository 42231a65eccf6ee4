"""Grade-progression (cohort) model for grade-level histories."""

from __future__ import annotations

import numpy as np

from analytics.forecast.levelflow import smoothed_ratio
from analytics.forecast.levels import LEVEL_GRADES, LEVELS, N_GRADES
from analytics.forecast.options import ModelOptions
from analytics.forecast.prepare import Prepared


def progression_ratios(grades: np.ndarray) -> np.ndarray:
    """Grade progression ratios ``G[g, t] / G[g-1, t-1]`` as ``(12, S, Y)``.

    Grade 1 (and any cell without a predecessor value) is NaN.
    """
    ratios = np.full_like(grades, np.nan)
    prev = grades[:-1, :, :-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios[1:, :, 1:] = np.where(
            prev > 0, grades[1:, :, 1:] / np.where(prev > 0, prev, 1), np.nan
        )
    return ratios


def intake_rates(grades: np.ndarray, entry_driver: np.ndarray) -> np.ndarray:
    """Entry rates ``G[g, t] / population of entry age [t]`` as ``(12, S, Y)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            entry_driver > 0, grades / np.where(entry_driver > 0, entry_driver, 1), np.nan
        )


def project_grades(prep: Prepared, horizon: int, *, options: ModelOptions) -> np.ndarray:
    """Project pupils per grade with smoothed grade progression ratios.

    Grade 1 — and any grade whose previous grade is absent from an area's history (say
    grade 10 in an upper-secondary-only table) — is the population of entry age times a
    smoothed intake rate (grade 1 also follows births six years earlier when given). Every
    other grade is the previous grade one year earlier times its smoothed progression ratio
    (at grades 6 and 10 that is the transition rate between levels).

    Parameters
    ----------
    prep : Prepared
        Inputs at the origin; ``prep.grades`` must not be None.
    horizon : int
    options : ModelOptions, keyword-only

    Returns
    -------
    numpy.ndarray
        ``(12, S, horizon)`` projected pupils per grade.
    """
    if prep.grades is None:
        raise ValueError("project_grades needs a grade-level history")
    o = prep.origin
    grades = prep.grades.copy()
    known = grades[:, :, : o + 1]
    has_grade = ~np.isnan(known[:, :, o])  # (12, S)
    has_pred = np.zeros_like(has_grade)
    has_pred[1:] = (~np.isnan(known[:-1])).any(axis=2)
    prog = progression_ratios(grades)
    intake = intake_rates(grades, prep.entry_driver)
    series = np.where(has_pred[:, :, None], prog, intake)
    n_series = grades.shape[1]
    flat = series.reshape(N_GRADES * n_series, -1)
    ratio = smoothed_ratio(flat, o, horizon, options=options).reshape(N_GRADES, n_series, horizon)
    last = known[:, :, o]
    for h in range(1, horizon + 1):
        t = o + h
        for g in range(N_GRADES):
            base_pred = grades[g - 1, :, t - 1] if g > 0 else np.full(n_series, np.nan)
            feed = np.where(has_pred[g], base_pred, prep.entry_driver[g, :, t])
            value = ratio[g, :, h - 1] * feed
            follow = last[g] * prep.entry_driver[g, :, t] / prep.entry_driver[g, :, o]
            value = np.where(np.isnan(value), follow, value)
            grades[g, :, t] = np.where(has_grade[g], value, np.nan)
    out = grades[:, :, o + 1 : o + horizon + 1] * np.exp(prep.migration[:, o + 1 : o + horizon + 1])
    return np.clip(out, 0.0, None)


def grades_to_levels(grades: np.ndarray) -> np.ndarray:
    """Sum ``(12, S, T)`` grades into ``(3, S, T)`` levels (NaN where no grade is known)."""
    out = []
    for level in LEVELS:
        lo, hi = LEVEL_GRADES[level]
        block = grades[lo - 1 : hi]
        ok = ~np.isnan(block)
        out.append(np.where(ok.any(axis=0), np.where(ok, block, 0.0).sum(axis=0), np.nan))
    return np.stack(out)
