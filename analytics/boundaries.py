"""Boundary time-travel: carry additive figures between old units and the 2025 wards.

Facts keep the unit valid on their date: old wards before 1 July 2025, the 2025 wards after.
To read a series in one geography, figures of the other are carried through the crosswalk
(``old_unit_id → new_unit_id`` with the share ``weight`` of the old unit sent there). Only
additive figures (counts, sums, numerators and denominators) may be carried; ratios are
computed after carrying. Figures that had to be divided between units are flagged
``estimate``: an old ward split between several 2025 wards, or a 2025 ward formed from old
wards of several old districts when it is read by old district.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

TARGETS = ("ward", "old_ward", "old_district")
ESTIMATE = "estimate"


def _crosswalk(crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Crosswalk rows with the weights of each old unit normalised to sum to one."""
    table = crosswalk[["old_unit_id", "new_unit_id", "partly_merged", "weight"]].copy()
    table["weight"] = table["weight"].astype(float).clip(lower=0.0)
    totals = table.groupby("old_unit_id")["weight"].transform("sum")
    count = table.groupby("old_unit_id")["weight"].transform("size")
    table["weight"] = (table["weight"] / totals).where(totals > 0, 1.0 / count)
    table["partly_merged"] = table["partly_merged"].astype(bool) | (count > 1)
    return table


def _aggregate(frame: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[*keys, *values, ESTIMATE])
    aggregations = {**{value: "sum" for value in values}, ESTIMATE: "any"}
    return frame.groupby(keys, as_index=False, dropna=False).agg(aggregations)


def to_2025_wards(
    frame: pd.DataFrame,
    crosswalk: pd.DataFrame,
    *,
    values: Sequence[str],
    unit: str = "unit_id",
    keys: Sequence[str] = ("school_year",),
) -> pd.DataFrame:
    """Carry figures of old wards forward to the 2025 wards.

    Parameters
    ----------
    frame
        One row per ``keys`` and ``unit``; the unit is an old ward (in the crosswalk's
        ``old_unit_id``) or already a 2025 ward (kept as it is).
    crosswalk
        Columns ``old_unit_id, new_unit_id, partly_merged, weight``.
    values
        Additive columns to carry (multiplied by the weight, then summed).
    unit
        The column naming the unit.
    keys
        Other grouping columns (e.g. the school year).

    Returns
    -------
    pandas.DataFrame
        Columns ``keys, unit, values, estimate``: one row per key and 2025 ward; ``estimate``
        is true where part of the figure came from an old ward that was split.
    """
    keys, values = list(keys), list(values)
    table = _crosswalk(crosswalk)
    data = frame[[*keys, unit, *values]]
    old = data[data[unit].isin(table["old_unit_id"])]
    new = data[~data[unit].isin(table["old_unit_id"])].assign(**{ESTIMATE: False})
    carried = old.merge(table, left_on=unit, right_on="old_unit_id")
    for value in values:
        carried[value] = carried[value].astype(float) * carried["weight"]
    carried = carried.assign(
        **{
            unit: carried["new_unit_id"],
            ESTIMATE: carried["partly_merged"] & (carried["weight"] > 0),
        }
    )
    parts = [part for part in (new, carried[[*keys, unit, *values, ESTIMATE]]) if not part.empty]
    if not parts:
        return _aggregate(data.assign(**{ESTIMATE: False}).iloc[0:0], [*keys, unit], values)
    return _aggregate(pd.concat(parts, ignore_index=True), [*keys, unit], values)


def to_old_units(
    frame: pd.DataFrame,
    crosswalk: pd.DataFrame,
    *,
    values: Sequence[str],
    parents: pd.Series | None = None,
    size: pd.Series | None = None,
    unit: str = "unit_id",
    keys: Sequence[str] = ("school_year",),
) -> pd.DataFrame:
    """Carry figures of 2025 wards back to the old wards, or to their old districts.

    A 2025 ward's figure is shared among the old wards it was formed from, in proportion to
    ``weight × size``: the crosswalk weight (how much of the old ward went there) times the
    old ward's size (e.g. its last figure before the merger; 1 when not given).

    Parameters
    ----------
    frame
        One row per ``keys`` and ``unit``; the unit is a 2025 ward (in ``new_unit_id``) or
        already an old unit (kept, then mapped to its parent when ``parents`` is given).
    crosswalk
        Columns ``old_unit_id, new_unit_id, partly_merged, weight``.
    values
        Additive columns to carry.
    parents
        Old ward id → old district id; when given, the result is by old district.
    size
        Old ward id → a non-negative size used to share figures (missing sizes count as 0
        unless every source of a ward lacks one, then the weights alone decide).
    unit, keys
        As in :func:`to_2025_wards`.

    Returns
    -------
    pandas.DataFrame
        Columns ``keys, unit, values, estimate``. ``estimate`` is true where a 2025 ward's
        figure was divided between several old wards (by old ward) or between several old
        districts (by district). 2025 wards with no old unit in the crosswalk are kept as
        they are.
    """
    keys, values = list(keys), list(values)
    table = _crosswalk(crosswalk)
    if parents is not None:
        table["old_unit_id"] = table["old_unit_id"].map(parents).fillna(table["old_unit_id"])
        table = table.groupby(["old_unit_id", "new_unit_id"], as_index=False).agg(
            weight=("weight", "sum"), partly_merged=("partly_merged", "any")
        )
    sizes = None
    if size is not None:
        sizes = (
            size
            if parents is None
            else size.groupby(size.index.map(lambda key: parents.get(key, key))).sum()
        )
    table["share"] = table["weight"]
    if sizes is not None:
        sized = table["old_unit_id"].map(sizes).astype(float)
        unsized = sized.isna().groupby(table["new_unit_id"]).transform("all")
        table["share"] = table["weight"] * sized.fillna(0.0).where(~unsized, 1.0)
    totals = table.groupby("new_unit_id")["share"].transform("sum")
    sources = table.groupby("new_unit_id")["share"].transform("size")
    table["share"] = (table["share"] / totals).where(totals > 0, 1.0 / sources)
    table[ESTIMATE] = sources > 1

    data = frame[[*keys, unit, *values]]
    is_new = data[unit].isin(table["new_unit_id"])
    kept = data[~is_new].assign(**{ESTIMATE: False})
    if parents is not None:
        kept = kept.assign(**{unit: kept[unit].map(parents).fillna(kept[unit])})
    carried = data[is_new].merge(table, left_on=unit, right_on="new_unit_id")
    for value in values:
        carried[value] = carried[value].astype(float) * carried["share"]
    carried = carried.assign(**{unit: carried["old_unit_id"]})
    parts = [part for part in (kept, carried[[*keys, unit, *values, ESTIMATE]]) if not part.empty]
    if not parts:
        return _aggregate(data.assign(**{ESTIMATE: False}).iloc[0:0], [*keys, unit], values)
    return _aggregate(pd.concat(parts, ignore_index=True), [*keys, unit], values)


def carried_count(counts: pd.Series) -> pd.Series:
    """Whole units from counts carried through the crosswalk (a divided count, e.g. 0.4 of
    a school in a split ward, is at least part of one: it rounds up)."""
    return np.ceil(counts.astype(float).round(6)).astype(int)


def harmonise(
    frame: pd.DataFrame,
    crosswalk: pd.DataFrame,
    target: str,
    *,
    values: Sequence[str],
    parents: pd.Series | None = None,
    size: pd.Series | None = None,
    unit: str = "unit_id",
    keys: Sequence[str] = ("school_year",),
) -> pd.DataFrame:
    """Every row of a mixed old/new series in one geography (``target`` of :data:`TARGETS`).

    Parameters
    ----------
    frame, crosswalk, values, unit, keys
        As in :func:`to_2025_wards`.
    target
        ``ward`` (2025 wards), ``old_ward`` or ``old_district`` (needs ``parents``).
    parents, size
        As in :func:`to_old_units`.

    Returns
    -------
    pandas.DataFrame
        Columns ``keys, unit, values, estimate``.
    """
    if target == "ward":
        return to_2025_wards(frame, crosswalk, values=values, unit=unit, keys=keys)
    if target == "old_ward":
        return to_old_units(frame, crosswalk, values=values, size=size, unit=unit, keys=keys)
    if target == "old_district":
        if parents is None:
            raise ValueError("reading by old district needs the old ward → district parents")
        return to_old_units(
            frame, crosswalk, values=values, parents=parents, size=size, unit=unit, keys=keys
        )
    raise ValueError(f"unknown geography {target!r}; use one of {', '.join(TARGETS)}")


def observed_weights(observed: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Crosswalk weights measured from where an old unit's figure actually lay.

    Official weights share an old ward by area or population; for figures attached to
    points (schools), the points themselves say where each part went. For every old unit
    with an observed total above zero, ``weight(o → w)`` becomes the share of that total
    observed in ``w``; other old units keep the crosswalk's weights. A split is still a
    split: ``partly_merged`` stays as given (or true when a new pair appears), so figures
    carried through it remain flagged as estimates.

    Parameters
    ----------
    observed
        Columns ``old_unit_id, new_unit_id, value``: e.g. pupils of each school in the last
        year before the merger, by the school's old and new ward.
    crosswalk
        Columns ``old_unit_id, new_unit_id, partly_merged, weight``.

    Returns
    -------
    pandas.DataFrame
        The crosswalk with measured weights (same columns).
    """
    table = crosswalk[["old_unit_id", "new_unit_id", "partly_merged", "weight"]].copy()
    seen = (
        observed[observed["value"] > 0]
        .groupby(["old_unit_id", "new_unit_id"], as_index=False)["value"]
        .sum()
    )
    seen = seen[seen["old_unit_id"].isin(table["old_unit_id"])]
    if seen.empty:
        return table
    seen["share"] = seen["value"] / seen.groupby("old_unit_id")["value"].transform("sum")
    measured = table["old_unit_id"].isin(seen["old_unit_id"])
    merged = table[measured].merge(
        seen[["old_unit_id", "new_unit_id", "share"]],
        on=["old_unit_id", "new_unit_id"],
        how="outer",
    )
    destinations = merged.groupby("old_unit_id")["new_unit_id"].transform("size")
    merged["partly_merged"] = (
        merged["partly_merged"].astype("boolean").fillna(destinations > 1).astype(bool)
    )
    merged["weight"] = merged["share"].fillna(0.0)
    return pd.concat([table[~measured], merged[table.columns]], ignore_index=True)
