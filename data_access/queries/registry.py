"""Reference reads for the control room: domains, units and their shapes, the crosswalk,
the institution registry, and the version of the data (for cache keys)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import mapping
from sqlalchemy import Connection, Engine, func, select

from data_access.models import (
    AdminUnit,
    DataDomain,
    IngestionBatch,
    Institution,
    PlanUnit,
    UnitCrosswalk,
)

INSTITUTION_COLUMNS = (
    "id",
    "code",
    "name",
    "kind",
    "level",
    "ownership",
    "address",
    "ward_id",
    "old_ward_id",
    "lon",
    "lat",
    "opened_year",
    "closed_year",
    "licence_no",
    "licence_issued",
    "licence_valid_until",
    "licence_status",
    "generated",
)


@contextmanager
def connect(bind: Engine | Connection) -> Iterator[Connection]:
    """A connection from an engine (closed after), or the given connection itself."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as connection:
        yield connection


def frame_of(bind: Engine | Connection, query: Any, columns: list[str]) -> pd.DataFrame:
    """Run ``query`` and return its rows as a DataFrame with ``columns``.

    Rows become plain tuples first: pandas probes SQLAlchemy rows attribute by attribute,
    which costs more than the query itself on large results.
    """
    with connect(bind) as connection:
        rows = connection.execute(query).fetchall()  # one fetch, not one call per row
    return pd.DataFrame.from_records([tuple(row) for row in rows], columns=columns)


_frame = frame_of


def data_version(bind: Engine | Connection) -> str:
    """A key that changes whenever data is ingested: latest batch id and finish time.

    Parameters
    ----------
    bind
        An engine or a connection.

    Returns
    -------
    str
        ``"<max id>@<max finished_at>"`` over the ingestion batches (``"0@"`` when none).
    """
    query = select(
        func.max(IngestionBatch.id),
        func.max(IngestionBatch.finished_at),
        func.count(IngestionBatch.id),
    )
    with connect(bind) as connection:
        top, finished, count = connection.execute(query).one()
    return f"{top or 0}@{finished or ''}#{count}"


def domains(bind: Engine | Connection) -> pd.DataFrame:
    """The data domains with their supervising units as a tuple of codes.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, slug, name_vi, name_en, supervising_units, refresh_days,
        source_system`` ordered by id.
    """
    columns = [
        "id",
        "slug",
        "name_vi",
        "name_en",
        "supervising_units",
        "refresh_days",
        "source_system",
    ]
    query = select(*(getattr(DataDomain, c) for c in columns)).order_by(DataDomain.id)
    frame = _frame(bind, query, columns)
    frame["supervising_units"] = frame["supervising_units"].map(
        lambda text: tuple(code.strip() for code in (text or "").split(";") if code.strip())
    )
    return frame


def plan_unit_names(bind: Engine | Connection) -> dict[str, tuple[str, str]]:
    """Unit code → (Vietnamese name, English name) for every unit of the Department."""
    frame = _frame(
        bind,
        select(PlanUnit.code, PlanUnit.name_vi, PlanUnit.name_en),
        ["code", "name_vi", "name_en"],
    )
    return {row.code: (row.name_vi, row.name_en) for row in frame.itertuples()}


def units(bind: Engine | Connection, kind: str | None = None) -> pd.DataFrame:
    """Administrative units (of one ``kind`` when given), without their shapes.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, code, kind, name, name_en, parent_id, centroid_lon, centroid_lat``.
    """
    columns = ["id", "code", "kind", "name", "name_en", "parent_id", "centroid_lon", "centroid_lat"]
    query = select(*(getattr(AdminUnit, c) for c in columns)).order_by(AdminUnit.id)
    if kind is not None:
        query = query.where(AdminUnit.kind == kind)
    return _frame(bind, query, columns)


def unit_features(
    bind: Engine | Connection,
    kind: str,
    *,
    tolerance: float = 0.0002,
    unit_ids: list[str] | None = None,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the units of ``kind`` that have a shape.

    Parameters
    ----------
    bind
        An engine or a connection.
    kind
        ``ward`` (2025), ``old_ward``, ``old_district``…
    tolerance
        Simplification in degrees (about 20 m by default); 0 keeps every vertex.
    unit_ids
        Only these units (all of the kind when None).

    Returns
    -------
    dict
        Features with ``id`` = unit id and properties ``id, code, name, name_en``;
        coordinates rounded to 5 decimals (about 1 m).
    """
    query = select(
        AdminUnit.id, AdminUnit.code, AdminUnit.name, AdminUnit.name_en, AdminUnit.geom
    ).where(AdminUnit.kind == kind, AdminUnit.geom.is_not(None))
    if unit_ids is not None:
        query = query.where(AdminUnit.id.in_(unit_ids))
    with connect(bind) as connection:
        rows = connection.execute(query.order_by(AdminUnit.id)).all()
    features = []
    for row in rows:
        shape = row.geom
        if tolerance:
            shape = shapely.simplify(shape, tolerance, preserve_topology=True)
        shape = shapely.set_precision(shape, 1e-5)
        features.append(
            {
                "type": "Feature",
                "id": row.id,
                "properties": {
                    "id": row.id,
                    "code": row.code,
                    "name": row.name,
                    "name_en": row.name_en,
                },
                "geometry": mapping(shape),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def crosswalk(bind: Engine | Connection) -> pd.DataFrame:
    """The old unit → 2025 ward crosswalk (``old_unit_id, new_unit_id, partly_merged,
    weight``)."""
    columns = ["old_unit_id", "new_unit_id", "partly_merged", "weight"]
    query = select(*(getattr(UnitCrosswalk, c) for c in columns)).order_by(UnitCrosswalk.id)
    return _frame(bind, query, columns)


def parents(bind: Engine | Connection, kind: str) -> pd.Series:
    """Unit id → parent unit id for the units of ``kind`` (e.g. old ward → old district)."""
    frame = _frame(
        bind,
        select(AdminUnit.id, AdminUnit.parent_id).where(
            AdminUnit.kind == kind, AdminUnit.parent_id.is_not(None)
        ),
        ["id", "parent_id"],
    )
    return frame.set_index("id")["parent_id"]


def _city_wards() -> Any:
    """SQL: ids of the 2025 wards (the city; other provinces are units of another kind)."""
    return select(AdminUnit.id).where(AdminUnit.kind == "ward")


def institutions(
    bind: Engine | Connection,
    *,
    ward_id: str | None = None,
    institution_id: int | None = None,
    kinds: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Institutions of the city's registry (all, of one 2025 ward, one id, or some kinds).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`INSTITUTION_COLUMNS`, ordered by name.
    """
    query = select(*(getattr(Institution, c) for c in INSTITUTION_COLUMNS)).where(
        Institution.ward_id.in_(_city_wards())
    )
    if ward_id is not None:
        query = query.where(Institution.ward_id == ward_id)
    if institution_id is not None:
        query = query.where(Institution.id == institution_id)
    if kinds is not None:
        query = query.where(Institution.kind.in_(kinds))
    return _frame(bind, query.order_by(Institution.name, Institution.id), list(INSTITUTION_COLUMNS))


def institution_keys(bind: Engine | Connection) -> pd.DataFrame:
    """The few registry columns the KPIs need, for every institution of the city.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, kind, ward_id, opened_year, closed_year``.
    """
    columns = ["id", "kind", "ward_id", "opened_year", "closed_year"]
    return frame_of(
        bind,
        select(*(getattr(Institution, c) for c in columns)).where(
            Institution.ward_id.in_(_city_wards())
        ),
        columns,
    )


def school_points(bind: Engine | Connection, *, ward_code: str | None = None) -> dict[str, Any]:
    """GeoJSON points of the located institutions (of one 2025 ward, by code, when given).

    Returns
    -------
    dict
        A FeatureCollection; properties ``id, name, kind, level``; coordinates rounded to 6
        decimals.
    """
    query = select(
        Institution.id,
        Institution.name,
        Institution.kind,
        Institution.level,
        Institution.lon,
        Institution.lat,
    ).where(
        Institution.lon.is_not(None),
        Institution.lat.is_not(None),
        Institution.ward_id.in_(_city_wards()),
    )
    if ward_code is not None:
        query = query.join(AdminUnit, AdminUnit.id == Institution.ward_id).where(
            AdminUnit.code == ward_code, AdminUnit.kind == "ward"
        )
    with connect(bind) as connection:
        rows = connection.execute(query.order_by(Institution.id)).all()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row.id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(row.lon, 6), round(row.lat, 6)],
                },
                "properties": {
                    "id": row.id,
                    "name": row.name,
                    "kind": row.kind,
                    "level": row.level,
                },
            }
            for row in rows
        ],
    }
