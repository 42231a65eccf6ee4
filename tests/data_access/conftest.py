"""Session fixtures: the city-scale warehouse seeded once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from shapely import MultiPolygon, Point, box
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from data_access import migrate
from data_access.db import make_engine, transaction
from data_access.models import MERGER_DATE, AdminUnit, DataDomain, Institution, UnitCrosswalk
from data_access.seed import SeedReport, seed_warehouse

SEED = 0


@pytest.fixture(scope="session")
def seeded_city_sqlite(city_seed_run: tuple[Engine, SeedReport, list]) -> Engine:
    """An engine on a SQLite warehouse seeded at city scale with seed 0 (read-only use)."""
    return city_seed_run[0]


@pytest.fixture(scope="session")
def seeded_city_postgres(postgres_server: str, shared_dir: Path) -> Iterator[Engine]:
    """An engine on a PostgreSQL + PostGIS warehouse seeded at city scale with seed 0.

    It lives in its own database next to the session's ``postgres_server`` one, because
    other tests migrate that database up and down.
    """
    url = make_url(postgres_server)
    name = f"{url.database}_seeded_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        migrate.upgrade(engine)
        seed_warehouse(engine, scale="city", seed=SEED, shared_dir=shared_dir)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def warehouse(migrated_engine: Engine) -> Engine:
    """A migrated warehouse (both engines) with seven domains, one ward and two schools."""
    with transaction(migrated_engine) as session:
        session.add_all(
            DataDomain(
                id=domain,
                slug=f"domain{domain}",
                name_vi=f"Lĩnh vực {domain}",
                name_en=f"Domain {domain}",
                supervising_units="GDTiH",
                refresh_days=365,
                source_system="x",
            )
            for domain in range(1, 8)
        )
        session.add_all(
            [
                AdminUnit(
                    id="OW26734",
                    code="26734",
                    kind="old_ward",
                    name="Phường Tân Định",
                    source="test",
                ),
                AdminUnit(
                    id="W26734", code="26734", kind="ward", name="Phường Tân Định", source="test"
                ),
            ]
        )
        session.flush()
        session.add_all(
            Institution(
                code=code,
                name=name,
                kind="school",
                level="primary",
                ownership="public",
                ward_id="W26734",
                old_ward_id="OW26734",
                source="test",
            )
            for code, name in (("79-TH-001", "Trường Tiểu học A"), (FORMULA, "Trường B"))
        )
    return migrated_engine


#: An institution code that a spreadsheet would run as a formula if written as it is.
FORMULA = '=HYPERLINK("http://x")'


def _square(west: float, south: float, east: float, north: float) -> MultiPolygon:
    return MultiPolygon([box(west, south, east, north)])


#: Where the mapped warehouse's wards lie (lon/lat): old Tân Định with a boundary, old Đa Kao
#: without one, both merged into the 2025 ward Tân Định; the 2025 ward Sài Gòn beside it.
TAN_DINH_OLD = (106.68, 10.78, 106.70, 10.80)
TAN_DINH_2025 = (106.68, 10.78, 106.72, 10.80)
SAI_GON_2025 = (106.72, 10.78, 106.74, 10.80)


@pytest.fixture
def mapped_warehouse(warehouse: Engine) -> Engine:
    """``warehouse`` (both engines) with ward boundaries, validity dates and the crosswalk,
    for the registry: 26734 is old Tân Định until 30 June 2025 and the 2025 ward Tân Định
    from 1 July 2025 (which absorbed old 26737, Đa Kao, known without a boundary); 26740
    is the 2025 ward Sài Gòn. Both schools stand in old Tân Định."""
    with transaction(warehouse) as session:
        old = session.get(AdminUnit, "OW26734")
        old.valid_to = MERGER_DATE - timedelta(days=1)
        old.geom = _square(*TAN_DINH_OLD)
        new = session.get(AdminUnit, "W26734")
        new.valid_from = MERGER_DATE
        new.geom = _square(*TAN_DINH_2025)
        session.add_all(
            [
                AdminUnit(
                    id="OW26737",
                    code="26737",
                    kind="old_ward",
                    name="Phường Đa Kao",
                    valid_to=MERGER_DATE - timedelta(days=1),
                    source="test",
                ),
                AdminUnit(
                    id="W26740",
                    code="26740",
                    kind="ward",
                    name="Phường Sài Gòn",
                    valid_from=MERGER_DATE,
                    geom=_square(*SAI_GON_2025),
                    source="test",
                ),
            ]
        )
        session.flush()
        session.add_all(
            UnitCrosswalk(
                old_unit_id=old_id,
                new_unit_id="W26734",
                partly_merged=False,
                weight=1.0,
                source="test",
            )
            for old_id in ("OW26734", "OW26737")
        )
        for code, lon in (("79-TH-001", 106.69), (FORMULA, 106.695)):
            school = session.query(Institution).filter_by(code=code).one()
            school.lon, school.lat = lon, 10.79
            school.geom = Point(lon, 10.79)
    return warehouse
