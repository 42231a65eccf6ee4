"""Data quality: completeness by reporting unit, outliers, duplicates, missing coordinates."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

#: Longitude/latitude box of the merged city (with Côn Đảo); points outside are suspect.
CITY_BOUNDS = (106.2, 8.5, 107.7, 11.6)
#: Robust z-score (median/MAD) above which a value is an outlier (Iglewicz and Hoaglin).
OUTLIER_Z = 3.5


def completeness(
    expected: pd.DataFrame, reported: Iterable[int], *, by: str = "unit_id"
) -> pd.DataFrame:
    """Share of the expected institutions that reported, per reporting unit.

    Parameters
    ----------
    expected
        One row per institution expected to report: columns ``institution_id`` and ``by``.
    reported
        Ids of the institutions that did report.
    by
        The column naming the reporting unit (a ward, a district, an owner…).

    Returns
    -------
    pandas.DataFrame
        Columns ``by, expected, reported, missing, share`` sorted from the worst unit; share
        is 0–1.
    """
    done = set(reported)
    frame = expected[["institution_id", by]].drop_duplicates("institution_id")
    frame = frame.assign(reported=frame["institution_id"].isin(done).astype(int))
    table = frame.groupby(by, as_index=False).agg(
        expected=("institution_id", "size"), reported=("reported", "sum")
    )
    table["missing"] = table["expected"] - table["reported"]
    table["share"] = table["reported"] / table["expected"]
    return table.sort_values(
        ["share", "missing", by], ascending=[True, False, True], ignore_index=True
    )


def robust_z(values: pd.Series) -> pd.Series:
    """Robust z-scores: 0.6745 × (x − median) / MAD (NaN where the MAD is zero)."""
    median = values.median()
    mad = (values - median).abs().median()
    if not mad or pd.isna(mad):
        return pd.Series(np.nan, index=values.index)
    return 0.6745 * (values - median) / mad


def outliers(
    frame: pd.DataFrame, value: str, *, by: Sequence[str] = (), threshold: float = OUTLIER_Z
) -> pd.DataFrame:
    """Rows whose ``value`` is far from the others of its group (robust z-score).

    Parameters
    ----------
    frame
        Any table with a numeric column ``value``.
    value
        The column to check.
    by
        Columns that define comparable groups (e.g. the level); whole table when empty.
    threshold
        Absolute robust z-score above which a row is an outlier.

    Returns
    -------
    pandas.DataFrame
        The outlying rows with a column ``z``, the most extreme first.
    """
    numbers = frame[value].astype(float)
    if by:
        z = numbers.groupby([frame[column] for column in by], dropna=False).transform(robust_z)
    else:
        z = robust_z(numbers)
    found = frame.assign(z=z)[z.abs() > threshold]
    return found.reindex(found["z"].abs().sort_values(ascending=False).index)


def duplicate_rows(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Every row whose ``keys`` also occur in another row (e.g. a fact reported twice)."""
    return frame[frame.duplicated(list(keys), keep=False)].sort_values(list(keys))


def normalise_name(name: str) -> str:
    """A name without accents, case, punctuation or repeated spaces, to compare names."""
    text = unicodedata.normalize("NFD", str(name).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


def duplicate_institutions(institutions: pd.DataFrame, *, place: str = "ward_id") -> pd.DataFrame:
    """Institutions registered twice: the same normalised name in the same place.

    Parameters
    ----------
    institutions
        Columns ``id, name`` and ``place``.
    place
        The column that must match too (the ward by default).

    Returns
    -------
    pandas.DataFrame
        The duplicated institutions with a ``group`` number per set of duplicates.
    """
    keyed = institutions.assign(_name=institutions["name"].map(normalise_name))
    found = keyed[keyed.duplicated(["_name", place], keep=False)].copy()
    found["group"] = found.groupby(["_name", place]).ngroup() + 1
    return found.drop(columns="_name").sort_values(["group", "id"], ignore_index=True)


def missing_coordinates(
    institutions: pd.DataFrame, *, bounds: tuple[float, float, float, float] = CITY_BOUNDS
) -> pd.DataFrame:
    """Institutions without a location, or with one outside ``bounds``.

    Parameters
    ----------
    institutions
        Columns ``lon, lat``.
    bounds
        ``(west, south, east, north)`` in degrees.

    Returns
    -------
    pandas.DataFrame
        The rows concerned with a ``problem`` column: ``missing`` or ``outside``.
    """
    west, south, east, north = bounds
    lon, lat = institutions["lon"], institutions["lat"]
    missing = lon.isna() | lat.isna()
    outside = ~missing & ~(lon.between(west, east) & lat.between(south, north))
    found = institutions[missing | outside].copy()
    found["problem"] = np.where(missing[missing | outside], "missing", "outside")
    return found


def reporting_coverage(reporters: pd.DataFrame, active: Iterable[int], year: int) -> pd.DataFrame:
    """Per data domain: institutions expected to report in ``year`` and those that did.

    An institution is expected when it reported the domain the year before and is still
    open, or when it reported this year; so a domain's coverage needs no list of who
    should report what, and newcomers count as soon as they report.

    Parameters
    ----------
    reporters
        Columns ``domain_id, school_year, institution_id`` (who reported what, when).
    active
        Ids of the institutions open in ``year``.
    year
        The school year judged.

    Returns
    -------
    pandas.DataFrame
        Columns ``domain_id, expected, reported, share`` (share 0–1, NaN when none expected).
    """
    still_open = set(active)
    rows = []
    for domain_id, frame in reporters.groupby("domain_id"):
        now = set(frame.loc[frame["school_year"] == year, "institution_id"])
        before = set(frame.loc[frame["school_year"] == year - 1, "institution_id"])
        expected = (before & still_open) | now
        rows.append(
            {
                "domain_id": domain_id,
                "expected": len(expected),
                "reported": len(now),
                "share": len(now) / len(expected) if expected else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["domain_id", "expected", "reported", "share"])


def coverage_by_area(reported: pd.DataFrame, active: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per area: institutions expected to report in ``year`` and those that did — the rule
    of :func:`reporting_coverage` (reported the year before and still open, or reported
    now), for one data domain.

    Parameters
    ----------
    reported
        Columns ``school_year, institution_id`` (who reported the domain, when).
    active
        Columns ``institution_id, area`` for the institutions open in ``year`` (``area``
        missing where an institution cannot be placed).
    year
        The school year judged.

    Returns
    -------
    pandas.DataFrame
        Columns ``area, expected, reported, missing`` for the areas expecting any report.
    """
    now = set(reported.loc[reported["school_year"] == year, "institution_id"])
    before = set(reported.loc[reported["school_year"] == year - 1, "institution_id"])
    places = active.dropna(subset=["area"])
    expected = places[places["institution_id"].isin(before) | places["institution_id"].isin(now)]
    out = (
        expected.assign(reported=expected["institution_id"].isin(now))
        .groupby("area", as_index=False)
        .agg(expected=("institution_id", "size"), reported=("reported", "sum"))
    )
    out["missing"] = out["expected"] - out["reported"]
    return out.astype({"expected": int, "reported": int, "missing": int})
