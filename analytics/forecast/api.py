"""Public entry points: forecast with error bands, and the rolling-origin backtest."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.forecast.backtest import BacktestResult, run_backtest
from analytics.forecast.bands import (
    CALIBRATION,
    DEFAULT_QUANTILES,
    band_factors,
    calibrated_factors,
    local_scale,
    residual_quantiles,
)
from analytics.forecast.engine import project
from analytics.forecast.inputs import check_coverage, validate_history, validate_population
from analytics.forecast.levels import LEVELS
from analytics.forecast.options import ModelOptions
from analytics.forecast.panel import Panel, build_panel
from analytics.forecast.scenario import Levers, apply_migration_change, migration_factors

FORECAST_COLUMNS = ("area_code", "year", "level", "forecast", "lower", "upper")
#: Largest horizon of the calibration behind the bands.
BAND_HORIZON = 5


def _inputs(history: pd.DataFrame, population: pd.DataFrame | None, horizon: int) -> Panel:
    hist = validate_history(history)
    pop = None
    if population is not None:
        pop = validate_population(population)
        check_coverage(hist, pop)
    return build_panel(hist, pop, horizon=horizon)


def _quantiles(
    band_residuals: BacktestResult | pd.DataFrame,
    horizon: int,
    options: ModelOptions,
    notes: list[str] | None,
) -> pd.DataFrame:
    if isinstance(band_residuals, pd.DataFrame) and {"q_low", "q_high"} <= set(
        band_residuals.columns
    ):
        return band_residuals
    residuals = (
        band_residuals.residuals if isinstance(band_residuals, BacktestResult) else band_residuals
    )
    if "method" in residuals.columns:
        residuals = residuals[residuals["method"] == "model"]
    quantiles = residual_quantiles(residuals, coverage=options.coverage)
    if quantiles.empty:
        if notes is not None:
            notes.append(
                "history too short to backtest: error bands use the errors "
                "measured on the GSO provincial series"
            )
        return DEFAULT_QUANTILES
    top = int(quantiles["horizon"].max())
    if horizon > top and notes is not None:
        notes.append(
            f"bands beyond {top} years widen in proportion to the horizon "
            f"(errors were measured up to {top} years)"
        )
    return quantiles


def forecast(
    history: pd.DataFrame,
    population: pd.DataFrame | None = None,
    *,
    horizon: int,
    levers: Levers | None = None,
    band_residuals: BacktestResult | pd.DataFrame | None = None,
    options: ModelOptions | None = None,
    notes: list[str] | None = None,
    keep_ownership: bool = False,
    add_total: bool = False,
) -> pd.DataFrame:
    """Project pupils per area, level and year with a calibrated 80 % band.

    Grade-level histories (a ``grade`` column) use the grade-progression model; level
    totals use the level-flow model. By default the band is the calibrated one
    (:data:`analytics.forecast.bands.CALIBRATION`, learnt on the GSO provinces, times the
    series' own :func:`~analytics.forecast.bands.local_scale` at the last year); with
    ``band_residuals`` it is the empirical 10th–90th percentile of the given errors.

    Parameters
    ----------
    history : pandas.DataFrame
        ``area_code, year, level, pupils`` (+ optional ``area_name``, ``grade``,
        ``ownership``); see :func:`analytics.forecast.inputs.validate_history`.
    population : pandas.DataFrame or None
        ``area_code, year, age_group, population`` (+ optional ``births``,
        ``net_migration``); must cover every area of the history. Future years, when
        given, are used as projections.
    horizon : int, keyword-only
        Years after the last history year (>= 1).
    levers : Levers, optional, keyword-only
        Net-migration change per area (other levers feed :func:`seat_gap`).
    band_residuals : BacktestResult or pandas.DataFrame, optional, keyword-only
        Errors (``level, horizon, log_error``) or quantiles (``level, horizon, q_low,
        q_high``) to build uncalibrated pooled bands from; default: calibrated bands.
    options : ModelOptions, optional, keyword-only
    notes : list of str, optional, keyword-only
        Receives notes on interpolation, cleaning and bands (show them to the user).
    keep_ownership : bool, keyword-only
        Keep one row per ownership when the history has an ``ownership`` column.
    add_total : bool, keyword-only
        Add ``level = "total"`` rows (sum of levels, bands from total errors).

    Returns
    -------
    pandas.DataFrame
        ``area_code, year, level, forecast, lower, upper`` (+ ``ownership``), sorted.

    Raises
    ------
    analytics.forecast.inputs.InputError
        Invalid history or population.
    ValueError
        ``horizon`` < 1, or a persons lever without population.
    """
    if int(horizon) < 1:
        raise ValueError("horizon must be at least 1 year")
    horizon = int(horizon)
    options = options or ModelOptions()
    panel = _inputs(history, population, horizon)
    strata_fc, prep = project(
        panel, panel.last_year, horizon, options=options, mask_population=False, notes=notes
    )
    owners = keep_ownership and panel.strata_owner is not None
    values = strata_fc if owners else panel.area_totals(strata_fc)
    past = prep.pupils if owners else panel.area_totals(prep.pupils)
    units = panel.strata_area if owners else np.arange(len(panel.areas))
    if add_total:
        values = np.concatenate([values, _total(values)[None]])
        past = np.concatenate([past, _total(past)[None]])
    scales = local_scale(past, prep.origin)
    names = np.array([*LEVELS, "total"][: values.shape[0]])
    lv, un, hz = np.meshgrid(
        np.arange(values.shape[0]), np.arange(values.shape[1]), np.arange(horizon), indexing="ij"
    )
    out = pd.DataFrame(
        {
            "area_code": panel.areas[units[un.ravel()]],
            "year": panel.last_year + 1 + hz.ravel(),
            "level": names[lv.ravel()],
            "forecast": values.ravel(),
            "horizon": hz.ravel() + 1,
            "scale": scales[lv.ravel(), un.ravel()],
        }
    )
    if owners:
        out.insert(1, "ownership", panel.strata_owner[un.ravel()])
    out = out[out["forecast"].notna()].reset_index(drop=True)
    levels, horizons = out["level"].to_numpy(), out["horizon"].to_numpy()
    if band_residuals is None:
        lo, hi = calibrated_factors(CALIBRATION, levels, horizons, out["scale"].to_numpy())
        if horizon > BAND_HORIZON and notes is not None:
            notes.append(
                f"bands beyond {BAND_HORIZON} years widen in proportion to the horizon "
                f"(errors were measured up to {BAND_HORIZON} years)"
            )
    else:
        lo, hi = band_factors(_quantiles(band_residuals, horizon, options, notes), levels, horizons)
    out["lower"] = out["forecast"] * lo
    out["upper"] = out["forecast"] * hi
    if levers is not None and levers.net_migration_change:
        out = _apply_migration_lever(out, levers, panel, prep.pop_total)
    columns = [
        c
        for c in ("area_code", "ownership", "year", "level", "forecast", "lower", "upper")
        if c in out.columns
    ]
    sort = [c for c in ("area_code", "ownership", "level", "year") if c in out.columns]
    return out[columns].sort_values(sort, ignore_index=True)


def _total(levels: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(levels)
    return np.where(ok.any(axis=0), np.where(ok, levels, 0).sum(axis=0), np.nan)


def _apply_migration_lever(
    out: pd.DataFrame, levers: Levers, panel: Panel, pop_total: np.ndarray | None
) -> pd.DataFrame:
    origin = panel.last_year
    if levers.net_migration_unit == "percent":
        rates = {a: v / 100.0 for a, v in levers.net_migration_change.items()}
        return apply_migration_change(out, rates, origin=origin)
    if levers.net_migration_unit != "persons":
        raise ValueError("net_migration_unit must be 'percent' or 'persons'")
    if pop_total is None:
        raise ValueError("a net-migration change in persons needs a population table")
    area_pos = {a: i for i, a in enumerate(panel.areas)}
    horizon = int(out["year"].max()) - origin
    o = panel.col(origin)
    persons = np.array([float(levers.net_migration_change.get(a, 0.0)) for a in panel.areas])
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = persons[:, None] / pop_total[:, o + 1 : o + horizon + 1]
    rates = np.nan_to_num(rates)
    idx = out["area_code"].map(area_pos).to_numpy()
    factor = migration_factors(out["year"].to_numpy(), origin, rates[idx])
    out = out.copy()
    for column in ("forecast", "lower", "upper"):
        out[column] = out[column] * factor
    return out


def backtest(
    history: pd.DataFrame,
    population: pd.DataFrame | None = None,
    *,
    max_horizon: int = 5,
    options: ModelOptions | None = None,
) -> BacktestResult:
    """Rolling-origin backtest of the model and of two baselines.

    At every origin with enough history (``options.min_train_years``), the model is fitted
    on data up to the origin only (population included) and projects up to
    ``max_horizon`` years; persistence (last value) and linear drift (last value + mean
    change of the last five years) are computed from the same cleaned history.

    Parameters
    ----------
    history, population : pandas.DataFrame
        As for :func:`forecast`.
    max_horizon : int, keyword-only
        Largest horizon (>= 1).
    options : ModelOptions, optional, keyword-only

    Returns
    -------
    BacktestResult
        MAPE per method, level (and ``overall``) and horizon, plus every residual.
    """
    if int(max_horizon) < 1:
        raise ValueError("max_horizon must be at least 1 year")
    panel = _inputs(history, population, int(max_horizon))
    return run_backtest(panel, max_horizon=int(max_horizon), options=options)
