"""Error bands from the model's own backtest errors (empirical quantiles per level/horizon)."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: 10th/90th percentiles of log(actual / forecast) measured by the rolling-origin backtest
#: of the level-flow model on the GSO provincial file (56 provinces, origins 2007–2015).
#: Used only when a history is too short to backtest. See docs/forecasting.md.
DEFAULT_QUANTILES = pd.DataFrame(
    {
        "level": ["primary"] * 5
        + ["lower_secondary"] * 5
        + ["upper_secondary"] * 5
        + ["total"] * 5,
        "horizon": list(range(1, 6)) * 4,
        "q_low": [
            -0.027,
            -0.034,
            -0.042,
            -0.054,
            -0.066,
            -0.020,
            -0.020,
            -0.023,
            -0.024,
            -0.025,
            -0.045,
            -0.054,
            -0.060,
            -0.049,
            -0.019,
            -0.013,
            -0.011,
            -0.011,
            -0.010,
            -0.015,
        ],
        "q_high": [
            0.029,
            0.051,
            0.076,
            0.103,
            0.120,
            0.036,
            0.059,
            0.078,
            0.106,
            0.128,
            0.070,
            0.116,
            0.150,
            0.193,
            0.220,
            0.022,
            0.038,
            0.055,
            0.076,
            0.096,
        ],
        "n": [0] * 20,
    }
)


def residual_quantiles(residuals: pd.DataFrame, *, coverage: float = 0.8) -> pd.DataFrame:
    """Empirical quantiles of log errors per level and horizon, pooled across areas.

    Parameters
    ----------
    residuals : pandas.DataFrame
        Columns ``level, horizon, log_error`` (log of actual / forecast); rows of other
        methods than the model must be removed by the caller.
    coverage : float, keyword-only
        Central coverage, 0.8 gives the 10th and 90th percentiles.

    Returns
    -------
    pandas.DataFrame
        Columns ``level, horizon, q_low, q_high, n``.
    """
    tail = (1.0 - coverage) / 2.0
    clean = residuals.dropna(subset=["log_error"])
    grouped = clean.groupby(["level", "horizon"])["log_error"]
    out = pd.DataFrame(
        {"q_low": grouped.quantile(tail), "q_high": grouped.quantile(1 - tail), "n": grouped.size()}
    ).reset_index()
    return out


def band_factors(
    quantiles: pd.DataFrame, levels: np.ndarray, horizons: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Multiplicative lower/upper factors for each (level, horizon) pair.

    Horizons beyond the largest measured one scale its quantiles linearly with the horizon;
    a level without measurements uses the ``total`` row (or the default table). Factors
    always satisfy ``lower <= 1 <= upper`` so a band contains its point forecast.
    """
    tables = [_as_dict(quantiles), _as_dict(DEFAULT_QUANTILES)]
    levels = np.asarray(levels).astype(str)
    horizons = np.asarray(horizons).astype(int)
    keys, inverse = np.unique(
        np.char.add(np.char.add(levels, "|"), horizons.astype(str)), return_inverse=True
    )
    lo = np.empty(len(keys))
    hi = np.empty(len(keys))
    for i, key in enumerate(keys):
        level, h = key.rsplit("|", 1)
        lo[i], hi[i] = _lookup(tables, level, int(h))
    return np.exp(np.minimum(lo, 0.0))[inverse], np.exp(np.maximum(hi, 0.0))[inverse]


def _as_dict(table: pd.DataFrame) -> dict[str, dict[int, tuple[float, float]]]:
    out: dict[str, dict[int, tuple[float, float]]] = {}
    for level, h, q_lo, q_hi in table[["level", "horizon", "q_low", "q_high"]].itertuples(
        index=False
    ):
        out.setdefault(str(level), {})[int(h)] = (float(q_lo), float(q_hi))
    return out


def _lookup(
    tables: list[dict[str, dict[int, tuple[float, float]]]], level: str, h: int
) -> tuple[float, float]:
    for source in tables:
        for name in (level, "total"):
            rows = source.get(name)
            if not rows:
                continue
            if h in rows:
                return rows[h]
            top = max(rows)
            scale = h / top
            return rows[top][0] * scale, rows[top][1] * scale
    return 0.0, 0.0


def out_of_sample_coverage(residuals: pd.DataFrame, *, coverage: float = 0.8) -> pd.DataFrame:
    """Share of backtest errors inside bands built only from errors known at their origin.

    For every origin, the quantiles are computed from model errors whose target year is at
    or before that origin, and the errors of forecasts made at that origin are checked
    against them — an honest check of the band's calibration.

    Returns
    -------
    pandas.DataFrame
        Columns ``horizon, inside, n`` (``inside`` as a share between 0 and 1).
    """
    model = residuals[residuals["method"] == "model"] if "method" in residuals else residuals
    hits: list[pd.DataFrame] = []
    for origin in sorted(model["origin"].unique()):
        known = model[model["year"] <= origin]
        if known.empty:
            continue
        q = residual_quantiles(known, coverage=coverage)
        test = model[model["origin"] == origin].merge(q, on=["level", "horizon"])
        test = test.assign(
            inside=(test["log_error"] >= np.minimum(test["q_low"], 0))
            & (test["log_error"] <= np.maximum(test["q_high"], 0))
        )
        hits.append(test[["horizon", "inside"]])
    if not hits:
        return pd.DataFrame({"horizon": [], "inside": [], "n": []})
    allhits = pd.concat(hits)
    return allhits.groupby("horizon")["inside"].agg(inside="mean", n="size").reset_index()
