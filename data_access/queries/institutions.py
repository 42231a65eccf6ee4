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
from sqlalchemy import Connection, Engine, and_, case, func, select

from data_access.models import (
    OLD_DISTRICT,
    WARD_2025,
    AdminUnit,
    AdmissionCutoff,
    DataSource,
    DxAssessment,
    FactEnrolment,
    FactFacility,
    FactNonPublic,
    FactStaff,
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
#: Institution fields a visitor may see (the details panel and ``/api/v1/institutions/<id>``).
PUBLIC_INSTITUTION_FIELDS: tuple[str, ...] = (
    "id",
    "code",
    "name",
    "kind",
    "level",
    "grade_from",
    "grade_to",
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
    "programmes",
    "opened_year",
    "licence_issued",
    "licence_valid_until",
    "licence_status",
    "generated",
    "source",
)
_INSTITUTION_COLUMNS = (
    "id",
    "code",
    "name",
    "kind",
    "level",
    "grade_from",
    "grade_to",
    "ownership",
    "address",
    "ward_id",
    "old_ward_id",
    "lon",
    "lat",
    "programmes",
    "opened_year",
    "licence_issued",
    "licence_valid_until",
    "licence_status",
    "generated",
    "source",
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
    with _connect(connection) as conn:
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
    with _connect(connection) as conn:
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
        units = _units(conn)
        crosswalk = pd.DataFrame(
            conn.execute(select(UnitCrosswalk.old_unit_id, UnitCrosswalk.new_unit_id)).all(),
            columns=["old_unit_id", "new_unit_id"],
        )
    return _with_units(frame, units, crosswalk)


def _units(conn: Connection) -> pd.DataFrame:
    rows = conn.execute(
        select(AdminUnit.id, AdminUnit.name, AdminUnit.kind, AdminUnit.parent_id)
    ).all()
    return pd.DataFrame(rows, columns=["id", "name", "kind", "parent_id"]).set_index("id")


def _with_units(frame: pd.DataFrame, units: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
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
    with _connect(connection) as conn:
        rows = conn.execute(query).all()
    return [{"value": r.id, "label": r.name} for r in sorted(rows, key=lambda r: _sort_key(r.name))]


def old_district_options(connection: Connection | Engine) -> list[dict[str, str]]:
    """Old districts (before 2025) as ``{"value": id, "label": name}``, by name."""
    query = select(AdminUnit.id, AdminUnit.name).where(AdminUnit.kind == OLD_DISTRICT)
    with _connect(connection) as conn:
        rows = conn.execute(query).all()
    return [{"value": r.id, "label": r.name} for r in sorted(rows, key=lambda r: _sort_key(r.name))]


def ward_shapes(connection: Connection | Engine) -> pd.DataFrame:
    """The 2025 wards with a geometry: columns ``id, name, geom`` (shapely)."""
    query = (
        select(AdminUnit.id, AdminUnit.name, AdminUnit.geom)
        .where(AdminUnit.kind == WARD_2025, AdminUnit.geom.is_not(None))
        .order_by(AdminUnit.id)
    )
    with _connect(connection) as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(rows, columns=["id", "name", "geom"])


def institution_details(
    connection: Connection | Engine, institution_id: int
) -> dict[str, Any] | None:
    """Everything the public details panel shows about one open institution.

    Returns
    -------
    dict or None
        ``institution`` (:data:`PUBLIC_INSTITUTION_FIELDS`), ``enrolment`` (latest year:
        pupils, classes, average class size), ``staff`` (teachers), ``facility`` (summary),
        ``activity`` (a centre's learners and courses, latest year), ``dx`` (level of the
        latest published assessment) and ``cutoffs`` (grade-10 history with its source); None
        when there is no such open institution.
    """
    i = Institution
    columns = [getattr(i, c) for c in _INSTITUTION_COLUMNS]
    query = select(*columns).where(i.id == int(institution_id), i.closed_year.is_(None))
    with _connect(connection) as conn:
        row = conn.execute(query).mappings().first()
        if row is None:
            return None
        record = dict(row)
        units = _units(conn)
        crosswalk = pd.DataFrame(
            conn.execute(
                select(UnitCrosswalk.old_unit_id, UnitCrosswalk.new_unit_id).where(
                    UnitCrosswalk.new_unit_id == record["ward_id"]
                )
            ).all(),
            columns=["old_unit_id", "new_unit_id"],
        )
        located = _with_units(pd.DataFrame([{**record, "ward_name": None}]), units, crosswalk)
        for column in ("ward_name", "old_ward_name", "old_district_id", "old_district_name"):
            value = located.at[0, column]
            record[column] = None if pd.isna(value) else value
        details = {
            "institution": {f: record.get(f) for f in PUBLIC_INSTITUTION_FIELDS},
            "enrolment": _enrolment(conn, institution_id),
            "staff": _latest(conn, FactStaff, institution_id, ("teachers",)),
            "facility": _latest(
                conn,
                FactFacility,
                institution_id,
                (
                    "classrooms",
                    "functional_rooms",
                    "computer_rooms",
                    "computers",
                    "smart_classrooms",
                    "internet_mbps",
                ),
            ),
            "activity": _latest(conn, FactNonPublic, institution_id, ("learners", "courses")),
            "dx": _dx_level(conn, institution_id),
            "cutoffs": _cutoffs(conn, institution_id),
        }
    return details


def _latest(
    conn: Connection, model: Any, institution_id: int, fields: tuple[str, ...]
) -> dict[str, Any] | None:
    latest = (
        select(func.max(model.school_year))
        .where(model.institution_id == institution_id)
        .scalar_subquery()
    )
    query = select(model.school_year, model.generated, *[getattr(model, f) for f in fields]).where(
        model.institution_id == institution_id, model.school_year == latest
    )
    row = conn.execute(query).mappings().first()
    return None if row is None else dict(row)


def _enrolment(conn: Connection, institution_id: int) -> dict[str, Any] | None:
    e = FactEnrolment
    latest = (
        select(func.max(e.school_year)).where(e.institution_id == institution_id).scalar_subquery()
    )
    query = (
        select(
            e.school_year,
            func.sum(e.pupils).label("pupils"),
            func.sum(e.classes).label("classes"),
            func.max(case((e.generated, 1), else_=0)).label("generated"),
        )
        .where(e.institution_id == institution_id, e.school_year == latest)
        .group_by(e.school_year)
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        return None
    pupils, classes = int(row["pupils"] or 0), int(row["classes"] or 0)
    return {
        "school_year": int(row["school_year"]),
        "pupils": pupils,
        "classes": classes,
        "class_size": round(pupils / classes, 1) if classes else None,
        "generated": bool(row["generated"]),
    }


def _dx_level(conn: Connection, institution_id: int) -> dict[str, Any] | None:
    d = DxAssessment
    query = (
        select(d.school_year, d.level, d.published_on, d.generated)
        .where(
            d.institution_id == institution_id, d.published_on.is_not(None), d.level.is_not(None)
        )
        .order_by(d.school_year.desc())
        .limit(1)
    )
    row = conn.execute(query).mappings().first()
    return None if row is None else dict(row)


def _cutoffs(conn: Connection, institution_id: int) -> list[dict[str, Any]]:
    """Cut-off history with its source, named by the data-source register when listed there."""
    a = AdmissionCutoff
    query = (
        select(
            a.year,
            a.nv1,
            a.nv2,
            a.nv3,
            a.score_scale_max,
            a.name_as_published,
            a.source,
            DataSource.title.label("source_title"),
        )
        .outerjoin(DataSource, DataSource.key == a.source)
        .where(a.institution_id == institution_id)
        .order_by(a.year)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def open_institution_ids(connection: Connection | Engine, ids: list[int]) -> list[int]:
    """The subset of ``ids`` that are open institutions (for validating client input)."""
    if not ids:
        return []
    query = select(Institution.id).where(
        and_(Institution.id.in_(ids), Institution.closed_year.is_(None))
    )
    with _connect(connection) as conn:
        return sorted(int(v) for v in conn.execute(query).scalars())


@contextmanager
def _connect(connectable: Connection | Engine) -> Iterator[Connection]:
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
