"""The forecast page's pure glue: warehouse rows → engine inputs and runs per kind of area
(city, old district, 2025 ward); reading the results is in analytics.forecast.page_support."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from analytics.boundaries import to_old_units
from analytics.forecast import LEVELS, ModelOptions, backtest, forecast, residual_quantiles
from analytics.forecast.bands import DEFAULT_QUANTILES

WARD = "ward"
OLD_DISTRICT = "old_district"
CITY = "city"
#: Schools whose late report was estimated, counted in a history's sums (display only).
ESTIMATED_SCHOOLS = "estimated_schools"
#: Kinds of area a planner can choose, from the largest to the smallest.
AREA_KINDS = (CITY, OLD_DISTRICT, WARD)
#: Longest horizon offered (years after the last school year with facts).
MAX_HORIZON = 10
#: Largest horizon measured by the backtests shown beside the forecast.
BACKTEST_HORIZON = 5
#: Old pooled bands of the GSO provinces (kept for callers that ask for them explicitly);
#: every kind of area now gets the calibrated bands of :func:`analytics.forecast.forecast`.
PROVINCE_BANDS = DEFAULT_QUANTILES


@dataclass(frozen=True)
class Geography:
    """How a row keyed by (2025 ward, old ward) is placed in each kind of area.

    Attributes
    ----------
    city : str
        Area code of the whole city (the province unit, e.g. ``P79``).
    parents : Mapping[str, str]
        Old ward → old district.
    ward_district : Mapping[str, str]
        2025 ward → old district for rows without an old ward (places that had no wards
        before 2025, such as Côn Đảo, whose crosswalk row starts from the district).
    """

    city: str
    parents: Mapping[str, str]
    ward_district: Mapping[str, str]

    @classmethod
    def from_tables(
        cls, city: str, parents: pd.Series, crosswalk: pd.DataFrame, districts: Iterable[str]
    ) -> Geography:
        """Build from the warehouse's reference tables.

        Parameters
        ----------
        city : str
            Area code of the whole city.
        parents : pandas.Series
            Old ward id → old district id.
        crosswalk : pandas.DataFrame
            ``old_unit_id, new_unit_id, …``; rows whose old unit is a district give the
            fallback of :attr:`ward_district`.
        districts : iterable of str
            Ids of the old districts.

        Returns
        -------
        Geography
        """
        known = set(districts)
        direct = crosswalk[crosswalk["old_unit_id"].isin(known)]
        return cls(
            city=city,
            parents=parents.to_dict(),
            ward_district=dict(zip(direct["new_unit_id"], direct["old_unit_id"], strict=True)),
        )


@dataclass(frozen=True)
class KindRun:
    """The baseline forecast of every area of one kind, and how wrong the model has been.

    Attributes
    ----------
    kind : str
        One of :data:`AREA_KINDS`.
    history : pandas.DataFrame
        ``area_code, year, level, pupils``.
    forecast : pandas.DataFrame
        ``area_code, year, level, forecast, lower, upper`` up to :data:`MAX_HORIZON`.
    mape : pandas.DataFrame
        The backtest's ``method, level, horizon, mape, n`` (MAPE in percent).
    quantiles : pandas.DataFrame
        ``level, horizon, q_low, q_high, n`` of the model's log errors (the bands).
    origins : tuple of int
        Backtest origins.
    last_year : int
        Last school year of the history.
    notes : tuple of str
        The engine's notes (cleaning, bands), in English.
    """

    kind: str
    history: pd.DataFrame
    forecast: pd.DataFrame
    mape: pd.DataFrame
    quantiles: pd.DataFrame
    origins: tuple[int, ...]
    last_year: int
    notes: tuple[str, ...]


def area_codes(rows: pd.DataFrame, kind: str, geography: Geography) -> pd.Series:
    """The area of ``kind`` each row (``ward_id, old_ward_id``) belongs to.

    Parameters
    ----------
    rows : pandas.DataFrame
        Columns ``ward_id`` (2025 ward) and ``old_ward_id`` (old ward, may be missing).
    kind : str
        One of :data:`AREA_KINDS`.
    geography : Geography

    Returns
    -------
    pandas.Series
        Area codes aligned with ``rows`` (missing where a row cannot be placed).
    """
    if kind == WARD:
        return rows["ward_id"]
    if kind == CITY:
        return pd.Series(geography.city, index=rows.index, dtype=object)
    if kind == OLD_DISTRICT:
        district = rows["old_ward_id"].map(geography.parents)
        return district.fillna(rows["ward_id"].map(geography.ward_district))
    raise ValueError(f"unknown kind of area {kind!r}; use one of {', '.join(AREA_KINDS)}")


def _sum_by_area(
    rows: pd.DataFrame, kind: str, geography: Geography, value: str, *, by_grade: bool = False
) -> pd.DataFrame:
    frame = rows.assign(area_code=area_codes(rows, kind, geography)).dropna(subset=["area_code"])
    frame = frame[frame["level"].isin(LEVELS)]
    keys = ["area_code", "school_year", "level", *(["grade"] if by_grade else [])]
    counted = [value, *([ESTIMATED_SCHOOLS] if ESTIMATED_SCHOOLS in frame else [])]
    out = frame.groupby(keys, as_index=False)[counted].sum()
    if "estimated" in frame:
        # The part of each sum made of schools estimated because they did not report.
        part = frame[frame["estimated"].astype(bool)].groupby(keys)[value].sum()
        out[f"estimated_{value}"] = (
            part.reindex(pd.MultiIndex.from_frame(out[keys])).fillna(0.0).to_numpy()
        )
    return out.rename(columns={"school_year": "year"})


def build_history(
    enrolment: pd.DataFrame, kind: str, geography: Geography, *, by_grade: bool = False
) -> pd.DataFrame:
    """Pupils per area of ``kind``, school year and level (the engine's history format).

    Parameters
    ----------
    enrolment : pandas.DataFrame
        ``school_year, ward_id, old_ward_id, level, pupils`` as read by
        :func:`data_access.queries.forecast_inputs.enrolment_by_ward`.
    kind : str
    geography : Geography

    by_grade : bool, keyword-only
        Keep grades (``enrolment`` must have a ``grade`` column): the engine then runs its
        grade-progression model.

    Returns
    -------
    pandas.DataFrame
        ``area_code, year, level, [grade,] pupils`` (and ``estimated_pupils``, the part
        of ``pupils`` estimated for schools that did not report, and ``estimated_schools``,
        how many schools, when ``enrolment`` has the columns ``estimated`` and
        ``estimated_schools``); series that are zero in every year are dropped.
    """
    history = _sum_by_area(enrolment, kind, geography, "pupils", by_grade=by_grade)
    alive = history.groupby(["area_code", "level"])["pupils"].transform("sum") > 0
    order = ["area_code", "level", "year", *(["grade"] if by_grade else [])]
    return history[alive].sort_values(order, ignore_index=True)


def build_capacity(classrooms: pd.DataFrame, kind: str, geography: Geography) -> pd.DataFrame:
    """Classrooms per area of ``kind``, school year and level.

    Returns
    -------
    pandas.DataFrame
        ``area_code, year, level, classrooms``.
    """
    return _sum_by_area(classrooms, kind, geography, "classrooms")


def build_population(
    ward_population: pd.DataFrame,
    kind: str,
    geography: Geography,
    *,
    crosswalk: pd.DataFrame,
    old_ward_size: pd.Series | None = None,
    areas: Iterable[str] = (),
) -> pd.DataFrame | None:
    """Population per area of ``kind`` from the 2025 wards' population.

    The city is the sum of its wards; an old district gets its share of each 2025 ward
    through the crosswalk (weighted by ``old_ward_size``, e.g. the old wards' census
    population). None when some of ``areas`` would have no population (the engine then
    projects without it), and None when the population has fewer than two years: a single
    census year cannot move a projection (the engine holds it flat), so it would only cost
    time.

    Parameters
    ----------
    ward_population : pandas.DataFrame
        ``unit_id, year, age_group, population`` of the 2025 wards.
    kind : str
    geography : Geography
    crosswalk : pandas.DataFrame, keyword-only
        ``old_unit_id, new_unit_id, partly_merged, weight``.
    old_ward_size : pandas.Series, optional, keyword-only
        Old ward → size used to share a 2025 ward among its old wards.
    areas : iterable of str, keyword-only
        Areas that must be covered.

    Returns
    -------
    pandas.DataFrame or None
        ``area_code, year, age_group, population``.
    """
    if ward_population["year"].nunique() < 2:
        return None
    keys = ["year", "age_group"]
    if kind == WARD:
        out = ward_population.rename(columns={"unit_id": "area_code"})
    elif kind == CITY:
        out = (
            ward_population.groupby(keys, as_index=False)["population"]
            .sum()
            .assign(area_code=geography.city)
        )
    else:
        parents = pd.Series(geography.parents, dtype=object)
        carried = to_old_units(
            ward_population,
            crosswalk,
            values=["population"],
            parents=parents,
            size=old_ward_size,
            unit="unit_id",
            keys=keys,
        )
        out = carried.rename(columns={"unit_id": "area_code"})
    out = out[["area_code", "year", "age_group", "population"]]
    if set(areas) - set(out["area_code"]):
        return None
    return out.reset_index(drop=True)


def run_kind(
    kind: str,
    history: pd.DataFrame,
    population: pd.DataFrame | None = None,
    *,
    band_quantiles: pd.DataFrame | None = None,
    horizon: int = MAX_HORIZON,
    options: ModelOptions | None = None,
    grades: pd.DataFrame | None = None,
) -> KindRun:
    """Backtest the model on every area of one kind, then forecast them with bands.

    Parameters
    ----------
    kind : str
    history : pandas.DataFrame
        ``area_code, year, level, pupils`` (from :func:`build_history`).
    population : pandas.DataFrame, optional
        As for :func:`analytics.forecast.forecast`.
    band_quantiles : pandas.DataFrame, optional, keyword-only
        Pooled quantiles to use instead of the calibrated bands (learnt on the GSO
        provinces, scaled by each area's recent growth and size).
    horizon : int, keyword-only
    options : ModelOptions, optional, keyword-only
    grades : pandas.DataFrame, optional, keyword-only
        The same history by grade (:func:`build_history` with ``by_grade=True``): the model
        then moves each grade's pupils to the next grade; ``history`` stays what is shown.

    Returns
    -------
    KindRun
    """
    options = options or ModelOptions()
    source = engine_input(grades if grades is not None else history)
    result = backtest(source, population, max_horizon=BACKTEST_HORIZON, options=options)
    model = result.residuals[result.residuals["method"] == "model"]
    quantiles = residual_quantiles(model, coverage=options.coverage)
    notes: list[str] = []
    projected = forecast(
        source,
        population,
        horizon=horizon,
        band_residuals=band_quantiles,
        options=options,
        notes=notes,
    )
    return KindRun(
        kind=kind,
        history=history,
        forecast=projected,
        mape=result.mape,
        quantiles=quantiles,
        origins=result.origins,
        last_year=int(history["year"].max()),
        notes=tuple(notes),
    )


def engine_input(history: pd.DataFrame) -> pd.DataFrame:
    """The columns the engine reads (the estimated part is for display only)."""
    return history.drop(columns=["estimated_pupils", ESTIMATED_SCHOOLS], errors="ignore")


def main_district(crosswalk: pd.DataFrame, parents: Mapping[str, str]) -> dict[str, str]:
    """2025 ward → the old district most of its territory came from.

    Parameters
    ----------
    crosswalk : pandas.DataFrame
        ``old_unit_id, new_unit_id, weight`` (the share of the old unit sent to the ward).
    parents : Mapping[str, str]
        Old ward → old district (an old unit without a parent stands for itself).

    Returns
    -------
    dict
        Ward id → district id with the largest summed weight (ties: the smallest id).
    """
    table = crosswalk.assign(
        district=crosswalk["old_unit_id"].map(lambda unit: parents.get(unit, unit))
    )
    weights = table.groupby(["new_unit_id", "district"])["weight"].sum().reset_index()
    top = weights.sort_values(
        ["new_unit_id", "weight", "district"], ascending=[True, False, True]
    ).drop_duplicates("new_unit_id")
    return dict(zip(top["new_unit_id"], top["district"], strict=True))


def wards_in(
    area: str, kind: str, wards: Iterable[str], ward_district: Mapping[str, str]
) -> list[str]:
    """The 2025 wards an area stands for on the ward map.

    Parameters
    ----------
    area : str
        An area code.
    kind : str
        Its kind (:data:`AREA_KINDS`).
    wards : iterable of str
        Every 2025 ward.
    ward_district : Mapping[str, str]
        Ward → main old district (:func:`main_district`).

    Returns
    -------
    list of str
        All wards for the city, the ward itself, or the wards mainly from the district.
    """
    wards = list(wards)
    if kind == CITY:
        return wards
    if kind == WARD:
        return [area] if area in wards else []
    return [ward for ward in wards if ward_district.get(ward) == area]
