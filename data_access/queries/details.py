"""One institution as the public sees it: the details panel and ``/api/v1/institutions/<id>``.

Only the fields on the allow-list below leave this module.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, case, func, select

from data_access.models import (
    AdmissionCutoff,
    DataSource,
    DxAssessment,
    FactEnrolment,
    FactFacility,
    FactNonPublic,
    FactStaff,
    Institution,
    UnitCrosswalk,
)
from data_access.queries.institutions import connect_to, units_frame, with_units

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
    with connect_to(connection) as conn:
        row = conn.execute(query).mappings().first()
        if row is None:
            return None
        record = dict(row)
        units = units_frame(conn)
        crosswalk = pd.DataFrame(
            conn.execute(
                select(UnitCrosswalk.old_unit_id, UnitCrosswalk.new_unit_id).where(
                    UnitCrosswalk.new_unit_id == record["ward_id"]
                )
            ).all(),
            columns=["old_unit_id", "new_unit_id"],
        )
        located = with_units(pd.DataFrame([{**record, "ward_name": None}]), units, crosswalk)
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
