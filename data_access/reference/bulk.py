"""Fast bulk writes on both engines: Core executemany, SQLite executemany, PostgreSQL COPY.

The one place the code talks to the PostgreSQL driver itself is :func:`_copy_csv`: SQLAlchemy
has no public COPY API, and its public executemany (``insert()`` batched by
"insertmanyvalues") made ``seed --scale city`` on PostgreSQL about 1.9× slower overall and
the bulk writes about 5× slower (measured December 2026; an ``unnest(arrays)`` INSERT was 3×
slower). Any other driver takes that public path, so psycopg2 stays a speed-up, not a
requirement.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, insert, text
from sqlalchemy.schema import AddConstraint, DropConstraint, ForeignKeyConstraint

from data_access.models import Base

CHUNK = 5_000


def table_of(model_or_table: Any) -> Table:
    """The Core table of a mapped class (or the table itself)."""
    return model_or_table if isinstance(model_or_table, Table) else model_or_table.__table__


def insert_records(conn: Connection, model: Any, records: Sequence[dict[str, Any]]) -> int:
    """Insert ``records`` with Core ``insert()`` executemany (typed: dates, geometry).

    Parameters
    ----------
    conn
        A connection inside the seeding transaction.
    model
        A mapped class or a Core table.
    records
        One dict per row; every dict must have the same keys.

    Returns
    -------
    int
        The number of rows written.
    """
    table = table_of(model)
    for start in range(0, len(records), CHUNK):
        conn.execute(insert(table), list(records[start : start + CHUNK]))
    return len(records)


def _column_values(series: pd.Series) -> list[Any]:
    """A column as plain Python values, missing values as None."""
    kind = series.dtype.kind if isinstance(series.dtype, np.dtype) else ""
    if kind in "iub" and kind:
        return series.tolist()
    values = series.astype(object)
    return values.where(series.notna(), None).tolist()


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of plain Python values (NaN/NA → None)."""
    columns = {c: _column_values(frame[c]) for c in frame.columns}
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def insert_frame(conn: Connection, model: Any, frame: pd.DataFrame) -> int:
    """Insert a frame of plain values (numbers, text, booleans) as fast as the engine allows.

    PostgreSQL gets ``COPY … FROM STDIN (FORMAT csv)``; SQLite gets the driver's
    ``executemany``. Columns must be named like the table's; dates and geometry are not
    supported here (use :func:`insert_records`).

    Parameters
    ----------
    conn
        A connection inside the seeding transaction.
    model
        A mapped class or a Core table.
    frame
        The rows; missing values (NaN/None) are written as NULL.

    Returns
    -------
    int
        The number of rows written.
    """
    if frame.empty:
        return 0
    table = table_of(model)
    columns = list(frame.columns)
    unknown = set(columns) - set(table.columns.keys())
    if unknown:
        raise ValueError(f"{table.name} has no columns {sorted(unknown)}")
    if conn.dialect.name == "postgresql":
        if conn.dialect.driver == "psycopg2":
            _copy_csv(conn, table, frame)
        else:
            _insert_core(conn, table, frame)
        return len(frame)
    quoted = ", ".join(f'"{c}"' for c in columns)
    rows = list(zip(*(_column_values(frame[c]) for c in columns), strict=True))
    marks = ", ".join("?" for _ in columns)
    sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
    for start in range(0, len(rows), 50_000):
        conn.exec_driver_sql(sql, rows[start : start + 50_000])
    return len(frame)


def _copy_csv(conn: Connection, table: Table, frame: pd.DataFrame) -> None:
    """``COPY … FROM STDIN (FORMAT csv)`` through psycopg2's ``copy_expert`` (see the module
    docstring for why this driver call is kept)."""
    quoted = ", ".join(f'"{c}"' for c in frame.columns)
    buffer = io.StringIO()
    frame.to_csv(buffer, header=False, index=False, na_rep="")
    buffer.seek(0)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.copy_expert(f'COPY "{table.name}" ({quoted}) FROM STDIN WITH (FORMAT csv)', buffer)
    finally:
        cursor.close()


def _insert_core(conn: Connection, table: Table, frame: pd.DataFrame) -> None:
    """The driver-neutral path: SQLAlchemy's public ``insert()`` executemany."""
    records = frame_records(frame)
    for start in range(0, len(records), CHUNK):
        conn.execute(insert(table), records[start : start + CHUNK])


@contextmanager
def bulk_load(conn: Connection, models: Iterable[Any]) -> Iterator[None]:
    """Drop the secondary indexes (and, on PostgreSQL, the foreign keys) of ``models``
    while the block runs, then re-create them: the standard bulk-load technique.

    Everything happens inside the caller's transaction, so a failure rolls the DDL back
    too. Re-adding a foreign key validates every row at once, so integrity is still checked.
    """
    tables = [table_of(m) for m in models]
    postgres = conn.dialect.name == "postgresql"
    indexes = [index for table in tables for index in sorted(table.indexes, key=str)]
    fks = [c for t in tables for c in t.constraints if isinstance(c, ForeignKeyConstraint)]
    for index in indexes:
        index.drop(conn)
    if postgres:
        for fk in fks:
            conn.execute(DropConstraint(fk))
    yield
    if postgres:
        for fk in fks:
            conn.execute(AddConstraint(fk))
    for index in indexes:
        index.create(conn)


def reset_sequences(conn: Connection) -> None:
    """On PostgreSQL, move every serial id sequence past the ids written explicitly."""
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].type.python_type is not int:
            continue
        name = table.name
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', '{pk[0].name}'), "
                f'COALESCE((SELECT MAX("{pk[0].name}") FROM "{name}"), 0) + 1, false)'
            )
        )
