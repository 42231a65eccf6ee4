"""Level-flow model: cohorts move from primary to lower and upper secondary (level totals)."""

from __future__ import annotations

import numpy as np

from analytics.forecast._numeric import deconvolve_entrants, holt_damped
from analytics.forecast.levels import LEVEL_GRADES
from analytics.forecast.options import ModelOptions
from analytics.forecast.prepare import Prepared

#: Years a cohort needs from a level to the next one: grades 2–5 of primary at t are
#: grades 6–9 (lower secondary) at t+4; grades 7–9 at t are grades 10–12 at t+3.
FLOW_LAG = (4, 3)
PRIMARY_WIDTH = LEVEL_GRADES["primary"][1] - LEVEL_GRADES["primary"][0] + 1


def _ratio(num: np.ndarray, den: np.ndarray, lag: int) -> np.ndarray:
    """``num[t] / den[t - lag]`` with NaN where undefined."""
    out = np.full_like(num, np.nan)
    prev = den[:, :-lag]
    with np.errstate(divide="ignore", invalid="ignore"):
        out[:, lag:] = np.where(prev > 0, num[:, lag:] / np.where(prev > 0, prev, 1.0), np.nan)
    return out


def smoothed_ratio(
    ratio: np.ndarray, origin: int, horizon: int, *, options: ModelOptions
) -> np.ndarray:
    """Damped-Holt projection of a ratio series from the origin, ``(S, horizon)``, >= 0."""
    proj = holt_damped(
        ratio[:, : origin + 1],
        alpha=options.ratio_alpha,
        beta=options.ratio_beta,
        phi=options.ratio_phi,
        horizon=horizon,
    )
    return np.clip(proj, 0.0, None)


def primary_entrants(prep: Prepared, horizon: int, *, options: ModelOptions) -> np.ndarray:
    """Yearly grade-1 entry cohorts on the year axis, recovered up to the origin and grown
    with the entrant driver (population of age 6 and births six years earlier) after it.

    Returns
    -------
    numpy.ndarray
        ``(S, Y)`` cohort sizes; NaN outside the recovery window and the horizon.
    """
    o = prep.origin
    primary = prep.pupils[0]
    window = options.entrant_window
    lo = max(o - window + 1, 0)
    cohorts = deconvolve_entrants(
        primary[:, lo : o + 1], width=PRIMARY_WIDTH, smoothing=options.entrant_smoothing
    )
    cohorts = np.clip(cohorts, 0.0, None)
    n_series, n_years = primary.shape
    full = np.full((n_series, n_years), np.nan)
    start = lo - (PRIMARY_WIDTH - 1)
    keep = slice(max(start, 0), o + 1)
    full[:, keep] = cohorts[:, keep.start - start :]
    driver = prep.entry_driver[0]
    end = min(o + horizon, n_years - 1)
    growth = driver[:, o + 1 : end + 1] / driver[:, o : o + 1]
    full[:, o + 1 : end + 1] = full[:, o : o + 1] * growth
    return full


def project_levels(prep: Prepared, horizon: int, *, options: ModelOptions) -> np.ndarray:
    """Project pupils per level with the level-flow model.

    Primary = sum of the last five entry cohorts (recovered from the primary totals, then
    grown with births/population of age 6); lower secondary at ``t`` = transition ratio ×
    primary at ``t - 4``; upper secondary at ``t`` = transition ratio × lower secondary at
    ``t - 3``. Ratios are damped-Holt smoothed from the history up to the origin. A level
    whose feeding level is missing follows the population of its ages.

    Parameters
    ----------
    prep : Prepared
        Inputs at the origin (see :func:`analytics.forecast.prepare.prepare`).
    horizon : int
        Years to project.
    options : ModelOptions, keyword-only

    Returns
    -------
    numpy.ndarray
        ``(3, S, horizon)`` projected pupils (NaN for a level an area has no history of).
    """
    o = prep.origin
    pupils = prep.pupils.copy()
    n_years = pupils.shape[-1]
    if o + horizon >= n_years:
        raise ValueError("the panel's year axis does not cover the horizon")
    entrants = primary_entrants(prep, horizon, options=options)
    last = pupils[:, :, o].copy()  # (3, S)
    ratios = [
        smoothed_ratio(_ratio(pupils[k + 1], pupils[k], FLOW_LAG[k]), o, horizon, options=options)
        for k in range(2)
    ]
    for h in range(1, horizon + 1):
        t = o + h
        p = entrants[:, t - PRIMARY_WIDTH + 1 : t + 1].sum(axis=1)
        pupils[0, :, t] = np.where(np.isnan(last[0]), np.nan, p)
        for k in range(2):
            feed = pupils[k, :, t - FLOW_LAG[k]]
            flow = ratios[k][:, h - 1] * feed
            drv = prep.level_driver[k + 1]
            follow = last[k + 1] * drv[:, t] / drv[:, o]
            value = np.where(np.isnan(flow), follow, flow)
            pupils[k + 1, :, t] = np.where(np.isnan(last[k + 1]), np.nan, value)
    out = pupils[:, :, o + 1 : o + horizon + 1] * np.exp(prep.migration[:, o + 1 : o + horizon + 1])
    return np.clip(out, 0.0, None)
