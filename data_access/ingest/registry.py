"""The ``institutions`` dataset: the EDUGIS registry, one row per institution, keyed by code.

A row names its ward by the national code valid on the row's date (``as_of``): a 2025 ward's
code from 1 July 2025, an old ward's before. A code that did not exist on that day is refused,
and so are coordinates outside that ward's boundary (the polygons in ``admin_unit``; an old
ward the warehouse has no polygon for is checked against the 2025 wards it was merged into).
The row is stored with both wards: the one it names, and the other found by the point (the
2025 ward whose polygon holds it; for a new institution, the old ward holding it, if any).

A file adds institutions and updates those it names; it never removes one (the registry is
not replaced by a partial list). Fields the format does not carry (grades, programmes, years
of operation) are left as they are, and so is ``generated``: correcting the address of a
generated school does not make its invented figures real. A new institution is stored as
not generated, with ``source`` saying it came from a file. Names are stored as written, a
formula too (as text, never run); ``export`` writes them neutralised.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import shapely
from sqlalchemy import Connection, Engine, Table, select

from data_access.ingest.datasets import DATASETS, INSTITUTIONS
from data_access.ingest.ledger import Changes, apply_rows
from data_access.ingest.validate import MAX_ERRORS, Problem, converted, header_problems
from data_access.models import MERGER_DATE, AdminUnit, Institution, UnitCrosswalk
from data_access.models.geography import OLD_WARD, WARD_2025

#: ``Institution.code`` is at most this long.
CODE_MAX = 24
#: Fields the file carries besides the ward and the point.
FIELDS = ("name", "kind", "level", "ownership", "address", "licence_no")
FIELDS += ("licence_issued", "licence_valid_until", "licence_status")
SOURCE = "ingest: institutions file"


def _row(index: Any) -> int:
    return int(index) + 2


class Wards:
    """The wards and old wards with their validity, boundaries and crosswalk."""

    def __init__(self, bind: Engine | Connection) -> None:
        a, c = AdminUnit, UnitCrosswalk
        units = select(a.id, a.code, a.kind, a.name, a.valid_from, a.valid_to, a.geom).where(
            a.kind.in_([WARD_2025, OLD_WARD])
        )
        links = select(c.old_unit_id, c.new_unit_id)
        if isinstance(bind, Engine):
            with bind.connect() as connection:
                rows, pairs = connection.execute(units).all(), connection.execute(links).all()
        else:
            rows, pairs = bind.execute(units).all(), bind.execute(links).all()
        self.units = {r.id: r for r in rows}
        self.by_code = {(r.kind, r.code): r for r in rows}
        self.shapes = {r.id: r.geom for r in rows if r.geom is not None}
        for shape in self.shapes.values():
            shapely.prepare(shape)
        self.merged_into: dict[str, list[str]] = {}
        self.merged_from: dict[str, list[str]] = {}
        for old, new in pairs:
            self.merged_into.setdefault(old, []).append(new)
            self.merged_from.setdefault(new, []).append(old)

    def on(self, code: str, day: date) -> tuple[Any, str | None]:
        """The ward with national ``code`` on ``day``, or None and why not."""
        kind = WARD_2025 if day >= MERGER_DATE else OLD_WARD
        unit = self.by_code.get((kind, code))
        era = "2025 wards" if kind == WARD_2025 else "wards before 1 July 2025"
        if unit is None:
            other = WARD_2025 if kind == OLD_WARD else OLD_WARD
            hint = ""
            if (other, code) in self.by_code:
                hint = (
                    f" (it is the code of {self.by_code[(other, code)].name}, "
                    f"{'a 2025 ward' if other == WARD_2025 else 'a ward before 1 July 2025'})"
                )
            return None, f"ward code {code!r} is not one of the {era} on {day}{hint}"
        if (unit.valid_from and day < unit.valid_from) or (unit.valid_to and day > unit.valid_to):
            span = f"{unit.valid_from or '…'} to {unit.valid_to or '…'}"
            return None, f"ward {code} ({unit.name}) did not exist on {day}: valid {span}"
        return unit, None

    def boundary(self, unit: Any) -> Any:
        """The ward's polygon; for an old ward without one, the 2025 wards it went into."""
        if unit.id in self.shapes:
            return self.shapes[unit.id]
        parts = [self.shapes[n] for n in self.merged_into.get(unit.id, []) if n in self.shapes]
        if not parts:
            return None
        union = shapely.union_all(parts)
        shapely.prepare(union)
        self.shapes[unit.id] = union
        return union

    def holding(self, point: Any, kind: str, among: list[str] | None = None) -> str | None:
        """The id of a ``kind`` unit whose polygon holds ``point``: among the ``among`` ids
        when given, else among every unit of that kind."""
        if among is None:
            among = [i for i, u in self.units.items() if u.kind == kind]
        for ident in among:
            unit = self.units.get(ident)
            shape = self.shapes.get(ident)
            if unit is not None and unit.kind == kind and shape is not None and shape.covers(point):
                return ident
        return None


def check_file(engine: Engine, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """The ``checker`` hook of ``institutions``: columns and values as every dataset's, then
    codes, duplicates, the ward on each row's date and the point inside that ward."""
    dataset = DATASETS[INSTITUTIONS]
    problems = header_problems(dataset, raw)
    if any(p.message == "column is missing" for p in problems):
        return raw.iloc[0:0], problems
    frame = converted(dataset.columns, raw, problems)
    bad_rows = {p.row for p in problems}
    for index, code in frame["code"].items():
        if len(code) > CODE_MAX:
            message = f"must be at most {CODE_MAX} characters"
            problems.append(Problem(_row(index), "code", message, code))
    first: dict[str, int] = {}
    for index, code in frame["code"].items():
        if code in first:
            message = f"duplicates row {first[code]}: code {code!r} is given twice"
            problems.append(Problem(_row(index), "code", message, code))
        first.setdefault(code, _row(index))
    wards = Wards(engine)
    placed = [
        _place(wards, index, row, problems)
        for index, row in frame.iterrows()
        if _row(index) not in bad_rows
    ]
    if problems:
        return frame, problems[:MAX_ERRORS]
    places = pd.DataFrame(placed, columns=["index", "ward_id", "old_ward_id", "old_named"])
    return frame.join(places.set_index("index")), problems


def _place(wards: Wards, index: Any, row: pd.Series, problems: list[Problem]) -> tuple:
    """(index, 2025 ward, old ward, whether the row named the old ward) of a row."""
    unit, reason = wards.on(row["ward_code"], row["as_of"])
    if unit is None:
        problems.append(Problem(_row(index), "ward_code", str(reason), row["ward_code"]))
        return index, None, None, False
    point = shapely.Point(row["longitude"], row["latitude"])
    shape = wards.boundary(unit)
    where = f"({row['latitude']}, {row['longitude']})"
    if shape is None:
        message = f"ward {unit.code} ({unit.name}) has no boundary to check {where} against"
        problems.append(Problem(_row(index), "latitude", message))
        return index, None, None, False
    if not shape.covers(point):
        km = shape.distance(point) * 111  # degrees to km, near enough to say how far
        message = (
            f"the point {where} (latitude, longitude) is outside the boundary of ward "
            f"{unit.code} ({unit.name}), about {km:.1f} km away"
        )
        problems.append(Problem(_row(index), "latitude", message, f"{row['latitude']}"))
        return index, None, None, False
    if unit.kind == WARD_2025:
        old = wards.holding(point, OLD_WARD, wards.merged_from.get(unit.id, []))
        return index, unit.id, old, False
    new = wards.holding(point, WARD_2025, wards.merged_into.get(unit.id))
    new = new or wards.holding(point, WARD_2025)
    if new is None:
        message = f"the point {where} lies in no 2025 ward"
        problems.append(Problem(_row(index), "latitude", message))
    return index, new, unit.id, True


def _value(value: Any) -> Any:
    """A cell as stored: empty and NaN become NULL."""
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def write(
    connection: Connection, frame: pd.DataFrame, batch_id: int, username: str
) -> tuple[Table, list[str], Changes]:
    """The ``writer`` hook of ``institutions``: add new institutions, update those named.

    Equal rows are left alone, and no institution is removed; the ledger keeps the codes of
    the new ones and the whole rows of the updated ones, so that an undo deletes the first and
    restores the second exactly. ``batch_id`` and ``username`` are not stored (the registry
    has no batch column; the batch itself records who loaded it).
    """
    table = Institution.__table__
    codes = [str(c) for c in frame["code"]]
    stored: list[dict[str, Any]] = []
    for start in range(0, len(codes), 500):
        query = select(table).where(table.c.code.in_(codes[start : start + 500]))
        stored += [dict(r) for r in connection.execute(query).mappings()]
    known = {row["code"] for row in stored}
    rows = []
    for record in frame.to_dict("records"):
        values = {"code": record["code"], **{f: _value(record[f]) for f in FIELDS}}
        lon, lat = float(record["longitude"]), float(record["latitude"])
        values |= {"lon": lon, "lat": lat, "geom": shapely.Point(lon, lat)}
        values["ward_id"] = record["ward_id"]
        if record["code"] not in known:
            values |= {"old_ward_id": _value(record["old_ward_id"]), "generated": False}
            values["source"] = SOURCE
        elif record["old_named"]:
            values["old_ward_id"] = record["old_ward_id"]
        rows.append(values)
    changes = apply_rows(
        connection, table, ["code"], rows, stored, batch_id=None, remove_missing=False
    )
    return table, ["code"], changes


def export_frame(engine: Engine, school_year: int | None = None) -> pd.DataFrame:
    """Every institution in the load format, dated today, with its 2025 ward's code
    (``school_year`` does not apply: the registry is not yearly)."""
    i = Institution
    query = (
        select(
            i.code,
            i.name,
            i.kind,
            i.level,
            i.ownership,
            i.address,
            AdminUnit.code,
            i.lat,
            i.lon,
            i.licence_no,
            i.licence_issued,
            i.licence_valid_until,
            i.licence_status,
        )
        .join(AdminUnit, AdminUnit.id == i.ward_id)
        .order_by(i.code)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    columns = [*FIELDS[:5], "ward_code", "latitude", "longitude", *FIELDS[5:]]
    frame = pd.DataFrame(rows, columns=["code", *columns])
    frame["as_of"] = max(datetime.now(UTC).date(), MERGER_DATE).isoformat()
    for column in ("licence_issued", "licence_valid_until"):
        frame[column] = frame[column].map(lambda d: d.isoformat() if d is not None else "")
    frame = frame[DATASETS[INSTITUTIONS].header].astype(object)
    return frame.where(frame.notna(), "")
