"""The registry queries behind the public map, on the hand-made map warehouse."""

from __future__ import annotations

from datetime import datetime

import pytest
import shapely
from sqlalchemy import Engine, insert, update

from data_access.models import IngestionBatch, Institution
from data_access.queries import institutions as queries
from data_access.queries.details import PUBLIC_INSTITUTION_FIELDS, institution_details
from tests.app.map_warehouse_data import LQD, add_institution, build_map_warehouse


@pytest.fixture
def warehouse(migrated_engine: Engine) -> tuple[Engine, dict[str, int]]:
    return migrated_engine, build_map_warehouse(migrated_engine)


def test_registry_frame_has_units_and_old_districts(warehouse) -> None:
    engine, ids = warehouse
    frame = queries.registry_frame(engine)
    assert list(frame.columns) == list(queries.REGISTRY_COLUMNS)
    lqd = frame.set_index("id").loc[ids[LQD]]
    assert lqd["old_district_name"] == "Quận 3"
    assert lqd["old_ward_name"] == "Phường Võ Thị Sáu"
    assert lqd["ward_name"] == "Phường Xuân Hoà"  # spelt so in the boundary file
    assert frame["kind"].nunique() == 7


def test_old_district_resolved_through_the_crosswalk_without_an_old_ward(warehouse) -> None:
    engine, _ = warehouse
    # Phường Xuân Hòa (2025) was made only of wards of old Quận 3
    new = add_institution(engine, "Trường Tiểu học Mới Mở", ward_id="W27139", old_ward_id=None)
    row = queries.registry_frame(engine).set_index("id").loc[new]
    assert row["old_district_id"] == "OD770" and row["old_district_name"] == "Quận 3"


def test_closed_institutions_are_not_in_the_registry(warehouse) -> None:
    engine, ids = warehouse
    with engine.begin() as conn:
        conn.execute(update(Institution).where(Institution.id == ids[LQD]).values(closed_year=2024))
    assert ids[LQD] not in set(queries.registry_frame(engine)["id"])
    assert institution_details(engine, ids[LQD]) is None


def test_fingerprint_changes_with_the_registry(warehouse) -> None:
    engine, ids = warehouse
    first = queries.registry_fingerprint(engine)
    assert queries.registry_fingerprint(engine) == first
    with engine.begin() as conn:
        conn.execute(
            update(Institution).where(Institution.id == ids[LQD]).values(name=LQD + " (cơ sở 2)")
        )
    second = queries.registry_fingerprint(engine)
    assert second != first
    add_institution(engine, "Trường Mầm non Mới")
    third = queries.registry_fingerprint(engine)
    assert third not in (first, second)
    with engine.begin() as conn:
        conn.execute(
            insert(IngestionBatch).values(
                dataset="institutions",
                source_system="test",
                started_at=datetime(2026, 1, 1),
                status="done",
            )
        )
    assert queries.registry_fingerprint(engine) != third


def test_details_are_public_fields_with_facts_and_real_cutoffs(warehouse) -> None:
    engine, ids = warehouse
    details = institution_details(engine, ids[LQD])
    assert set(details["institution"]) == set(PUBLIC_INSTITUTION_FIELDS)
    assert details["enrolment"] == {
        "school_year": 2025,
        "pupils": 1233,
        "classes": 30,
        "class_size": 41.1,
        "generated": True,
    }
    assert details["staff"]["teachers"] == 96
    assert details["dx"]["level"] == 3 and details["dx"]["school_year"] == 2024
    years = [c["year"] for c in details["cutoffs"]]
    assert years == list(range(2015, 2022))
    assert details["cutoffs"][-1]["score_scale_max"] == 30
    assert details["cutoffs"][0]["source"].startswith("admissions/")


def test_options_are_sorted_by_number_and_folded_name(warehouse) -> None:
    engine, _ = warehouse
    labels = [o["label"] for o in queries.old_district_options(engine)]
    assert labels.index("Quận 3") < labels.index("Quận 10")
    wards = queries.ward_options(engine)
    assert len(wards) == 168


def test_ward_shapes_are_the_168_polygons(warehouse) -> None:
    engine, _ = warehouse
    shapes = queries.ward_shapes(engine)
    assert len(shapes) == 168
    assert all(shapely.get_type_id(g) == 6 for g in shapes["geom"])  # MultiPolygon


def test_a_centre_shows_its_learners_and_courses(migrated_engine: Engine) -> None:
    from layouts.map_panels import details_panel
    from tests.app.control_room_data import build_small

    build_small(migrated_engine)
    details = institution_details(migrated_engine, 5)  # a language centre
    assert details["activity"]["learners"] == 305 and details["activity"]["courses"] == 8
    assert details["enrolment"] is None
    text = str(details_panel(details, "vi"))
    assert "Học viên" in text and "305" in text and "Khoá học" in text
    school = institution_details(migrated_engine, 1)
    assert school["activity"] is None
    assert "Học viên" not in str(details_panel(school, "vi"))
