"""Reading a forecast for the planners' page: scenarios, per-area tables, seat gaps by area,
accuracy by horizon (thin wrappers over the engine; no new modelling)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analytics.forecast.levels import DEFAULT_CLASS_SIZE
from analytics.forecast.scenario import apply_migration_change, seat_gap

#: Seat gap as a share of seats: the edges of the five classes of the seat-gap map.
GAP_EDGES = (-0.2, -0.05, 0.05, 0.2)
TABLE_COLUMNS = [
    "year",
    "period",
    "pupils",
    "forecast",
    "lower",
    "upper",
    "baseline",
    "classrooms",
    "seats",
    "seat_gap",
    "classes_needed",
    "classrooms_short",
    "estimated_pupils",
    "estimated_schools",
]
#: Columns of a history that say how much of each sum was estimated for late reports.
ESTIMATED_COLUMNS = ["estimated_pupils", "estimated_schools"]
GAP_COLUMNS = [
    "area_code",
    "forecast",
    "lower",
    "upper",
    "classrooms",
    "seats",
    "seat_gap",
    "gap_low",
    "gap_high",
    "classrooms_short",
    "gap_share",
    "gap_class",
]
_BREAKS = re.compile(r"boundary change assumed[^:]*:\s*(.*)$")


def scenario(
    forecast_df: pd.DataFrame,
    *,
    last_year: int,
    horizon: int,
    rates: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """A baseline forecast cut at ``horizon`` years, with a yearly net-migration change.

    Cutting a longer forecast gives the same numbers as forecasting the shorter horizon
    (each year only depends on earlier ones), so one cached run serves every horizon.

    Parameters
    ----------
    forecast_df : pandas.DataFrame
        ``area_code, year, level, forecast, lower, upper``.
    last_year : int, keyword-only
        Last school year of the history.
    horizon : int, keyword-only
        Years after ``last_year`` to keep (>= 1).
    rates : Mapping[str, float], optional, keyword-only
        Area → extra net migration per year as a fraction of its population (0.01 = +1 %).

    Returns
    -------
    pandas.DataFrame
        The same columns.
    """
    if int(horizon) < 1:
        raise ValueError("horizon must be at least 1 year")
    out = forecast_df[forecast_df["year"] <= last_year + int(horizon)]
    active = {area: rate for area, rate in (rates or {}).items() if rate}
    if active:
        out = apply_migration_change(out, active, origin=last_year)
    return out.reset_index(drop=True)


def norm_for(level: str, norm: float | None) -> float:
    """The class-size norm in use: ``norm`` when given, else the national norm of ``level``."""
    return float(norm) if norm else DEFAULT_CLASS_SIZE[level]


def latest_capacity(
    capacity: pd.DataFrame, level: str, last_year: int, areas: Iterable[str]
) -> pd.DataFrame:
    """Classrooms of ``areas`` for ``level`` in the latest school year with facility facts.

    Returns
    -------
    pandas.DataFrame
        ``area_code, level, classrooms`` (0 for an area without facility facts that year).
    """
    rows = capacity[(capacity["level"] == level) & (capacity["year"] <= last_year)]
    if not rows.empty:
        rows = rows[rows["year"] == rows["year"].max()]
    codes = pd.unique(pd.Series(list(areas), dtype=object))
    found = rows.groupby("area_code")["classrooms"].sum()
    return pd.DataFrame(
        {
            "area_code": codes,
            "level": level,
            "classrooms": found.reindex(codes).fillna(0.0).to_numpy(),
        }
    )


def area_table(
    history: pd.DataFrame,
    baseline: pd.DataFrame,
    projected: pd.DataFrame,
    capacity: pd.DataFrame,
    *,
    area: str,
    level: str,
    last_year: int,
    norm: float | None = None,
    added_classrooms: float = 0.0,
    added_year: int | None = None,
) -> pd.DataFrame:
    """History and forecast of one area and level with seats and seat gaps, by year.

    Seats are classrooms × the class-size norm; forecast years keep the classrooms of the
    last year with facility facts, plus ``added_classrooms`` from ``added_year`` on.

    Parameters
    ----------
    history : pandas.DataFrame
        ``area_code, year, level, pupils`` (and optionally ``estimated_pupils,
        estimated_schools``).
    baseline, projected : pandas.DataFrame
        The forecast without and with the scenario (``area_code, year, level, forecast,
        lower, upper``).
    capacity : pandas.DataFrame
        ``area_code, year, level, classrooms``.
    area, level : str, keyword-only
    last_year : int, keyword-only
    norm : float, optional, keyword-only
        Pupils per class (None: the national norm of ``level``).
    added_classrooms : float, keyword-only
    added_year : int, optional, keyword-only

    Returns
    -------
    pandas.DataFrame
        :data:`TABLE_COLUMNS`: ``period`` is ``history`` or ``forecast``; ``pupils`` is
        observed, ``forecast, lower, upper`` the scenario, ``baseline`` the forecast without
        the migration change; ``seat_gap`` = pupils (or forecast) − seats, positive for a
        shortage; ``classrooms_short`` counts the classes that shortage makes;
        ``estimated_pupils`` and ``estimated_schools`` (history years, when ``history`` has
        them) say how much of ``pupils`` was estimated for schools that did not report.
    """
    per_class = norm_for(level, norm)
    hist = history[(history["area_code"] == area) & (history["level"] == level)]
    cap = capacity[(capacity["area_code"] == area) & (capacity["level"] == level)]
    shown = ["year", "pupils", *(c for c in ESTIMATED_COLUMNS if c in hist)]
    past = hist[shown].merge(cap[["year", "classrooms"]], on="year", how="left")
    past["seats"] = past["classrooms"] * per_class
    past["seat_gap"] = past["pupils"] - past["seats"]
    past["classes_needed"] = np.ceil(past["pupils"] / per_class - 1e-9)
    past["period"] = "history"
    fc = projected[(projected["area_code"] == area) & (projected["level"] == level)]
    if fc.empty:
        return past.reindex(columns=TABLE_COLUMNS).sort_values("year", ignore_index=True)
    added = {}
    if added_classrooms and added_year is not None:
        added = {(area, level): {int(added_year): float(added_classrooms) * per_class}}
    gaps = seat_gap(
        fc, latest_capacity(cap, level, last_year, [area]), norm=per_class, added_capacity=added
    )
    gaps = gaps[gaps["level"] == level]
    base = baseline[(baseline["area_code"] == area) & (baseline["level"] == level)]
    future = (
        fc[["year", "forecast", "lower", "upper"]]
        .merge(
            gaps[["year", "capacity", "seat_gap", "classes_needed", "classrooms_short"]], on="year"
        )
        .merge(
            base[["year", "forecast"]].rename(columns={"forecast": "baseline"}),
            on="year",
            how="left",
        )
    )
    future = future.rename(columns={"capacity": "seats"})
    future["classrooms"] = future["seats"] / per_class
    future["period"] = "forecast"
    table = pd.concat([past, future], ignore_index=True)
    return table.reindex(columns=TABLE_COLUMNS).sort_values("year", ignore_index=True)


def area_gaps(
    projected: pd.DataFrame,
    capacity: pd.DataFrame,
    *,
    level: str,
    year: int,
    last_year: int,
    norm: float | None = None,
    added: Mapping[str, tuple[float, int]] | None = None,
) -> pd.DataFrame:
    """Projected pupils against seats per area in ``year``, largest shortage first.

    Parameters
    ----------
    projected : pandas.DataFrame
        ``area_code, year, level, forecast, lower, upper``.
    capacity : pandas.DataFrame
        ``area_code, year, level, classrooms`` (the latest year up to ``last_year`` is used).
    level : str, keyword-only
    year : int, keyword-only
        Target school year.
    last_year : int, keyword-only
        Last school year of the history.
    norm : float, optional, keyword-only
        Pupils per class (None: the national norm of ``level``).
    added : Mapping[str, tuple[float, int]], optional, keyword-only
        Area → (classrooms added, first school year they are used).

    Returns
    -------
    pandas.DataFrame
        :data:`GAP_COLUMNS`: ``seat_gap`` = forecast − seats (``gap_low``/``gap_high`` at
        the band's ends), ``gap_share`` = gap ÷ seats (inf without seats), ``gap_class``
        0–4 from large surplus to large shortage (see :data:`GAP_EDGES`).
    """
    per_class = norm_for(level, norm)
    fc = projected[(projected["level"] == level) & (projected["year"] == int(year))]
    if fc.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    latest = latest_capacity(capacity, level, last_year, fc["area_code"])
    extra = {
        (area, level): {int(first): float(rooms) * per_class}
        for area, (rooms, first) in (added or {}).items()
        if rooms
    }
    gaps = seat_gap(fc, latest, norm=per_class, added_capacity=extra)
    out = gaps[gaps["level"] == level].merge(fc[["area_code", "lower"]], on="area_code")
    out = out.rename(columns={"capacity": "seats"})
    out["classrooms"] = out["seats"] / per_class
    out["gap_low"] = out["lower"] - out["seats"]
    out["gap_high"] = out["upper"] - out["seats"]
    seats = out["seats"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(seats > 0, out["seat_gap"].to_numpy(dtype=float) / seats, np.inf)
    out["gap_share"] = share
    out["gap_class"] = gap_classes(share)
    return out[GAP_COLUMNS].sort_values(
        ["seat_gap", "area_code"], ascending=[False, True], ignore_index=True
    )


def gap_classes(share: np.ndarray | pd.Series) -> np.ndarray:
    """Class 0–4 of each gap share (0 = large surplus … 4 = large shortage); -1 when NaN."""
    values = np.asarray(share, dtype=float)
    classes = np.searchsorted(np.asarray(GAP_EDGES), values, side="left")
    return np.where(np.isnan(values), -1, classes).astype(int)


def accuracy(mape: pd.DataFrame, level: str) -> pd.DataFrame:
    """MAPE by horizon for one level: the model, persistence and drift side by side.

    Parameters
    ----------
    mape : pandas.DataFrame
        ``method, level, horizon, mape, n`` (:attr:`BacktestResult.mape`).
    level : str
        A level or ``overall``.

    Returns
    -------
    pandas.DataFrame
        ``horizon, model, persistence, drift, n, ratio`` (``n`` = forecasts checked;
        ``ratio`` = model ÷ the better baseline, below 1 when the model was more accurate).
    """
    columns = ["horizon", "model", "persistence", "drift", "n", "ratio"]
    rows = mape[mape["level"] == level]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    wide = rows.pivot_table(index="horizon", columns="method", values="mape")
    wide = wide.reindex(columns=["model", "persistence", "drift"])
    counts = rows[rows["method"] == "model"].set_index("horizon")["n"]
    wide["n"] = counts.reindex(wide.index).fillna(0).astype(int)
    wide["ratio"] = wide["model"] / wide[["persistence", "drift"]].min(axis=1)
    return wide.reset_index()[columns]


def boundary_breaks(notes: Iterable[str]) -> dict[str, list[int]]:
    """Area → years the engine treated as a change of territory (read from its notes)."""
    found: dict[str, list[int]] = {}
    for note in notes:
        match = _BREAKS.search(note)
        if not match:
            continue
        for item in match.group(1).split(","):
            parts = item.split()
            if len(parts) == 2 and parts[1].isdigit():
                found.setdefault(parts[0], []).append(int(parts[1]))
    return found
