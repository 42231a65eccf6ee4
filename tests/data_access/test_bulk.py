"""insert_frame on PostgreSQL: the psycopg2 COPY path and the driver-neutral insert() path
write the same rows (NULLs, booleans, text with commas, quotes and newlines)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    select,
)

from data_access.reference import bulk

FRAME = pd.DataFrame(
    {
        "id": [1, 2, 3],
        "score": [1.5, np.nan, -0.25],
        "label": ['Thủ Đức, "A"', None, "line\nbreak"],
        "flag": [True, False, True],
    }
)


@pytest.fixture
def pg_probe(postgres_server: str) -> Iterator[tuple[Engine, Table]]:
    """A throwaway table in the session's PostgreSQL database."""
    engine = create_engine(postgres_server)
    table = Table(
        f"bulk_probe_{uuid.uuid4().hex[:6]}",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("score", Float),
        Column("label", String(40)),
        Column("flag", Boolean),
    )
    table.create(engine)
    yield engine, table
    table.drop(engine)
    engine.dispose()


def _rows(engine: Engine, table: Table) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(table).order_by(table.c.id))]


EXPECTED = [(1, 1.5, 'Thủ Đức, "A"', True), (2, None, None, False), (3, -0.25, "line\nbreak", True)]


@pytest.mark.postgres
@pytest.mark.parametrize("path", ["_copy_csv", "_insert_core"])
def test_both_postgres_paths_write_the_same_rows(pg_probe, path: str) -> None:
    engine, table = pg_probe
    with engine.begin() as conn:
        getattr(bulk, path)(conn, table, FRAME)
    assert _rows(engine, table) == EXPECTED


@pytest.mark.postgres
def test_psycopg2_takes_the_copy_path(pg_probe, monkeypatch) -> None:
    engine, table = pg_probe
    used: list[str] = []
    monkeypatch.setattr(bulk, "_insert_core", lambda *a: used.append("core"))
    monkeypatch.setattr(bulk, "_copy_csv", lambda *a: used.append("copy"))
    with engine.begin() as conn:
        assert bulk.insert_frame(conn, table, FRAME) == 3
    assert used == ["copy"]
