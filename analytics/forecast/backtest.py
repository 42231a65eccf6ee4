"""Rolling-origin backtest of the model against persistence and linear-drift baselines."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.forecast.bands import local_scale
from analytics.forecast.engine import project
from analytics.forecast.levels import LEVELS
from analytics.forecast.options import ModelOptions
from analytics.forecast.panel import Panel

METHODS: tuple[str, ...] = ("model", "persistence", "drift")
RESIDUAL_COLUMNS = (
    "area_code",
    "origin",
    "horizon",
    "year",
    "level",
    "method",
    "actual",
    "forecast",
    "scale",
    "log_error",
)
#: Years of change averaged by the linear-drift baseline.
DRIFT_YEARS = 5


@dataclass(frozen=True)
class BacktestResult:
    """Errors of the model and of the baselines at every origin and horizon.

    Attributes
    ----------
    mape : pandas.DataFrame
        Columns ``method, level, horizon, mape, n``; ``level`` is one of the three levels
        or ``overall`` (all area × level × origin errors at that horizon pooled). MAPE in
        percent.
    residuals : pandas.DataFrame
        One row per forecast: ``area_code, origin, horizon, year, level, method, actual,
        forecast, scale, log_error`` (``log(actual / forecast)``; ``scale`` = the series'
        :func:`~analytics.forecast.bands.local_scale` at the origin); the model also has
        ``total`` rows (sum of the levels) used for bands of area totals.
    origins : tuple of int
        Forecast origins used.
    """

    mape: pd.DataFrame
    residuals: pd.DataFrame
    origins: tuple[int, ...]

    def table(self) -> pd.DataFrame:
        """Wide MAPE table: one row per horizon, columns ``(level, method)``."""
        wide = self.mape.pivot_table(index="horizon", columns=["level", "method"], values="mape")
        order = [(lv, m) for lv in (*LEVELS, "overall") for m in METHODS if (lv, m) in wide.columns]
        return wide[order]

    def improvement(self) -> pd.DataFrame:
        """Per horizon: overall MAPE of the model, the better baseline, and their ratio."""
        overall = self.mape[self.mape["level"] == "overall"].pivot_table(
            index="horizon", columns="method", values="mape"
        )
        best = overall[["persistence", "drift"]].min(axis=1)
        return pd.DataFrame(
            {"model": overall["model"], "best_baseline": best, "ratio": overall["model"] / best}
        )


def baselines(history: np.ndarray, origin: int, horizon: int) -> dict[str, np.ndarray]:
    """Persistence and linear-drift forecasts from a ``(..., A, Y)`` history.

    Drift = last value + h × mean yearly change over the last five years (fewer when the
    series is shorter).

    Returns
    -------
    dict
        ``{"persistence": (..., A, horizon), "drift": (..., A, horizon)}``.
    """
    last = history[..., origin]
    past = history[..., max(origin - DRIFT_YEARS, 0) : origin]
    k = past.shape[-1]
    ok = ~np.isnan(past)
    first_idx = np.where(ok, np.arange(k), k).min(axis=-1)
    span = k - first_idx
    ref = (
        np.take_along_axis(past, np.clip(first_idx, 0, max(k - 1, 0))[..., None], -1)[..., 0]
        if k
        else last
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(span > 0, (last - ref) / np.maximum(span, 1), 0.0)
    steps = np.arange(1, horizon + 1)
    persistence = np.repeat(last[..., None], horizon, axis=-1)
    drift = np.clip(last[..., None] + slope[..., None] * steps, 0.0, None)
    return {"persistence": persistence, "drift": drift}


def origins_for(panel: Panel, *, options: ModelOptions) -> list[int]:
    """Backtest origins: every year with ``min_train_years`` of history and a later year."""
    first = panel.first_year + options.min_train_years - 1
    return list(range(first, panel.last_year))


def run_backtest(
    panel: Panel, *, max_horizon: int = 5, options: ModelOptions | None = None
) -> BacktestResult:
    """Rolling-origin backtest on a panel (the model only sees data up to each origin).

    Parameters
    ----------
    panel : Panel
    max_horizon : int, keyword-only
        Largest horizon evaluated.
    options : ModelOptions, optional, keyword-only

    Returns
    -------
    BacktestResult
    """
    options = options or ModelOptions()
    actual_all = panel.area_totals(panel.pupils)  # (3, A, Y)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in RESIDUAL_COLUMNS[:-1]}
    origins = origins_for(panel, options=options)
    names = np.array([*LEVELS, "total"])
    for origin in origins:
        horizon = min(max_horizon, panel.last_year - origin)
        strata_fc, prep = project(panel, origin, horizon, options=options, mask_population=True)
        o = prep.origin
        model = panel.area_totals(strata_fc)  # (3, A, H)
        actual = actual_all[:, :, o + 1 : o + horizon + 1]
        cleaned = panel.area_totals(prep.pupils)
        scale = local_scale(cleaned, o)  # (3, A)
        total_scale = local_scale(_total(cleaned), o)[None]  # (1, A)
        runs = [("model", model, actual, scale)]
        runs += [(m, fc, actual, scale) for m, fc in baselines(cleaned, o, horizon).items()]
        with np.errstate(invalid="ignore"):
            runs.append(
                (
                    "model",
                    model.sum(axis=0, keepdims=True),
                    actual.sum(axis=0, keepdims=True),
                    total_scale,
                )
            )
        for method, fc, act, sc in runs:
            lv, ar, hz = np.meshgrid(
                np.arange(act.shape[0]), np.arange(act.shape[1]), np.arange(horizon), indexing="ij"
            )
            level_idx = lv.ravel() + (3 if act.shape[0] == 1 else 0)
            keep = ~np.isnan(act.ravel()) & ~np.isnan(fc.ravel())
            parts["area_code"].append(panel.areas[ar.ravel()][keep])
            parts["origin"].append(np.full(keep.sum(), origin))
            parts["horizon"].append(hz.ravel()[keep] + 1)
            parts["year"].append(origin + hz.ravel()[keep] + 1)
            parts["level"].append(names[level_idx][keep])
            parts["method"].append(np.full(keep.sum(), method))
            parts["actual"].append(act.ravel()[keep])
            parts["forecast"].append(fc.ravel()[keep])
            parts["scale"].append(sc[lv.ravel(), ar.ravel()][keep])
    residuals = pd.DataFrame(
        {k: (np.concatenate(v) if v else np.array([])) for k, v in parts.items()}
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        log_error = np.log(
            residuals["actual"].to_numpy(dtype=float) / residuals["forecast"].to_numpy(dtype=float)
        )
    residuals["log_error"] = np.where(np.isfinite(log_error), log_error, np.nan)
    return BacktestResult(mape=mape_table(residuals), residuals=residuals, origins=tuple(origins))


def _total(levels: np.ndarray) -> np.ndarray:
    """``(A, Y)`` sum of the levels (NaN where every level is unknown)."""
    ok = ~np.isnan(levels)
    return np.where(ok.any(axis=0), np.where(ok, levels, 0.0).sum(axis=0), np.nan)


def mape_table(residuals: pd.DataFrame) -> pd.DataFrame:
    """MAPE (percent) per method, level and horizon, plus ``overall`` pooled over levels.

    Rows with a zero actual are skipped (their percentage error is undefined); ``total``
    rows are not part of the table.
    """
    rows = residuals[(residuals["level"] != "total") & (residuals["actual"] > 0)]
    ape = (rows["forecast"] - rows["actual"]).abs() / rows["actual"] * 100.0
    rows = rows.assign(ape=ape)
    per_level = rows.groupby(["method", "level", "horizon"])["ape"].agg(mape="mean", n="size")
    overall = rows.groupby(["method", "horizon"])["ape"].agg(mape="mean", n="size")
    overall = overall.assign(level="overall").set_index("level", append=True)
    overall = overall.reorder_levels(["method", "level", "horizon"])
    out = pd.concat([per_level, overall]).reset_index()
    return out.sort_values(["method", "level", "horizon"], ignore_index=True)
