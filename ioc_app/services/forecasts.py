"""The forecast page's data: warehouse rows, engine runs per kind of area and capacity.

Every cached function takes the data version (the latest ingestion batch) as its first
argument, so loading new data invalidates the caches without any purge. Results hold no
language: the callbacks word them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from analytics import forecast_service as service
from analytics.forecast import page_support as support
from analytics.kpis import active_institutions
from analytics.quality import coverage_by_area
from data_access.models import OLD_DISTRICT, OLD_WARD, WARD_2025
from data_access.queries import facts, forecast_inputs, registry
from ioc_app.core.warehouse import cache, engine
from ioc_app.services.forecast_state import ViewState
from ioc_app.services.indicators import version

TIMEOUT = 6 * 3600
#: The city's area code when the warehouse has no province unit (hand-made warehouses).
DEFAULT_CITY = "P79"


@cache.memoize(timeout=TIMEOUT)
def reference(data_version: str) -> dict[str, Any]:
    """Units and names, the geography of the areas and each ward's main old district."""
    return reference_of(engine())


def reference_of(bind: Any) -> dict[str, Any]:
    """:func:`reference` read from ``bind`` (uncached: the command line uses it)."""
    units = registry.units(bind)
    provinces = units[units["kind"] == "province"]["id"].tolist()
    city = provinces[0] if provinces else DEFAULT_CITY
    parents = registry.parents(bind, OLD_WARD)
    crosswalk = registry.crosswalk(bind)
    districts = units[units["kind"] == OLD_DISTRICT]
    geography = service.Geography.from_tables(city, parents, crosswalk, districts["id"])
    names = {
        row.id: (
            row.name,
            row.name_en if isinstance(row.name_en, str) and row.name_en else row.name,
        )
        for row in units.itertuples()
    }
    kinds = {row.id: row.kind for row in units.itertuples()}
    return {
        "city": city,
        "geography": geography,
        "names": names,
        "kinds": kinds,
        "wards": units[units["kind"] == WARD_2025]["id"].tolist(),
        "districts": districts["id"].tolist(),
        "ward_district": service.main_district(crosswalk, geography.parents),
        "crosswalk": crosswalk,
    }


def area_kind(ref: dict[str, Any], area: str | None) -> str | None:
    """The kind of area ``area`` is (city, old_district or ward), or None if unknown."""
    if area == ref["city"]:
        return service.CITY
    kind = ref["kinds"].get(area)
    if kind == WARD_2025:
        return service.WARD
    if kind == OLD_DISTRICT:
        return service.OLD_DISTRICT
    return None


@cache.memoize(timeout=TIMEOUT)
def last_year(data_version: str) -> int | None:
    """The last school year with enrolment facts (None when there are none)."""
    years = facts.school_years(engine())
    return years[-1] if years else None


@cache.memoize(timeout=TIMEOUT)
def unreported(data_version: str, kind: str) -> pd.DataFrame:
    """Per area of ``kind``: schools (grades 1–12) expected to report pupils in the last
    school year and those that did (see analytics.quality.coverage_by_area)."""
    year = last_year(data_version)
    if year is None:
        return pd.DataFrame(columns=["area", "expected", "reported", "missing"])
    institutions = registry.institutions(engine())
    active = active_institutions(institutions, year)
    active = active[active["level"] != "preschool"]
    areas = service.area_codes(active, kind, reference(data_version)["geography"])
    reported = facts.reporters(engine(), [year - 1, year], domain_ids=[1])
    return coverage_by_area(
        reported,
        pd.DataFrame({"institution_id": active["id"].to_numpy(), "area": areas.to_numpy()}),
        year,
    )


@cache.memoize(timeout=TIMEOUT)
def rows(data_version: str) -> dict[str, pd.DataFrame]:
    """Pupils (by grade) and classrooms per (2025 ward, old ward), the wards' population;
    schools that did not report are estimated (data_access.queries.estimates)."""
    return rows_of(engine())


def rows_of(bind: Any) -> dict[str, pd.DataFrame]:
    """:func:`rows` read from ``bind`` (uncached)."""
    old = forecast_inputs.population_by_unit(bind, OLD_WARD)
    size = old[old["age_group"] == "total"].groupby("unit_id")["population"].sum()
    return {
        "enrolment": forecast_inputs.enrolment_by_ward(bind, by_grade=True),
        "classrooms": forecast_inputs.classrooms_by_ward(bind),
        "population": forecast_inputs.population_by_unit(bind, WARD_2025),
        "old_ward_size": size,
    }


def engine_inputs(
    ref: dict[str, Any], found: dict[str, pd.DataFrame], kind: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """History by level (shown, with ``estimated_pupils``), by grade (for the model) and
    population of every area of ``kind``."""
    grades = service.build_history(found["enrolment"], kind, ref["geography"], by_grade=True)
    keys = ["area_code", "year", "level"]
    shown = ["pupils", "estimated_pupils", service.ESTIMATED_SCHOOLS]
    history = grades.groupby(keys, as_index=False)[shown].sum()
    population = service.build_population(
        found["population"],
        kind,
        ref["geography"],
        crosswalk=ref["crosswalk"],
        old_ward_size=found["old_ward_size"],
        areas=history["area_code"].unique(),
    )
    return history, grades, population


@cache.memoize(timeout=TIMEOUT)
def kind_run(data_version: str, kind: str) -> service.KindRun | None:
    """Backtest and baseline forecast of every area of ``kind`` (None without enrolment)."""
    history, grades, population = engine_inputs(reference(data_version), rows(data_version), kind)
    if history.empty or history["year"].nunique() < 2:
        return None
    return service.run_kind(kind, history, population, grades=grades)


@cache.memoize(timeout=TIMEOUT)
def capacity(data_version: str, kind: str) -> pd.DataFrame:
    """Classrooms per area of ``kind``, school year and level."""
    ref = reference(data_version)
    return service.build_capacity(rows(data_version)["classrooms"], kind, ref["geography"])


@dataclass(frozen=True)
class View:
    """Everything one state of the page shows, before it is worded."""

    state: ViewState
    area: str
    kind: str
    unknown_area: str | None
    run: service.KindRun
    table: pd.DataFrame
    accuracy: pd.DataFrame
    norm: float
    target_year: int
    gaps: pd.DataFrame
    lever_wards: list[str]
    names: dict[str, tuple[str, str]]
    city: str
    #: (schools that have not reported the last year, schools expected), when any are missing
    unreported: tuple[int, int] | None = None


def compute_view(state: ViewState) -> View | None:
    """The forecast, backtest and seat gaps of ``state`` (None when there is no history)."""
    data_version = version()
    ref = reference(data_version)
    kind = area_kind(ref, state.area)
    unknown = state.area if state.area and kind is None else None
    area = state.area if kind is not None else ref["city"]
    kind = kind or service.CITY
    run = kind_run(data_version, kind)
    wards = kind_run(data_version, service.WARD)
    if run is None or wards is None:
        return None
    horizon = min(state.horizon, service.MAX_HORIZON)
    rate = state.migration / 100.0
    projected = support.scenario(
        run.forecast, last_year=run.last_year, horizon=horizon, rates={area: rate}
    )
    first_new = state.added_year or run.last_year + 1
    table = support.area_table(
        run.history,
        run.forecast,
        projected,
        capacity(data_version, kind),
        area=area,
        level=state.level,
        last_year=run.last_year,
        norm=state.norm,
        added_classrooms=state.added,
        added_year=first_new,
    )
    lever_wards = service.wards_in(area, kind, ref["wards"], ref["ward_district"])
    ward_fc = support.scenario(
        wards.forecast,
        last_year=wards.last_year,
        horizon=horizon,
        rates={ward: rate for ward in lever_wards},
    )
    target = wards.last_year + horizon
    added = {area: (state.added, first_new)} if kind == service.WARD and state.added else None
    gaps = support.area_gaps(
        ward_fc,
        capacity(data_version, service.WARD),
        level=state.level,
        year=target,
        last_year=wards.last_year,
        norm=state.norm,
        added=added,
    )
    return View(
        state=state,
        area=area,
        kind=kind,
        unknown_area=unknown,
        run=run,
        table=table,
        accuracy=support.accuracy(run.mape, state.level),
        norm=support.norm_for(state.level, state.norm),
        target_year=target,
        gaps=gaps,
        lever_wards=lever_wards,
        names=ref["names"],
        city=ref["city"],
        unreported=_unreported_in(data_version, kind, area),
    )


def _unreported_in(data_version: str, kind: str, area: str) -> tuple[int, int] | None:
    gaps = unreported(data_version, kind)
    gap = gaps[(gaps["area"] == area) & (gaps["missing"] > 0)]
    return None if gap.empty else (int(gap["missing"].iloc[0]), int(gap["expected"].iloc[0]))
