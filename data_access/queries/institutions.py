"""The institution registry as the public sees it: map rows, details, options, ward shapes.

Only fields on the public allow-lists below ever leave this module; nothing here reads users,
pupils or audit data.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, and_, func, select

from data_access.models import (
    OLD_DISTRICT,
    WARD_2025,
    AdminUnit,
    IngestionBatch,
    Institution,
    UnitCrosswalk,
)

#: Columns of the registry frame used by the map, the search and the public API.
REGISTRY_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "kind",
    "level",
    "ownership",
    "address",
    "ward_id",
    "ward_name",
    "old_ward_id",
    "old_ward_name",
    "old_district_id",
    "old_district_name",
    "lon",
    "lat",
    "generated",
)


def registry_fingerprint(connection: Connection | Engine) -> str:
    """A short hash that changes whenever the open part of the registry changes.

    Count, highest id, a weighted checksum of the mapped text fields and coordinates, and the
    latest ingestion batch of an institutions dataset.

    Parameters
    ----------
    connection
        An engine or an open connection (SQLite or PostgreSQL).

    Returns
    -------
    str
        16 hexadecimal characters.
    """
    i = Institution
    text_sum = func.sum(
        (i.id % 997 + 1)
        * (
            func.length(i.name)
            + 3 * func.coalesce(func.length(i.address), 0)
            + 5 * func.length(i.kind)
            + 7 * func.coalesce(func.length(i.level), 0)
            + 11 * func.length(i.ownership)
            + 13 * func.length(i.ward_id)
            + 17 * func.coalesce(func.length(i.old_ward_id), 0)
            + func.coalesce(i.closed_year, 0)
        )
    )
    coord_sum = func.sum(func.round(func.coalesce(i.lon, 0) * 1e5 + func.coalesce(i.lat, 0) * 1e5))
    registry = select(func.count(), func.max(i.id), text_sum, coord_sum)
    batch = select(func.max(IngestionBatch.id)).where(IngestionBatch.dataset.like("institution%"))
    with connect_to(connection) as conn:
        values = [*conn.execute(registry).one(), conn.execute(batch).scalar()]
    digest = hashlib.sha256("|".join(_plain(v) for v in values).encode()).hexdigest()
    return digest[:16]


def registry_frame(connection: Connection | Engine) -> pd.DataFrame:
    """Every open institution with its 2025 ward, old ward and old district.

    The old district is the parent of ``old_ward_id``; when an institution has no old ward,
    it is resolved through the crosswalk: the old district every old ward feeding its 2025
    ward belonged to, when there is exactly one.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REGISTRY_COLUMNS`, ordered by id.
    """
    i = Institution
    query = (
        select(
            i.id,
            i.name,
            i.kind,
            i.level,
            i.ownership,
            i.address,
            i.ward_id,
            i.old_ward_id,
            i.lon,
            i.lat,
            i.generated,
        )
        .where(i.closed_year.is_(None))
        .order_by(i.id)
    )
    with connect_to(connection) as conn:
        frame = pd.DataFrame(
            conn.execute(query).all(),
            columns=[
                "id",
                "name",
                "kind",
                "level",
                "ownership",
                "address",
                "ward_id",
                "old_ward_id",
                "lon",
                "lat",
                "generated",
            ],
        )
        units = units_frame(conn)
        crosswalk = pd.DataFrame(
            conn.execute(select(UnitCrosswalk.old_unit_id, UnitCrosswalk.new_unit_id)).all(),
            columns=["old_unit_id", "new_unit_id"],
        )
    return with_units(frame, units, crosswalk)


def units_frame(conn: Connection) -> pd.DataFrame:
    rows = conn.execute(
        select(AdminUnit.id, AdminUnit.name, AdminUnit.kind, AdminUnit.parent_id)
    ).all()
    return pd.DataFrame(rows, columns=["id", "name", "kind", "parent_id"]).set_index("id")


def with_units(frame: pd.DataFrame, units: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Add ward, old ward and old district names (old district via the crosswalk if needed)."""
    names = units["name"]
    parent = units["parent_id"]
    frame["ward_name"] = frame["ward_id"].map(names)
    frame["old_ward_name"] = frame["old_ward_id"].map(names)
    district = frame["old_ward_id"].map(parent)
    if len(crosswalk):
        crosswalk = crosswalk.assign(district=crosswalk["old_unit_id"].map(parent))
        crosswalk = crosswalk[crosswalk["district"].map(units["kind"]) == OLD_DISTRICT]
        per_ward = crosswalk.groupby("new_unit_id")["district"].agg(
            lambda s: s.iloc[0] if s.nunique() == 1 else None
        )
        district = district.where(district.notna(), frame["ward_id"].map(per_ward))
    frame["old_district_id"] = district.astype(object).where(district.notna(), None)
    frame["old_district_name"] = frame["old_district_id"].map(names)
    for column in ("lon", "lat"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["generated"] = frame["generated"].astype(bool)
    return frame.loc[:, list(REGISTRY_COLUMNS)].reset_index(drop=True)


def ward_options(connection: Connection | Engine) -> list[dict[str, str]]:
    """The 2025 wards as ``{"value": id, "label": name}``, by name."""
    query = select(AdminUnit.id, AdminUnit.name).where(AdminUnit.kind == WARD_2025)
    with connect_to(connection) as conn:
        rows = conn.execute(query).all()
    return [{"value": r.id, "label": r.name} for r in sorted(rows, key=lambda r: _sort_key(r.name))]


def old_district_options(connection: Connection | Engine) -> list[dict[str, str]]:
    """Old districts (before 2025) as ``{"value": id, "label": name}``, by name."""
    query = select(AdminUnit.id, AdminUnit.name).where(AdminUnit.kind == OLD_DISTRICT)
    with connect_to(connection) as conn:
        rows = conn.execute(query).all()
    return [{"value": r.id, "label": r.name} for r in sorted(rows, key=lambda r: _sort_key(r.name))]


def ward_shapes(connection: Connection | Engine) -> pd.DataFrame:
    """The 2025 wards with a geometry: columns ``id, name, geom`` (shapely)."""
    query = (
        select(AdminUnit.id, AdminUnit.name, AdminUnit.geom)
        .where(AdminUnit.kind == WARD_2025, AdminUnit.geom.is_not(None))
        .order_by(AdminUnit.id)
    )
    with connect_to(connection) as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(rows, columns=["id", "name", "geom"])


def open_institution_ids(connection: Connection | Engine, ids: list[int]) -> list[int]:
    """The subset of ``ids`` that are open institutions (for validating client input)."""
    if not ids:
        return []
    query = select(Institution.id).where(
        and_(Institution.id.in_(ids), Institution.closed_year.is_(None))
    )
    with connect_to(connection) as conn:
        return sorted(int(v) for v in conn.execute(query).scalars())


@contextmanager
def connect_to(connectable: Connection | Engine) -> Iterator[Connection]:
    """Use a given connection as is, or open one from an engine for the block."""
    if isinstance(connectable, Connection):
        yield connectable
        return
    with connectable.connect() as connection:
        yield connection


def _plain(value: Any) -> str:
    if value is None:
        return "-"
    try:
        return repr(round(float(value), 3))
    except (TypeError, ValueError):
        return str(value)


_UNIT_TYPES = (
    "thanh pho ",
    "thi xa ",
    "thi tran ",
    "dac khu ",
    "phuong ",
    "huyen ",
    "quan ",
    "xa ",
)


def _sort_key(name: str) -> tuple[int, int, str]:
    """Order of units in a list: by name without its type word ("Phường", "Quận"…), numbered
    units first and in number order ("Quận 3" before "Quận 10")."""
    folded = "".join(
        c
        for c in unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
        if not unicodedata.combining(c)
    ).lower()
    bare = next((folded[len(t) :] for t in _UNIT_TYPES if folded.startswith(t)), folded)
    return (0, int(bare), folded) if bare.isdigit() else (1, 0, bare)
