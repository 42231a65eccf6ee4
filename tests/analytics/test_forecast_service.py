"""The forecast page's glue on a small hand-made warehouse: histories by kind of area,
classrooms shared by level, runs, scenarios and seat gaps (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, box
from sqlalchemy import Engine

from analytics import forecast_service as service
from analytics.forecast import forecast
from analytics.forecast import page_support as support
from data_access.db import transaction
from data_access.models import (
    AdminUnit,
    FactEnrolment,
    FactFacility,
    Institution,
    Population,
    UnitCrosswalk,
)
from data_access.queries import forecast_inputs, registry

YEARS = range(2015, 2026)
#: institution → (level, grades, 2025 ward, old ward, pre-2025 fact unit, classrooms)
SCHOOLS = {
    1: ("primary", range(1, 6), "W1", "OW1", "OW1", 6),
    2: ("primary_lower", range(1, 10), "W2", "OW2", "OW2", 18),
    3: ("lower_secondary", range(6, 10), "W1", "OW2", "OW2", 5),
    4: ("upper_secondary", range(10, 13), "W3", None, "OD3", 4),
}


def _pupils(school: int, grade: int, k: int) -> int:
    """Pupils of one grade in school year 2015 + k."""
    return {1: 40 + 2 * k, 2: 30 if grade <= 5 else 25, 3: 50 + k, 4: 20}[school]


def _unit(uid: str, kind: str, parent: str | None, x: float = 0.0) -> AdminUnit:
    geom = MultiPolygon([box(106.6 + x, 10.7, 106.65 + x, 10.75)]) if kind == "ward" else None
    # OD3 has no English name, as many units of the real warehouse
    return AdminUnit(
        id=uid,
        code=uid.lstrip("OWDP"),
        kind=kind,
        name=f"Đơn vị {uid}",
        name_en=None if uid == "OD3" else f"Unit {uid}",
        parent_id=parent,
        valid_from=date(2025, 7, 1),
        geom=geom,
        source="test",
    )


def build_small_warehouse(engine: Engine) -> None:
    """Three 2025 wards, three old districts (one without wards, like Côn Đảo), four schools
    with eleven school years of pupils by grade and classrooms, a 2019 population."""
    with transaction(engine) as session:
        session.add_all(
            [
                _unit("OP79", "old_province", None),
                _unit("P79", "province", None),
                _unit("OD1", "old_district", "OP79"),
                _unit("OD2", "old_district", "OP79"),
                _unit("OD3", "old_district", "OP79"),
                _unit("OW1", "old_ward", "OD1"),
                _unit("OW2", "old_ward", "OD1"),
                _unit("OW3", "old_ward", "OD2"),
                _unit("W1", "ward", "P79", 0.0),
                _unit("W2", "ward", "P79", 0.05),
                _unit("W3", "ward", "P79", 0.1),
            ]
        )
        session.flush()
        session.add_all(
            [
                UnitCrosswalk(
                    old_unit_id=old, new_unit_id=new, partly_merged=partly, weight=w, source="test"
                )
                for old, new, partly, w in [
                    ("OW1", "W1", False, 1.0),
                    ("OW2", "W1", True, 0.4),
                    ("OW2", "W2", True, 0.6),
                    ("OW3", "W2", False, 1.0),
                    ("OD3", "W3", False, 1.0),
                ]
            ]
        )
        for sid, (level, _grades, ward, old, _unit_id, _rooms) in SCHOOLS.items():
            session.add(
                Institution(
                    id=sid,
                    code=f"S{sid}",
                    name=f"Trường {sid}",
                    kind="school",
                    level=level,
                    ownership="public",
                    ward_id=ward,
                    old_ward_id=old,
                    source="test",
                )
            )
        session.flush()
        for sid, (_level, grades, ward, _old, before, rooms) in SCHOOLS.items():
            for year in YEARS:
                unit = ward if year >= 2025 else before
                session.add(
                    FactFacility(
                        school_year=year,
                        institution_id=sid,
                        unit_id=unit,
                        classrooms=rooms,
                        classrooms_solid=rooms,
                        functional_rooms=1,
                        computer_rooms=1,
                        computers=10,
                        smart_classrooms=0,
                        site_area_m2=1000.0,
                        internet_mbps=100.0,
                    )
                )
                for grade in grades:
                    session.add(
                        FactEnrolment(
                            school_year=year,
                            institution_id=sid,
                            unit_id=unit,
                            grade=grade,
                            pupils=_pupils(sid, grade, year - 2015),
                            girls=0,
                            classes=1,
                        )
                    )
        session.add_all(
            [
                Population(unit_id=w, year=2019, age_group="total", population=p, source="test")
                for w, p in (("W1", 10_000), ("W2", 8_000), ("W3", 3_000))
            ]
        )


@pytest.fixture
def small(migrated_engine: Engine) -> Engine:
    build_small_warehouse(migrated_engine)
    return migrated_engine


def _geography(engine: Engine) -> service.Geography:
    units = registry.units(engine)
    return service.Geography.from_tables(
        "P79",
        registry.parents(engine, "old_ward"),
        registry.crosswalk(engine),
        units[units["kind"] == "old_district"]["id"],
    )


def _series(history: pd.DataFrame, area: str, level: str) -> list[float]:
    rows = history[(history["area_code"] == area) & (history["level"] == level)]
    return rows.sort_values("year")["pupils"].tolist()


def test_history_follows_each_school_to_its_2025_ward_in_every_year(small: Engine) -> None:
    history = service.build_history(
        forecast_inputs.enrolment_by_ward(small), "ward", _geography(small)
    )
    # school 3 sat in old ward OW2, which was split 40/60: it counts whole in W1, every year
    assert _series(history, "W1", "lower_secondary") == [4 * (50 + k) for k in range(11)]
    assert _series(history, "W1", "primary") == [5 * (40 + 2 * k) for k in range(11)]
    assert _series(history, "W2", "primary") == [150.0] * 11
    assert _series(history, "W2", "lower_secondary") == [100.0] * 11
    assert _series(history, "W3", "upper_secondary") == [60.0] * 11
    assert sorted(history["area_code"].unique()) == ["W1", "W2", "W3"]


def test_old_districts_and_the_city_add_up_the_same_schools(small: Engine) -> None:
    rows = forecast_inputs.enrolment_by_ward(small)
    geography = _geography(small)
    districts = service.build_history(rows, "old_district", geography)
    # OD1 holds schools 1–3 through their old wards; OD3 had no wards (crosswalk fallback)
    assert sorted(districts["area_code"].unique()) == ["OD1", "OD3"]
    assert _series(districts, "OD1", "lower_secondary")[0] == 4 * 50 + 100
    assert _series(districts, "OD3", "upper_secondary") == [60.0] * 11
    city = service.build_history(rows, "city", geography)
    assert city["area_code"].unique().tolist() == ["P79"]
    assert _series(city, "P79", "primary")[-1] == 5 * (40 + 20) + 150


def test_classrooms_of_a_multi_level_school_are_shared_by_its_classes(small: Engine) -> None:
    capacity = service.build_capacity(
        forecast_inputs.classrooms_by_ward(small), "ward", _geography(small)
    )
    latest = capacity[capacity["year"] == 2025].set_index(["area_code", "level"])["classrooms"]
    # school 2: 18 classrooms, 5 primary and 4 lower-secondary classes
    assert latest[("W2", "primary")] == pytest.approx(10.0)
    assert latest[("W2", "lower_secondary")] == pytest.approx(8.0)
    assert latest[("W1", "primary")] == pytest.approx(6.0)
    assert latest[("W1", "lower_secondary")] == pytest.approx(5.0)
    assert latest[("W3", "upper_secondary")] == pytest.approx(4.0)


def test_a_single_census_year_is_not_passed_to_the_engine(small: Engine) -> None:
    population = forecast_inputs.population_by_unit(small, "ward")
    geography = _geography(small)
    assert (
        service.build_population(population, "ward", geography, crosswalk=registry.crosswalk(small))
        is None
    )
    two_years = pd.concat([population, population.assign(year=2024)])
    city = service.build_population(
        two_years, "city", geography, crosswalk=registry.crosswalk(small), areas=["P79"]
    )
    assert city["population"].sum() == pytest.approx(2 * 21_000)
    missing = service.build_population(
        two_years, "ward", geography, crosswalk=registry.crosswalk(small), areas=["W1", "W9"]
    )
    assert missing is None


def test_seat_gap_is_projected_pupils_minus_classrooms_times_norm() -> None:
    projected = pd.DataFrame(
        {
            "area_code": ["W1", "W2", "W3", "W1"],
            "year": [2030, 2030, 2030, 2029],
            "level": ["primary"] * 4,
            "forecast": [300.0, 200.0, 50.0, 280.0],
            "lower": [250.0, 180.0, 40.0, 260.0],
            "upper": [360.0, 230.0, 60.0, 300.0],
        }
    )
    capacity = pd.DataFrame(
        {
            "area_code": ["W1", "W2", "W2"],
            "year": [2025, 2025, 2024],
            "level": ["primary"] * 3,
            "classrooms": [6.0, 10.0, 99.0],
        }
    )
    gaps = support.area_gaps(projected, capacity, level="primary", year=2030, last_year=2025)
    by_area = gaps.set_index("area_code")
    assert by_area.loc["W1", "seat_gap"] == pytest.approx(300 - 6 * 35)
    assert by_area.loc["W2", "seat_gap"] == pytest.approx(200 - 10 * 35)
    assert by_area.loc["W1", "gap_high"] == pytest.approx(360 - 210)
    assert by_area.loc["W1", "classrooms_short"] == 3  # 90 pupils / 35 → 3 classes
    assert by_area.loc["W3", "seats"] == 0 and np.isinf(by_area.loc["W3", "gap_share"])
    assert gaps["area_code"].tolist() == ["W1", "W3", "W2"]  # largest shortage first
    norm40 = support.area_gaps(
        projected,
        capacity,
        level="primary",
        year=2030,
        last_year=2025,
        norm=40,
        added={"W1": (2, 2030), "W2": (5, 2031)},
    ).set_index("area_code")
    assert norm40.loc["W1", "seat_gap"] == pytest.approx(300 - (6 + 2) * 40)
    assert norm40.loc["W2", "seat_gap"] == pytest.approx(200 - 10 * 40)  # not open yet


def test_gap_classes_split_at_the_documented_edges() -> None:
    shares = np.array([-0.5, -0.2, -0.1, 0.0, 0.05, 0.1, 0.2, 0.21, np.inf, np.nan])
    assert support.gap_classes(shares).tolist() == [0, 0, 1, 2, 2, 3, 3, 4, 4, -1]


def test_area_table_joins_history_forecast_and_seats(small: Engine) -> None:
    geography = _geography(small)
    history = service.build_history(forecast_inputs.enrolment_by_ward(small), "ward", geography)
    capacity = service.build_capacity(forecast_inputs.classrooms_by_ward(small), "ward", geography)
    run = service.run_kind("ward", history)
    projected = support.scenario(
        run.forecast, last_year=run.last_year, horizon=4, rates={"W1": 0.01}
    )
    table = support.area_table(
        run.history,
        run.forecast,
        projected,
        capacity,
        area="W1",
        level="primary",
        last_year=run.last_year,
        norm=30,
        added_classrooms=3,
        added_year=2028,
    )
    past = table[table["period"] == "history"]
    future = table[table["period"] == "forecast"].set_index("year")
    assert past["pupils"].tolist() == [5 * (40 + 2 * k) for k in range(11)]
    assert past["seats"].tolist() == [6 * 30.0] * 11
    assert future.index.tolist() == [2026, 2027, 2028, 2029]
    assert future.loc[2027, "seats"] == 180 and future.loc[2028, "seats"] == 270
    assert np.allclose(future["seat_gap"], future["forecast"] - future["seats"])
    growth = future["forecast"] / future["baseline"]
    assert np.allclose(growth, [1.01**h for h in range(1, 5)])
    assert (future["lower"] <= future["forecast"]).all()
    assert (future["forecast"] <= future["upper"]).all()


def test_a_cut_forecast_equals_a_shorter_one_and_the_city_uses_calibrated_bands(
    small: Engine,
) -> None:
    geography = _geography(small)
    rows = forecast_inputs.enrolment_by_ward(small)
    wards = service.run_kind("ward", service.build_history(rows, "ward", geography))
    assert wards.forecast["year"].max() == 2025 + service.MAX_HORIZON
    short = forecast(wards.history, horizon=3)
    cut = support.scenario(wards.forecast, last_year=wards.last_year, horizon=3)
    assert np.allclose(short[["forecast", "lower", "upper"]], cut[["forecast", "lower", "upper"]])
    assert wards.origins == tuple(range(2020, 2025))
    city = service.run_kind("city", service.build_history(rows, "city", geography))
    first = city.forecast[
        (city.forecast["year"] == 2026) & (city.forecast["level"] == "primary")
    ].iloc[0]
    own = forecast(city.history, horizon=1)
    own = own[own["level"] == "primary"].iloc[0]
    assert first["lower"] == pytest.approx(own["lower"])
    assert first["upper"] == pytest.approx(own["upper"])
    assert first["lower"] < first["forecast"] < first["upper"]


def test_accuracy_puts_the_model_beside_the_baselines() -> None:
    mape = pd.DataFrame(
        {
            "method": ["model", "persistence", "drift"] * 2,
            "level": ["primary"] * 6,
            "horizon": [1, 1, 1, 2, 2, 2],
            "mape": [2.0, 4.0, 3.0, 6.0, 5.0, 9.0],
            "n": [10, 10, 10, 8, 8, 8],
        }
    )
    table = support.accuracy(mape, "primary")
    assert table["horizon"].tolist() == [1, 2]
    assert table["ratio"].tolist() == pytest.approx([2 / 3, 6 / 5])
    assert table["n"].tolist() == [10, 8]
    assert support.accuracy(mape, "upper_secondary").empty


def test_boundary_breaks_are_read_from_the_engine_notes() -> None:
    notes = [
        "boundary change assumed (earlier years rescaled to the new territory): "
        "W1 2018, W2 2020, W1 2025",
        "population: 3 areas extrapolated",
    ]
    assert support.boundary_breaks(notes) == {"W1": [2018, 2025], "W2": [2020]}


def test_wards_of_an_area_for_the_map_levers() -> None:
    crosswalk = pd.DataFrame(
        {
            "old_unit_id": ["OW1", "OW2", "OW2", "OW3", "OD3"],
            "new_unit_id": ["W1", "W1", "W2", "W2", "W3"],
            "partly_merged": [False, True, True, False, False],
            "weight": [1.0, 0.4, 0.6, 1.0, 1.0],
        }
    )
    parents = {"OW1": "OD1", "OW2": "OD1", "OW3": "OD2"}
    main = service.main_district(crosswalk, parents)
    assert main == {"W1": "OD1", "W2": "OD2", "W3": "OD3"}  # W2: 1.0 from OD2 > 0.6 from OD1
    wards = ["W1", "W2", "W3"]
    assert service.wards_in("OD1", "old_district", wards, main) == ["W1"]
    assert service.wards_in("P79", "city", wards, main) == wards
    assert service.wards_in("W2", "ward", wards, main) == ["W2"]
