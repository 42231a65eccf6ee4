"""Error bands: calibrated (scaled split-conformal, learnt on GSO) and pooled quantiles."""

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
    quantiles: pd.DataFrame, levels: np.ndarray, horizons: np.ndarray, *, fallback: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Multiplicative lower/upper factors for each (level, horizon) pair.

    Horizons beyond the largest measured one scale its quantiles linearly with the horizon;
    a level without measurements uses the ``total`` row (or the default table). Factors
    always satisfy ``lower <= 1 <= upper`` so a band contains its point forecast.
    ``fallback=False`` does not fall back on :data:`DEFAULT_QUANTILES`.
    """
    tables = [_as_dict(quantiles)] + ([_as_dict(DEFAULT_QUANTILES)] if fallback else [])
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


# --- Calibrated bands: split-conformal, scaled by each series' recent growth -----------------

#: Years of yearly log-changes behind the local scale (up to the origin).
SCALE_YEARS = 5
#: Floor of the local scale (log units): no series is treated as perfectly steady. Chosen
#: once on the GSO provinces (0.02–0.06 compared): with 0.05 the held-out coverage is
#: about equal in the calm, middle and volatile thirds of series.
SCALE_FLOOR = 0.05
#: Recent-growth term used when a series has fewer than two years before the origin: the
#: median over the GSO provinces (2007–2015 origins).
FALLBACK_GROWTH = 0.04
LEVEL_NAMES = ("primary", "lower_secondary", "upper_secondary", "total")


def local_scale(
    pupils: np.ndarray, origin: int, *, years: int = SCALE_YEARS, floor: float = SCALE_FLOOR
) -> np.ndarray:
    """Local error scale of every series at an origin, from its history up to the origin only.

    ``scale = sqrt(floor² + g² + 1 / pupils)`` where ``g`` is the root mean square of the
    yearly log-changes over the last ``years`` years (recent growth *and* its volatility:
    a fast-growing or jumpy series gets a wider band) and ``1 / pupils`` the relative
    sampling noise of a small area (negligible for provinces, visible for wards).

    Parameters
    ----------
    pupils : numpy.ndarray
        ``(..., Y)`` pupils on the year axis (NaN = unknown).
    origin : int
        Index of the origin on the year axis.

    Returns
    -------
    numpy.ndarray
        ``(...)`` scales, > 0.
    """
    window = pupils[..., max(origin - years, 0) : origin + 1].astype(float)
    window = np.where(window > 0, window, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        change = np.diff(np.log(window), axis=-1)
        ok = ~np.isnan(change)
        count = ok.sum(axis=-1)
        growth = np.sqrt(np.where(ok, change**2, 0.0).sum(axis=-1) / np.maximum(count, 1))
        growth = np.where(count > 0, growth, FALLBACK_GROWTH)
        last = pupils[..., origin]
        size = np.where(last > 0, 1.0 / np.where(last > 0, last, 1.0), 0.0)
    return np.sqrt(floor**2 + growth**2 + size)


def _conformal_quantile(values: np.ndarray, level: float) -> float:
    """The ``ceil((n + 1) · level)``-th smallest value (the largest when that exceeds n)."""
    values = np.sort(values[~np.isnan(values)])
    if not len(values):
        return np.nan
    k = int(np.ceil((len(values) + 1) * level)) - 1
    return float(values[min(max(k, 0), len(values) - 1)])


def calibrate(residuals: pd.DataFrame, *, coverage: float = 0.8) -> pd.DataFrame:
    """Scaled split-conformal band quantiles per level and horizon.

    Every error is divided by its series' :func:`local_scale` at the origin; the band of a
    new forecast is ``forecast × exp(z_low × scale)`` to ``forecast × exp(z_high × scale)``
    with ``z_low``/``z_high`` the conformal 10th/90th percentiles (for ``coverage`` 0.8) of
    the scaled errors. Quantiles are made monotone in the horizon (a band never narrows
    with the horizon) and satisfy ``z_low <= 0 <= z_high``.

    Parameters
    ----------
    residuals : pandas.DataFrame
        ``level, horizon, log_error, scale`` (model rows of a backtest).
    coverage : float, keyword-only

    Returns
    -------
    pandas.DataFrame
        ``level, horizon, z_low, z_high, n``.
    """
    rows = residuals.dropna(subset=["log_error", "scale"])
    tail = (1.0 + coverage) / 2.0
    out = []
    for (level, h), part in rows.groupby(["level", "horizon"]):
        z = (part["log_error"] / part["scale"]).to_numpy()
        out.append(
            (
                level,
                int(h),
                min(-_conformal_quantile(-z, tail), 0.0),
                max(_conformal_quantile(z, tail), 0.0),
                len(z),
            )
        )
    table = pd.DataFrame(out, columns=["level", "horizon", "z_low", "z_high", "n"])
    table = table.sort_values(["level", "horizon"], ignore_index=True)
    by_level = table.groupby("level")
    table["z_low"] = by_level["z_low"].cummin()
    table["z_high"] = by_level["z_high"].cummax()
    return table


#: :func:`calibrate` on every GSO province (56 provinces, origins 2007–2015, horizons 1–5):
#: the production bands of :func:`analytics.forecast.forecast`. Kept in code (analytics
#: reads no files); ``tests/cli/test_forecast_cli.py`` checks it against the shipped file.
CALIBRATION = pd.DataFrame(
    {
        "level": [lv for lv in LEVEL_NAMES for _ in range(5)],
        "horizon": list(range(1, 6)) * 4,
        # primary, lower secondary, upper secondary, total; horizons 1–5
        "z_low": [
            *(-0.417, -0.552, -0.648, -0.888, -1.067),
            *(-0.274, -0.276, -0.276, -0.321, -0.321),
            *(-0.590, -0.831, -0.904, -0.904, -0.904),
            *(-0.234, -0.234, -0.234, -0.234, -0.282),
        ],
        "z_high": [
            *(0.459, 0.826, 1.270, 1.748, 1.930),
            *(0.511, 0.783, 1.083, 1.383, 1.724),
            *(0.951, 1.480, 1.881, 2.336, 2.555),
            *(0.365, 0.650, 0.907, 1.213, 1.482),
        ],
        "n": [504, 448, 392, 336, 280] * 4,
    }
)


def calibrated_factors(
    table: pd.DataFrame, levels: np.ndarray, horizons: np.ndarray, scales: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lower/upper multipliers of calibrated bands for rows (level, horizon, scale).

    Horizons beyond the table scale the last ``z`` linearly with the horizon; a level not
    in the table uses its ``total`` row. ``lower <= 1 <= upper`` always.
    """
    z = table.rename(columns={"z_low": "q_low", "z_high": "q_high"})
    lo, hi = band_factors(z, levels, horizons, fallback=False)
    scales = np.asarray(scales, dtype=float)
    return np.exp(np.log(lo) * scales), np.exp(np.log(hi) * scales)


def _inside(log_error: pd.Series, low: pd.Series, high: pd.Series) -> pd.Series:
    return (log_error >= np.minimum(low, 0.0)) & (log_error <= np.maximum(high, 0.0))


def area_cv_hits(
    residuals: pd.DataFrame, *, folds: int = 5, coverage: float = 0.8, seed: int = 0
) -> pd.DataFrame:
    """Out-of-sample band hits on areas used neither to fit nor to calibrate.

    Areas are split at random into ``folds`` groups; for each group the bands are built
    from the other groups' errors only and checked on the group's own errors. Two bands
    are compared: ``before`` = the old pooled band (10th–90th percentile of log errors per
    level and horizon, :func:`residual_quantiles`) and ``after`` = the calibrated band
    (:func:`calibrate` × the area's local scale). The model is fitted per area, so an
    area's errors never depend on another area's data.

    Parameters
    ----------
    residuals : pandas.DataFrame
        Backtest residuals with ``area_code, origin, level, horizon, log_error, scale``
        (model rows; ``total`` rows are left out).

    Returns
    -------
    pandas.DataFrame
        One row per held-out forecast: ``area_code, origin, level, horizon, scale, before,
        after`` (booleans); empty with fewer than two areas.
    """
    model = residuals[residuals["method"] == "model"] if "method" in residuals else residuals
    model = model[(model["level"] != "total")].dropna(subset=["log_error", "scale"])
    key = ["area_code", "origin", "level", "horizon"]
    areas = np.array(sorted(model["area_code"].unique()))
    if len(areas) < 2:
        return pd.DataFrame(columns=[*key, "scale", "before", "after"])
    k = min(folds, len(areas))
    order = np.random.default_rng(seed).permutation(areas)
    fold = model["area_code"].map({a: i % k for i, a in enumerate(order)})
    hits = []
    for f in range(k):
        cal, test = model[fold != f], model[fold == f]
        old = test.merge(residual_quantiles(cal, coverage=coverage), on=["level", "horizon"])
        new = test.merge(calibrate(cal, coverage=coverage), on=["level", "horizon"])
        old = old.assign(before=_inside(old["log_error"], old["q_low"], old["q_high"]))
        new = new.assign(
            after=_inside(
                new["log_error"], new["z_low"] * new["scale"], new["z_high"] * new["scale"]
            )
        )
        hits.append(old[[*key, "before"]].merge(new[[*key, "scale", "after"]], on=key))
    return pd.concat(hits, ignore_index=True)


def area_cv_coverage(hits: pd.DataFrame) -> pd.DataFrame:
    """Coverage per horizon and pooled from :func:`area_cv_hits`.

    Returns
    -------
    pandas.DataFrame
        ``horizon`` (1, 2, … and ``"all"``), ``before``, ``after`` (shares), ``n``.
    """
    return _coverage_table(hits, ["before", "after"])


def coverage_by_scale(hits: pd.DataFrame) -> pd.DataFrame:
    """Coverage of :func:`area_cv_hits` per third of the local scale (calm → volatile).

    Returns
    -------
    pandas.DataFrame
        ``third`` (``calm``, ``middle``, ``volatile``), ``before``, ``after``, ``n``.
    """
    if hits.empty:
        return pd.DataFrame({"third": [], "before": [], "after": [], "n": []})
    third = pd.qcut(
        hits["scale"].rank(method="first"), 3, labels=["calm", "middle", "volatile"]
    ).astype(str)
    out = hits.groupby(third)[["before", "after"]].mean()
    out["n"] = hits.groupby(third).size()
    return out.reindex(["calm", "middle", "volatile"]).rename_axis("third").reset_index()


def fixed_coverage(residuals: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Coverage of a calibration table (default :data:`CALIBRATION`) on backtest errors.

    Returns
    -------
    pandas.DataFrame
        ``horizon`` (1, 2, … and ``"all"``), ``inside`` (share), ``n``.
    """
    table = CALIBRATION if table is None else table
    model = residuals[residuals["method"] == "model"] if "method" in residuals else residuals
    model = model[(model["level"] != "total")].dropna(subset=["log_error", "scale"])
    lo, hi = calibrated_factors(
        table, model["level"].to_numpy(), model["horizon"].to_numpy(), model["scale"].to_numpy()
    )
    err = model["log_error"].to_numpy()
    hits = model[["horizon"]].assign(inside=(err >= np.log(lo)) & (err <= np.log(hi)))
    return _coverage_table(hits, ["inside"])


def _coverage_table(hits: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    if hits.empty:
        return pd.DataFrame(columns=["horizon", *columns, "n"])
    per = hits.groupby("horizon")[columns].mean()
    per["n"] = hits.groupby("horizon").size()
    per = per.reset_index()
    pooled = pd.DataFrame([{"horizon": "all", **hits[columns].mean().to_dict(), "n": len(hits)}])
    out = pd.concat([per.astype({"horizon": object}), pooled], ignore_index=True)
    return out[["horizon", *columns, "n"]]
