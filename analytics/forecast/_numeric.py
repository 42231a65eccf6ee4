"""Vectorised NaN-aware numeric helpers shared by the forecast models (rows = series)."""

from __future__ import annotations

import numpy as np


def nan_mean(x: np.ndarray, *, axis: int = -1) -> np.ndarray:
    """Mean over ``axis`` ignoring NaN; NaN where a slice has no value (and no warning)."""
    ok = ~np.isnan(x)
    count = ok.sum(axis=axis)
    total = np.where(ok, x, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def last_valid_index(x: np.ndarray) -> np.ndarray:
    """Column index of the last non-NaN value in each row of a 2-D array (-1 if none)."""
    ok = ~np.isnan(x)
    idx = np.where(ok, np.arange(x.shape[1]), -1)
    return idx.max(axis=1)


def first_valid_index(x: np.ndarray) -> np.ndarray:
    """Column index of the first non-NaN value in each row (``x.shape[1]`` if none)."""
    ok = ~np.isnan(x)
    idx = np.where(ok, np.arange(x.shape[1]), x.shape[1])
    return idx.min(axis=1)


def _prev_next_valid(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every cell, the column of the previous and next valid value in its row (-1/n if none)."""
    n = x.shape[1]
    ok = ~np.isnan(x)
    cols = np.arange(n)
    prev = np.maximum.accumulate(np.where(ok, cols, -1), axis=1)
    nxt = np.minimum.accumulate(np.where(ok, cols, n)[:, ::-1], axis=1)[:, ::-1]
    return prev, nxt


def fill_log_linear(x: np.ndarray, *, trend_span: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Fill NaN cells of positive series by log-linear interpolation and trend extrapolation.

    Parameters
    ----------
    x : numpy.ndarray
        2-D array ``(series, years)`` of positive values with NaN where unknown.
    trend_span : int, keyword-only
        Extrapolation uses the log growth between the last known value and the earliest known
        value at most ``trend_span`` columns before it (same at the start of the series).
        A series with a single known value is held constant.

    Returns
    -------
    filled : numpy.ndarray
        Same shape; rows without any value stay NaN.
    kind : numpy.ndarray
        ``int8`` array: 0 known, 1 interpolated, 2 extrapolated, -1 still unknown.
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[1]
    rows = np.arange(x.shape[0])[:, None]
    cols = np.broadcast_to(np.arange(n), x.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        lx = np.log(np.where(x > 0, x, np.nan))
    prev, nxt = _prev_next_valid(lx)
    inside = (prev >= 0) & (nxt < n)
    p_c, n_c = np.clip(prev, 0, n - 1), np.clip(nxt, 0, n - 1)
    lp, ln = lx[rows, p_c], lx[rows, n_c]
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(n_c > p_c, (cols - p_c) / np.maximum(n_c - p_c, 1), 0.0)
    interp = lp + w * (ln - lp)

    first, last = first_valid_index(lx), last_valid_index(lx)
    has = last >= 0
    first_c, last_c = np.clip(first, 0, n - 1), np.clip(last, 0, n - 1)
    # end slope: last known vs earliest known within trend_span before it
    known = ~np.isnan(lx)
    in_end = known & (np.arange(n) >= (last_c - trend_span)[:, None])
    end_ref = np.where(in_end, np.arange(n), n).min(axis=1)
    in_start = known & (np.arange(n) <= (first_c + trend_span)[:, None])
    start_ref = np.where(in_start, np.arange(n), -1).max(axis=1)
    r = rows[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        end_slope = np.where(
            last_c > end_ref,
            (lx[r, last_c] - lx[r, np.clip(end_ref, 0, n - 1)]) / np.maximum(last_c - end_ref, 1),
            0.0,
        )
        start_slope = np.where(
            start_ref > first_c,
            (lx[r, np.clip(start_ref, 0, n - 1)] - lx[r, first_c])
            / np.maximum(start_ref - first_c, 1),
            0.0,
        )
    after = lx[r, last_c][:, None] + end_slope[:, None] * (cols - last_c[:, None])
    before = lx[r, first_c][:, None] + start_slope[:, None] * (cols - first_c[:, None])
    out = np.where(
        known, lx, np.where(inside, interp, np.where(cols > last_c[:, None], after, before))
    )
    out = np.where(has[:, None], out, np.nan)
    kind = np.where(known, 0, np.where(inside, 1, 2)).astype(np.int8)
    kind[~has] = -1
    # zeros in the input are kept as zeros
    filled = np.where(x == 0, 0.0, np.exp(out))
    return filled, kind


def holt_damped(
    series: np.ndarray, *, alpha: float, beta: float, phi: float, horizon: int
) -> np.ndarray:
    """Damped-trend Holt smoothing of each row; NaN cells are skipped.

    Parameters
    ----------
    series : numpy.ndarray
        2-D array ``(rows, time)``.
    alpha, beta, phi : float, keyword-only
        Level and trend smoothing weights and the damping factor of the trend.
    horizon : int, keyword-only
        Number of steps ahead to forecast, counted from each row's last value.

    Returns
    -------
    numpy.ndarray
        ``(rows, horizon)`` forecasts; NaN for rows without any value.
    """
    level = np.full(series.shape[0], np.nan)
    trend = np.zeros(series.shape[0])
    for j in range(series.shape[1]):
        x = series[:, j]
        ok = ~np.isnan(x)
        init = ok & np.isnan(level)
        upd = ok & ~init
        prev = level.copy()
        level = np.where(init, x, level)
        new_level = alpha * x + (1.0 - alpha) * (prev + phi * trend)
        level = np.where(upd, new_level, level)
        trend = np.where(upd, beta * (level - prev) + (1.0 - beta) * phi * trend, trend)
    damp = np.cumsum(phi ** np.arange(1, horizon + 1))
    return level[:, None] + trend[:, None] * damp[None, :]


def deconvolve_entrants(
    pupils: np.ndarray, *, width: int = 5, smoothing: float = 3.0
) -> np.ndarray:
    """Recover yearly entry-cohort sizes from level totals (sums of ``width`` cohorts).

    Solves ``min ||A e - p||^2 + smoothing ||D2 e||^2 (+ a tiny first-difference ridge)``
    for every row at once, where ``(A e)_t = e_t + ... + e_{t-width+1}``.

    Parameters
    ----------
    pupils : numpy.ndarray
        ``(rows, window)`` level totals with NaN where unknown.
    width : int, keyword-only
        Number of grades in the level (cohorts summed in one year).
    smoothing : float, keyword-only
        Weight of the second-difference penalty on the cohort sizes.

    Returns
    -------
    numpy.ndarray
        ``(rows, window + width - 1)`` cohort sizes; column ``k + width - 1`` is the cohort
        that entered in the year of column ``k`` of ``pupils``. NaN for rows without data.
    """
    nw = pupils.shape[1]
    ne = nw + width - 1
    a = np.zeros((nw, ne))
    for i in range(nw):
        a[i, i : i + width] = 1.0
    d2 = np.diff(np.eye(ne), 2, axis=0)
    d1 = np.diff(np.eye(ne), 1, axis=0)
    penalty = smoothing * d2.T @ d2 + 1e-6 * d1.T @ d1
    ok = ~np.isnan(pupils)
    w = ok.astype(float)
    m = np.einsum("ri,ij,ik->rjk", w, a, a) + penalty[None]
    rhs = np.einsum("ri,ij->rj", np.where(ok, pupils, 0.0), a)
    has = ok.any(axis=1)
    m[~has] = np.eye(ne)
    e = np.linalg.solve(m, rhs[..., None])[..., 0]
    e[~has] = np.nan
    return e
