"""Scenario levers as pure functions: migration change, class-size norms, seat gaps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from analytics.forecast.levels import DEFAULT_CLASS_SIZE

Norm = float | Mapping[str, float] | None


@dataclass(frozen=True)
class Levers:
    """What-if settings applied on top of the baseline forecast.

    Attributes
    ----------
    net_migration_change : Mapping[str, float]
        Change in net migration per area code, per year from the first forecast year, in
        ``net_migration_unit``: percent of the area's population (+0.5 = +0.5 % a year)
        or persons (all ages; converted with the area's projected population). Pupils are
        assumed to move in proportion to the population.
    net_migration_unit : {"percent", "persons"}
    class_size_norm : float or Mapping[str, float] or None
        Pupils per class (one number, or per level); None uses the national norms
        (35 primary, 45 secondary).
    added_capacity : Mapping
        Seats added by new schools: ``{area_code: {year: seats}}`` counts towards the
        area's total over levels; ``{(area_code, level): {year: seats}}`` towards one
        level. Seats count from that school year on.
    """

    net_migration_change: Mapping[str, float] = field(default_factory=dict)
    net_migration_unit: Literal["percent", "persons"] = "percent"
    class_size_norm: Norm = None
    added_capacity: Mapping[str | tuple[str, str], Mapping[int, float]] = field(
        default_factory=dict
    )


def _norm_for(levels: pd.Series, norm: Norm) -> np.ndarray:
    if norm is None:
        norm = DEFAULT_CLASS_SIZE
    if isinstance(norm, Mapping):
        table = {**DEFAULT_CLASS_SIZE, **norm}
        values = levels.map(lambda lv: table.get(lv, np.nan)).to_numpy(dtype=float)
    else:
        values = np.full(len(levels), float(norm))
    if np.any(~np.isfinite(values)) or np.any(values <= 0):
        raise ValueError("class-size norm must be a positive number for every level")
    return values


def classes_needed(forecast_df: pd.DataFrame, *, norm: Norm = None) -> pd.DataFrame:
    """Add ``classes`` (and ``classes_upper``) = pupils / class-size norm, rounded up.

    Parameters
    ----------
    forecast_df : pandas.DataFrame
        Columns ``level, forecast`` (``upper`` optional).
    norm : float or Mapping[str, float] or None, keyword-only
        Pupils per class, per level if a mapping; None uses the national norms.

    Returns
    -------
    pandas.DataFrame
        A copy with the new columns.
    """
    out = forecast_df.copy()
    per = _norm_for(out["level"], norm)
    out["classes"] = np.ceil(out["forecast"].to_numpy(dtype=float) / per - 1e-9)
    if "upper" in out:
        out["classes_upper"] = np.ceil(out["upper"].to_numpy(dtype=float) / per - 1e-9)
    return out


def migration_factors(years: np.ndarray, origin: int, rates: np.ndarray) -> np.ndarray:
    """Cumulative factor ``prod_{j=origin+1..year} (1 + rate_j)`` for each row.

    Parameters
    ----------
    years : numpy.ndarray
        Target year of each row.
    origin : int
        Last history year.
    rates : numpy.ndarray
        ``(rows, n)`` yearly rate changes for years ``origin+1 .. origin+n`` (fractions).
    """
    steps = np.asarray(years) - origin
    growth = np.cumprod(1.0 + rates, axis=1)
    return growth[np.arange(len(steps)), np.clip(steps - 1, 0, rates.shape[1] - 1)]


def apply_migration_change(
    forecast_df: pd.DataFrame, rates: Mapping[str, float], *, origin: int
) -> pd.DataFrame:
    """Scale forecasts (and bands) by a constant yearly change in net migration.

    Parameters
    ----------
    forecast_df : pandas.DataFrame
        Columns ``area_code, year, forecast`` (``lower``, ``upper`` optional).
    rates : Mapping[str, float]
        Extra net migration per area as a fraction of its population per year.
    origin : int, keyword-only
        Last history year; the change applies from ``origin + 1``.

    Returns
    -------
    pandas.DataFrame
        A copy; areas not in ``rates`` are unchanged.
    """
    out = forecast_df.copy()
    rate = out["area_code"].map(lambda a: float(rates.get(a, 0.0))).to_numpy(dtype=float)
    factor = (1.0 + rate) ** np.clip(out["year"].to_numpy() - origin, 0, None)
    for column in ("forecast", "lower", "upper"):
        if column in out:
            out[column] = out[column].to_numpy(dtype=float) * factor
    return out


def _capacity_by_year(
    capacity_df: pd.DataFrame, years: list[int], norm: Norm, by_level: bool
) -> pd.DataFrame:
    cap = capacity_df.copy()
    if "seats" in cap:
        seats = cap["seats"].astype(float)
    elif "classrooms" in cap:
        if not by_level:
            raise ValueError("classrooms need a 'level' column to apply a class-size norm")
        seats = cap["classrooms"].astype(float) * _norm_for(cap["level"], norm)
    else:
        raise ValueError("capacity table needs a 'seats' or a 'classrooms' column")
    cap = cap.assign(seats=seats)
    keys = ["area_code", "level"] if by_level else ["area_code"]
    since = cap["year"] if "year" in cap else pd.Series(np.nan, index=cap.index)
    rows = []
    for year in years:
        valid = cap[since.isna() | (since <= year)]
        part = valid.groupby(keys, as_index=False)["seats"].sum()
        rows.append(part.assign(year=year))
    return pd.concat(rows, ignore_index=True).rename(columns={"seats": "capacity"})


def seat_gap(
    forecast_df: pd.DataFrame,
    capacity_df: pd.DataFrame,
    *,
    norm: Norm = None,
    added_capacity: Mapping[str | tuple[str, str], Mapping[int, float]] | None = None,
) -> pd.DataFrame:
    """Compare projected pupils with school capacity.

    Parameters
    ----------
    forecast_df : pandas.DataFrame
        Output of :func:`analytics.forecast.forecast` (``area_code, year, level,
        forecast``; ``lower``/``upper`` optional).
    capacity_df : pandas.DataFrame
        ``area_code``, optional ``level``, and ``seats`` or ``classrooms`` (× norm = seats);
        optional ``year`` = first school year the row's capacity exists (blank = already).
    norm : float or Mapping[str, float] or None, keyword-only
        Class-size norm (pupils per class), per level if a mapping.
    added_capacity : Mapping, optional, keyword-only
        New seats, as in :attr:`Levers.added_capacity`.

    Returns
    -------
    pandas.DataFrame
        ``area_code, year, level, forecast, capacity, seat_gap`` (pupils − seats; positive
        means a shortage), ``classes_needed``, ``classrooms_short`` (shortage in classes,
        >= 0) and, with bands, ``upper`` and ``seat_gap_upper``. Per level when the capacity
        has a ``level`` column, and always ``level = "all"`` rows for area totals.
    """
    by_level = "level" in capacity_df.columns
    fc = classes_needed(forecast_df, norm=norm)
    years = sorted(fc["year"].unique().tolist())
    cols = ["forecast", "classes"] + (["upper"] if "upper" in fc else [])
    total = fc.groupby(["area_code", "year"], as_index=False)[cols].sum().assign(level="all")
    cap = _capacity_by_year(capacity_df, years, norm, by_level)
    if by_level:
        level_rows = fc.merge(cap, on=["area_code", "level", "year"], how="left")
        cap_all = cap.groupby(["area_code", "year"], as_index=False)["capacity"].sum()
        frames = [level_rows, total.merge(cap_all, on=["area_code", "year"], how="left")]
    else:
        frames = [total.merge(cap, on=["area_code", "year"], how="left")]
    out = pd.concat(frames, ignore_index=True)
    out["capacity"] = out["capacity"].fillna(0.0)
    for key, by_year in (added_capacity or {}).items():
        area, level = key if isinstance(key, tuple) else (key, "all")
        for year, seats in by_year.items():
            hit = (out["area_code"] == area) & (out["year"] >= int(year))
            targets = {level, "all"} if level != "all" else {"all"}
            out.loc[hit & out["level"].isin(targets), "capacity"] += float(seats)
    out["seat_gap"] = out["forecast"] - out["capacity"]
    if "upper" in out:
        out["seat_gap_upper"] = out["upper"] - out["capacity"]
    out["classes_needed"] = out.pop("classes")
    is_all = (out["level"] == "all").to_numpy()
    level_norm = _norm_for(out["level"].where(~is_all, "primary"), norm)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_size = out["forecast"].to_numpy(dtype=float) / out["classes_needed"].to_numpy()
    size = np.where(is_all, mean_size, level_norm)
    short_seats = np.clip(out["seat_gap"].to_numpy(dtype=float), 0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["classrooms_short"] = np.where(short_seats > 0, np.ceil(short_seats / size - 1e-9), 0.0)
    keep = [
        "area_code",
        "year",
        "level",
        "forecast",
        "capacity",
        "seat_gap",
        "classes_needed",
        "classrooms_short",
    ]
    if "upper" in out:
        keep[4:4] = ["upper"]
        keep.append("seat_gap_upper")
    return out[keep].sort_values(["area_code", "level", "year"], ignore_index=True)
