"""Punctuality of quarterly reports summed up: per kind of reporter, per ward for schools."""

from __future__ import annotations

import pandas as pd

STATES = ("on_time", "late", "returned", "missing", "not_due")


def punctuality_counts(frame: pd.DataFrame, by: str = "kind") -> pd.DataFrame:
    """How many reporters are in each state, per value of ``by``.

    Parameters
    ----------
    frame
        Rows per reporter with ``state`` and the ``by`` column
        (:func:`data_access.report_punctuality.punctuality`).
    by
        ``kind`` (unit or institution kind), ``group`` (unit / school) or ``ward_code``
        (schools roll up to their 2025 ward; units, without a ward, are left out).

    Returns
    -------
    pandas.DataFrame
        One row per value of ``by`` (sorted): ``by``, one column per state of :data:`STATES`,
        ``expected`` and ``on_time_share`` (on time / expected).
    """
    rows = frame.dropna(subset=[by])
    table = pd.crosstab(rows[by], rows["state"]).reindex(columns=list(STATES), fill_value=0)
    table["expected"] = table.sum(axis=1)
    table["on_time_share"] = (table["on_time"] / table["expected"]).round(3)
    return table.reset_index().rename_axis(columns=None)
