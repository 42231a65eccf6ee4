"""Migrations run on SQLite and on PostgreSQL + PostGIS: up from empty, down, up again."""

from __future__ import annotations

import shapely
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from data_access import migrate
from data_access.db import transaction
from data_access.models import AdminUnit, Base, Institution


def test_upgrade_downgrade_upgrade(empty_engine: Engine) -> None:
    assert migrate.current_revision(empty_engine) is None
    migrate.upgrade(empty_engine)
    assert migrate.is_current(empty_engine)
    tables = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    migrate.downgrade(empty_engine)
    assert migrate.current_revision(empty_engine) is None
    assert not set(Base.metadata.tables) & set(inspect(empty_engine).get_table_names())
    migrate.upgrade(empty_engine)
    assert migrate.is_current(empty_engine)


def test_migrations_match_the_models(migrated_engine: Engine) -> None:
    """The migration scripts create exactly what the models declare (no drift)."""
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": _not_postgis_table}
        )
        diff = compare_metadata(context, Base.metadata)
    assert [d for d in diff if not _is_geometry_noise(d)] == []


def test_geometry_round_trip(migrated_engine: Engine) -> None:
    polygon = shapely.MultiPolygon([shapely.box(106.6, 10.7, 106.7, 10.8)])
    with transaction(migrated_engine) as session:
        session.add(
            AdminUnit(
                id="W1", code="1", kind="ward", name="Phường Một", source="test", geom=polygon
            )
        )
        session.add(
            Institution(
                code="I1",
                name="Trường <b>Một</b>",
                kind="school",
                ownership="public",
                ward_id="W1",
                lon=106.65,
                lat=10.75,
                geom=shapely.Point(106.65, 10.75),
                source="test",
            )
        )
    with transaction(migrated_engine) as session:
        unit = session.get(AdminUnit, "W1")
        assert unit is not None and unit.geom.equals(polygon)
        school = session.scalars(select(Institution)).one()
        assert school.geom.within(unit.geom)
        assert school.name == "Trường <b>Một</b>"
    if migrated_engine.dialect.name == "postgresql":
        with migrated_engine.connect() as connection:
            inside = connection.execute(
                text("SELECT ST_Contains(u.geom, i.geom) FROM admin_unit u, institution i")
            ).scalar()
            srid = connection.execute(text("SELECT ST_SRID(geom) FROM institution")).scalar()
        assert inside is True and srid == 4326


def _not_postgis_table(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name == "spatial_ref_sys")


def _is_geometry_noise(diff: object) -> bool:
    # On PostGIS the GiST indexes live in the migration only (see 0001).
    text_diff = str(diff)
    return "ix_admin_unit_geom" in text_diff or "ix_institution_geom" in text_diff
