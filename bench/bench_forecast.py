"""Benchmark: vectorised forecast with bands vs a plain pandas per-area loop of the same model."""

# Times forecast() on 168 synthetic areas × 3 levels × 10 years against a per-area pandas
# implementation written here, in the same process; prints the timings, the speed ratio and
# the largest difference between the two. Bands are the production ones: the calibrated
# 80 % band (scaled split-conformal, docs/forecasting.md "Error bands"), z quantiles of
# bands.CALIBRATION (learnt on the 56 GSO provinces) times each series' local scale at the
# last year, sqrt(0.05² + g² + 1/pupils), g the RMS of its last five yearly log-changes.
# Then it backtests the synthetic areas and prints the held-out 80 % band coverage as
# `ioc backtest` does (bands learnt on the other folds of areas only). The data are
# synthetic (analytics.forecast.synthetic): timings and the check, not evidence about the
# real world (that is the GSO backtest in docs/forecasting.md).
# Run: .venv/bin/python bench/bench_forecast.py [--areas N]

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.forecast import (
    CALIBRATION,
    LEVELS,
    ModelOptions,
    area_cv_coverage,
    area_cv_hits,
    backtest,
    forecast,
)
from analytics.forecast.synthetic import simulate

OPT = ModelOptions()
HORIZON, BAND_HORIZON = 10, 5
#: The local scale's floor and window (analytics.forecast.bands.SCALE_FLOOR, SCALE_YEARS).
SCALE_FLOOR, SCALE_YEARS = 0.05, 5


# ---------------------------------------------------------------- baseline: one area at a time
def _log_linear(series: pd.Series, years: pd.Index) -> pd.Series:
    """Interpolate in logs between known years; extrapolate with the last/first 5-year trend."""
    known = series.dropna()
    known = known[known > 0]
    logs = np.log(known)
    out = pd.Series(np.interp(years, logs.index, logs.to_numpy()), index=years)
    span = OPT.population_trend_years
    last, first = logs.index.max(), logs.index.min()
    end_ref = logs[logs.index >= last - span].index.min()
    start_ref = logs[logs.index <= first + span].index.max()
    end_slope = (logs[last] - logs[end_ref]) / (last - end_ref) if last > end_ref else 0.0
    start_slope = (
        (logs[start_ref] - logs[first]) / (start_ref - first) if start_ref > first else 0.0
    )
    after, before = years > last, years < first
    out[after] = logs[last] + end_slope * (years[after] - last)
    out[before] = logs[first] + start_slope * (years[before] - first)
    return np.exp(out)


def _holt(series: pd.Series, horizon: int) -> np.ndarray:
    level, trend = np.nan, 0.0
    a, b, phi = OPT.ratio_alpha, OPT.ratio_beta, OPT.ratio_phi
    for x in series:
        if np.isnan(x):
            continue
        if np.isnan(level):
            level = x
            continue
        prev = level
        level = a * x + (1 - a) * (prev + phi * trend)
        trend = b * (level - prev) + (1 - b) * phi * trend
    return np.clip(level + trend * np.cumsum(phi ** np.arange(1, horizon + 1)), 0, None)


def _deconvolve(primary: np.ndarray) -> np.ndarray:
    nw, width = len(primary), 5
    ne = nw + width - 1
    a = np.zeros((nw, ne))
    for i in range(nw):
        a[i, i : i + width] = 1.0
    d2, d1 = np.diff(np.eye(ne), 2, axis=0), np.diff(np.eye(ne), 1, axis=0)
    ok = ~np.isnan(primary)
    m = a[ok].T @ a[ok] + OPT.entrant_smoothing * d2.T @ d2 + 1e-6 * d1.T @ d1
    return np.clip(np.linalg.solve(m, a[ok].T @ primary[ok]), 0, None)


def _spikes(s: pd.Series) -> pd.Series:
    logs = np.log(s.where(s > 0))
    centre = (logs.shift(1) + logs.shift(-1)) / 2
    spike = ((logs - centre).abs() > OPT.outlier_jump) & (
        (logs.shift(1) - logs.shift(-1)).abs() < OPT.outlier_agree
    )
    return s.where(~spike, np.exp(centre))


def area_forecast(
    levels: pd.DataFrame,
    pop: pd.Series,
    births: pd.Series,
    origin: int,
    horizon: int,
    years: pd.Index,
    mask: bool,
) -> pd.DataFrame:
    """The level-flow model for one area with pandas (see analytics.forecast.levelflow):
    the cleaned history up to ``origin`` and the forecast after it."""
    hist = levels.reindex(years)
    hist[hist.index > origin] = np.nan
    if mask:
        pop, births = pop[pop.index <= origin], births[births.index <= origin]
    pop = pop.reindex(years)
    total = hist.sum(axis=1, min_count=3)
    d_tot = np.log(total).diff()
    d_pop = np.log(pop.where(pop.index <= origin)).diff()
    breaks = (
        ((d_tot - d_tot.median()).abs() > OPT.break_pupils_jump)
        | ((d_pop - d_pop.median()).abs() > OPT.break_population_jump)
    ) & total.notna()
    for year in breaks[breaks].index:
        ratio = hist.loc[year] / hist.loc[year - 1]
        hist.loc[hist.index < year] *= ratio.where(ratio > 0, 1.0)
        if pop[year] > 0 and pop[year - 1] > 0:
            f = pop[year] / pop[year - 1]
            pop[pop.index < year] *= f
            births = births * np.where(births.index < year, f, 1.0)
    pop = _log_linear(pop, years)
    hist = hist.apply(_spikes)
    known = hist[hist.index <= origin]
    hist.loc[known.index] = np.exp(np.log(known).interpolate(limit_area="inside"))
    driver = pop.copy()
    if births.notna().any():
        b = births.reindex(years)
        smooth = b.rolling(OPT.births_smoothing_years, center=True, min_periods=1).mean()
        smooth[(smooth.index < b.first_valid_index()) | (smooth.index > b.last_valid_index())] = (
            np.nan
        )
        d_b, d_p = np.log(smooth.shift(6)).diff(), np.log(pop).diff()
        w = OPT.births_weight
        inc = d_p.where(d_b.isna(), (1 - w) * d_p + w * d_b).fillna(0.0)
        driver = pop.iloc[0] * np.exp(inc.cumsum() - inc.iloc[0])
    window = hist.loc[origin - OPT.entrant_window + 1 : origin, "primary"].to_numpy()
    entrants = pd.Series(np.nan, index=years)
    entrants.loc[origin - OPT.entrant_window - 3 : origin] = _deconvolve(window)
    future = [y for y in years if origin < y <= origin + horizon]
    entrants.loc[future] = entrants[origin] * driver[future] / driver[origin]
    rl = _holt((hist["lower_secondary"] / hist["primary"].shift(4))[:origin], horizon)
    ru = _holt((hist["upper_secondary"] / hist["lower_secondary"].shift(3))[:origin], horizon)
    for h, year in enumerate(future, start=1):
        hist.loc[year, "primary"] = entrants.loc[year - 4 : year].sum()
        hist.loc[year, "lower_secondary"] = rl[h - 1] * hist.loc[year - 4, "primary"]
        hist.loc[year, "upper_secondary"] = ru[h - 1] * hist.loc[year - 3, "lower_secondary"]
    return hist.loc[: origin + horizon]


def _scale(cleaned: pd.Series, origin: int) -> float:
    """The local scale of one series at ``origin`` (analytics.forecast.bands.local_scale)."""
    window = cleaned.loc[origin - SCALE_YEARS : origin]
    change = np.log(window.where(window > 0)).diff().dropna()
    growth = float(np.sqrt((change**2).mean())) if len(change) else 0.04
    last = cleaned.loc[origin]
    return float(np.sqrt(SCALE_FLOOR**2 + growth**2 + (1.0 / last if last > 0 else 0.0)))


def _band(level: str, h: int, scale: float) -> tuple[float, float]:
    """Lower and upper factors of the calibrated band (z grows with h beyond the table)."""
    rows = CALIBRATION[CALIBRATION["level"] == level].set_index("horizon")
    top = min(h, BAND_HORIZON)
    z_low, z_high = rows.at[top, "z_low"] * h / top, rows.at[top, "z_high"] * h / top
    return float(np.exp(min(z_low, 0.0) * scale)), float(np.exp(max(z_high, 0.0) * scale))


def baseline(history: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Per-area loop: forecast every area, then its calibrated band."""
    wide = history.pivot_table(index=["area_code", "year"], columns="level", values="pupils")
    pops = population.set_index(["area_code", "year"])
    last = int(history["year"].max())
    years = pd.Index(range(int(population["year"].min()), last + HORIZON + 1))
    rows: list[pd.DataFrame] = []
    for area in history["area_code"].unique():
        levels = wide.loc[area][list(LEVELS)]
        pop, births = pops.loc[area, "population"], pops.loc[area, "births"]
        run = area_forecast(levels, pop, births, last, HORIZON, years, mask=False)
        cleaned, fc = run.loc[:last].assign(total=lambda f: f.sum(axis=1)), run.loc[last + 1 :]
        fc = fc.assign(total=fc.sum(axis=1))
        for level in fc.columns:
            scale = _scale(cleaned[level], last)
            bands = [_band(level, int(year - last), scale) for year in fc.index]
            rows.append(
                pd.DataFrame(
                    {
                        "area_code": area,
                        "year": fc.index,
                        "level": level,
                        "forecast": fc[level].to_numpy(),
                        "lower": fc[level].to_numpy() * [b[0] for b in bands],
                        "upper": fc[level].to_numpy() * [b[1] for b in bands],
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def held_out_coverage(history: pd.DataFrame, population: pd.DataFrame) -> str:
    """The 80 % band coverage on held-out synthetic areas, as `ioc backtest` prints it."""
    hits = area_cv_hits(backtest(history, population, max_horizon=BAND_HORIZON).residuals)
    lines = [
        "80 % band coverage on held-out synthetic areas (5-fold over areas: bands from the "
        "other folds only; before = pooled 10th–90th percentile, after = calibrated):",
        f"{'horizon':>7}  {'before':>7}  {'after':>7}  {'n':>6}",
    ]
    for row in area_cv_coverage(hits).itertuples(index=False):
        lines.append(f"{row.horizon!s:>7}  {row.before:7.1%}  {row.after:7.1%}  {row.n:>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run both implementations on synthetic 168-area data and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--areas", type=int, default=168, help="number of areas (168)")
    args = parser.parse_args(argv)
    history, population = simulate(args.areas, first_year=2005, last_year=2024, seed=1)
    print(
        f"synthetic data: {history['area_code'].nunique()} areas, "
        f"{history['year'].min()}–{history['year'].max()}, horizon {HORIZON} years"
    )
    fast_times = []
    for _ in range(3):
        start = time.perf_counter()
        fast = forecast(history, population, horizon=HORIZON)
        fast_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    slow = baseline(history, population)
    slow_time = time.perf_counter() - start
    keys = ["area_code", "level", "year"]
    merged = fast.merge(slow, on=keys, suffixes=("", "_loop"), validate="one_to_one")
    diff = max(
        float(((merged[c] - merged[f"{c}_loop"]).abs() / merged[c]).max())
        for c in ("forecast", "lower", "upper")
    )
    best = min(fast_times)
    print(
        f"vectorised engine (forecast + calibrated bands): best {best:.3f} s "
        f"(runs: {', '.join(f'{t:.3f}' for t in fast_times)})"
    )
    print(f"pandas per-area loop baseline:                 {slow_time:.3f} s")
    print(f"speed ratio (baseline / engine): {slow_time / best:.1f}x")
    print(f"rows compared: {len(merged)} of {len(fast)}; largest relative difference: {diff:.2e}")
    print(held_out_coverage(history, population))


if __name__ == "__main__":
    main()
