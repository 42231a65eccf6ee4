"""Cut a panel at a forecast origin, clean the history and build population drivers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.forecast._numeric import (
    fill_log_linear,
    first_valid_index,
    last_valid_index,
    nan_mean,
)
from analytics.forecast.levels import ENTRY_AGE_OFFSET, LEVEL_AGES, LEVELS, N_GRADES
from analytics.forecast.options import ModelOptions
from analytics.forecast.panel import N_AGES, Panel


@dataclass(frozen=True)
class Prepared:
    """Model inputs at one origin; arrays are ``(..., S, Y)`` on the panel's year axis.

    Attributes
    ----------
    origin : int
        Column of the origin year (last year whose pupils the model may use).
    pupils : numpy.ndarray
        ``(3, S, Y)`` cleaned pupils per level, NaN after the origin.
    grades : numpy.ndarray or None
        ``(12, S, Y)`` cleaned pupils per grade (grade-level data only).
    level_driver : numpy.ndarray
        ``(3, S, Y)`` population of each level's official ages (total population, or ones,
        when that is not known); only its changes matter.
    entry_driver : numpy.ndarray
        ``(12, S, Y)`` population of the entry age of each grade; grade 1 blends the change
        in births six years earlier.
    migration : numpy.ndarray
        ``(S, Y)`` cumulative log adjustment for net migration after the origin that differs
        from the recent rate (given projections); zero up to the origin.
    pop_total : numpy.ndarray or None
        ``(A, Y)`` filled total population.
    """

    origin: int
    pupils: np.ndarray
    grades: np.ndarray | None
    level_driver: np.ndarray
    entry_driver: np.ndarray
    migration: np.ndarray
    pop_total: np.ndarray | None


def _log_change(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        lx = np.log(np.where(x > 0, x, np.nan))
    d = np.full_like(lx, np.nan)
    d[..., 1:] = lx[..., 1:] - lx[..., :-1]
    return d


def _median_ignoring_nan(d: np.ndarray) -> np.ndarray:
    filled = np.where(np.isnan(d), np.inf, d)
    count = (~np.isnan(d)).sum(axis=-1)
    srt = np.sort(filled, axis=-1)
    lo = np.clip((count - 1) // 2, 0, None)
    hi = np.clip(count // 2, 0, None)
    med = (
        0.5
        * (np.take_along_axis(srt, lo[..., None], -1) + np.take_along_axis(srt, hi[..., None], -1))[
            ..., 0
        ]
    )
    return np.where(count > 0, med, 0.0)


def find_breaks(
    pupils: np.ndarray, pop_total: np.ndarray | None, *, options: ModelOptions
) -> np.ndarray:
    """Flag boundary changes: ``(S, Y)`` True at the first year of the new territory.

    A break is a one-year log change of total population (``pop_total`` given per stratum)
    or of the total pupils that departs from the series' median yearly change by more
    than the thresholds of ``options``.
    """
    with np.errstate(invalid="ignore"):
        total = pupils.sum(axis=0)
    d = _log_change(total)
    flags = np.abs(d - _median_ignoring_nan(d)[:, None]) > options.break_pupils_jump
    if pop_total is not None:
        dp = _log_change(pop_total)
        flags |= np.abs(dp - _median_ignoring_nan(dp)[:, None]) > options.break_population_jump
    return flags & ~np.isnan(total)


def rescale_before_breaks(series: np.ndarray, breaks: np.ndarray) -> np.ndarray:
    """Scale every value before a break by ``x[b] / x[b-1]`` of its own series (``(K,S,Y)``)."""
    out = series.copy()
    for s, b in zip(*np.nonzero(breaks), strict=True):
        before, after = out[:, s, b - 1], out[:, s, b]
        ok = (before > 0) & (after > 0)
        factor = np.where(ok, after / np.where(ok, before, 1.0), 1.0)
        out[:, s, :b] *= factor[:, None]
    return out


def fix_outliers(x: np.ndarray, *, options: ModelOptions) -> tuple[np.ndarray, int]:
    """Replace single-year spikes (see :class:`ModelOptions`) by their neighbours' mean."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lx = np.log(np.where(x > 0, x, np.nan))
    left, mid, right = lx[..., :-2], lx[..., 1:-1], lx[..., 2:]
    centre = 0.5 * (left + right)
    with np.errstate(invalid="ignore"):
        spike = (np.abs(mid - centre) > options.outlier_jump) & (
            np.abs(left - right) < options.outlier_agree
        )
    out = x.copy()
    out[..., 1:-1] = np.where(spike, np.exp(centre), x[..., 1:-1])
    return out, int(spike.sum())


def fill_gaps(x: np.ndarray, driver: np.ndarray, origin: int) -> tuple[np.ndarray, int, int]:
    """Interpolate interior gaps and carry short series forward to the origin.

    Parameters
    ----------
    x : numpy.ndarray
        ``(..., S, Y)`` pupils, NaN after ``origin``.
    driver : numpy.ndarray
        Population index broadcastable to ``x``; a series that ends before the origin is
        carried forward in proportion to it.
    origin : int
        Column of the origin.

    Returns
    -------
    filled : numpy.ndarray
    n_interpolated, n_carried : int
        Number of cells filled each way.
    """
    shape = x.shape
    flat = x.reshape(-1, shape[-1])
    drv = np.broadcast_to(driver, shape).reshape(-1, shape[-1])
    filled, kind = fill_log_linear(flat[:, : origin + 1])
    out = flat.copy()
    interior = kind == 1
    out[:, : origin + 1] = np.where(interior, filled, flat[:, : origin + 1])
    last = last_valid_index(out[:, : origin + 1])
    rows = np.flatnonzero((last >= 0) & (last < origin))
    carried = 0
    for r in rows:  # rare: only series that stop before the origin
        span = slice(last[r] + 1, origin + 1)
        out[r, span] = out[r, last[r]] * drv[r, span] / drv[r, last[r]]
        carried += origin - last[r]
    return out.reshape(shape), int(interior.sum()), carried


def smooth_births(births: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average of births inside each series' known span (``(A, Y)``)."""
    half = max(window, 1) // 2
    padded = np.pad(births, ((0, 0), (half, half)), constant_values=np.nan)
    stack = np.stack([padded[:, k : k + births.shape[1]] for k in range(2 * half + 1)])
    out = nan_mean(stack, axis=0)
    first, last = first_valid_index(births), last_valid_index(births)
    cols = np.arange(births.shape[1])
    inside = (cols >= first[:, None]) & (cols <= last[:, None])
    return np.where(inside, out, np.nan)


def _age_population(
    panel: Panel, pop_age: np.ndarray | None, total: np.ndarray | None, ages: tuple[int, int]
) -> np.ndarray:
    """Population of ``ages`` per area-year (age bands, else total, else ones)."""
    n_areas, n_years = len(panel.areas), len(panel.years)
    fallback = total if total is not None else np.ones((n_areas, n_years))
    if pop_age is None or ages[1] >= N_AGES:
        return fallback
    block = pop_age[:, ages[0] : ages[1] + 1].sum(axis=1)
    has = ~np.isnan(pop_age[:, ages[0] : ages[1] + 1]).any(axis=(1, 2))
    return np.where(has[:, None], block, fallback)


def _population_notes(
    panel: Panel, raw: np.ndarray, kind: np.ndarray, options: ModelOptions
) -> list[str]:
    """Say which population years were interpolated or extrapolated (history + horizon)."""
    span = slice(panel.col(panel.first_year), len(panel.years))
    part, years = kind[:, span], panel.years[span]
    out = []
    n_int = int((part == 1).sum())
    if n_int:
        out.append(f"population: {n_int} area-years between known years interpolated (log-linear)")
    last = last_valid_index(raw)
    ahead = (part == 2) & (years[None, :] > panel.years[np.clip(last, 0, None)][:, None])
    if ahead.any():
        known_to = sorted({int(panel.years[i]) for i in last[ahead.any(axis=1)]})
        out.append(
            f"population: {int(ahead.any(axis=1).sum())} areas extrapolated after "
            f"their last known year ({', '.join(map(str, known_to[:5]))}) with the "
            f"trend of up to {options.population_trend_years} earlier years"
        )
    behind = int(((part == 2) & ~ahead).sum())
    if behind:
        out.append(
            f"population: {behind} area-years before the first known year "
            "back-cast with the early trend"
        )
    return out


def prepare(
    panel: Panel,
    origin_year: int,
    *,
    options: ModelOptions,
    mask_population: bool,
    notes: list[str] | None = None,
) -> Prepared:
    """Cut ``panel`` at ``origin_year``, clean the history and build the drivers.

    Parameters
    ----------
    panel : Panel
    origin_year : int
        Last year of pupils the model may use.
    options : ModelOptions, keyword-only
    mask_population : bool, keyword-only
        Hide population, births and migration after the origin (backtests must: those
        years were not known at the origin).
    notes : list of str, optional, keyword-only
        Receives human-readable notes about interpolation and cleaning.

    Returns
    -------
    Prepared
    """
    o = panel.col(origin_year)
    n_years = len(panel.years)
    keep = np.arange(n_years) <= o
    pupils = np.where(keep, panel.pupils, np.nan)
    grades = None if panel.grades is None else np.where(keep, panel.grades, np.nan)

    def cut(a: np.ndarray | None) -> np.ndarray | None:
        if a is None or not mask_population:
            return a
        return np.where(keep, a, np.nan)

    pop_raw, age_raw = cut(panel.pop_total), cut(panel.pop_age)
    births_raw, mig_raw = cut(panel.births), cut(panel.net_migration)
    sa = panel.strata_area
    if options.detect_breaks:
        strat_pop = None if pop_raw is None else np.where(keep, pop_raw, np.nan)[sa]
        breaks = find_breaks(pupils, strat_pop, options=options)
        if breaks.any():
            pupils = rescale_before_breaks(pupils, breaks)
            if grades is not None:
                grades = rescale_before_breaks(grades, breaks)
            if pop_raw is not None:
                factor = np.ones_like(pop_raw)
                for a, b in {
                    (int(sa[s]), int(b)) for s, b in zip(*np.nonzero(breaks), strict=True)
                }:
                    before, after = pop_raw[a, b - 1], pop_raw[a, b]
                    if before > 0 and after > 0:
                        factor[a, :b] *= after / before
                pop_raw = pop_raw * factor
                age_raw = None if age_raw is None else age_raw * factor[:, None, :]
                births_raw = None if births_raw is None else births_raw * factor
                mig_raw = None if mig_raw is None else mig_raw * factor
            if notes is not None:
                where = sorted(
                    {
                        f"{panel.areas[sa[s]]} {panel.years[b]}"
                        for s, b in zip(*np.nonzero(breaks), strict=True)
                    }
                )
                notes.append(
                    "boundary change assumed (earlier years rescaled to the new "
                    f"territory): {', '.join(where)}"
                )
    pop_total = age_pop = None
    if pop_raw is not None:
        pop_total, kind = fill_log_linear(pop_raw, trend_span=options.population_trend_years)
        if notes is not None:
            notes.extend(_population_notes(panel, pop_raw, kind, options))
        if age_raw is not None:
            flat, _ = fill_log_linear(
                age_raw.reshape(-1, n_years), trend_span=options.population_trend_years
            )
            age_pop = flat.reshape(age_raw.shape)

    level_driver = np.stack(
        [_age_population(panel, age_pop, pop_total, LEVEL_AGES[lv])[sa] for lv in LEVELS]
    )
    entry = np.stack(
        [
            _age_population(
                panel, age_pop, pop_total, (g + ENTRY_AGE_OFFSET, g + ENTRY_AGE_OFFSET)
            )[sa]
            for g in range(1, N_GRADES + 1)
        ]
    )
    if births_raw is not None and options.births_weight > 0:
        smooth = smooth_births(births_raw, options.births_smoothing_years)[sa]
        lagged = np.full_like(smooth, np.nan)
        lagged[:, 6:] = smooth[:, :-6]
        d_births, d_pop = _log_change(lagged), _log_change(entry[0])
        w = options.births_weight
        inc = np.where(np.isnan(d_births), d_pop, (1 - w) * d_pop + w * d_births)
        inc = np.nan_to_num(inc)
        entry[0] = entry[0][:, :1] * np.exp(np.cumsum(inc, axis=1) - inc[:, :1])

    migration = np.zeros((len(sa), n_years))
    if mig_raw is not None and pop_total is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = mig_raw / pop_total
        recent = rate[:, : o + 1]
        last = last_valid_index(recent)
        cols = np.arange(o + 1)
        window = np.where((cols <= last[:, None]) & (cols > last[:, None] - 3), recent, np.nan)
        base = np.nan_to_num(nan_mean(window))
        adj = np.where(np.isnan(rate), 0.0, rate - base[:, None])
        adj[:, : o + 1] = 0.0
        migration = np.cumsum(adj, axis=1)[sa]

    pupils, n_out = fix_outliers(pupils, options=options)
    pupils, n_int, n_carry = fill_gaps(pupils, level_driver, o)
    if grades is not None:
        # no spike removal per grade: a large birth cohort is a real one-year bump there
        grades, n_int_g, n_carry_g = fill_gaps(grades, entry, o)
        n_int, n_carry = n_int + n_int_g, n_carry + n_carry_g
    if notes is not None:
        if n_out:
            notes.append(
                f"history: {n_out} single-year spikes replaced by the mean of their neighbours"
            )
        if n_int:
            notes.append(f"history: {n_int} missing years interpolated")
        if n_carry:
            notes.append(
                f"history: {n_carry} missing recent years carried forward to "
                f"{origin_year} with population growth"
            )
    return Prepared(
        origin=o,
        pupils=pupils,
        grades=grades,
        level_driver=level_driver,
        entry_driver=entry,
        migration=migration,
        pop_total=pop_total,
    )
