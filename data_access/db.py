"""Engines and sessions for the warehouse, on SQLite (embedded) or PostgreSQL + PostGIS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine for ``url``; SQLite gets WAL, foreign keys and its folder created.

    Parameters
    ----------
    url
        A SQLAlchemy URL: ``sqlite:///path`` or ``postgresql+psycopg2://…``.
    **options
        Passed to :func:`sqlalchemy.create_engine`. JSON columns are written compactly, with
        Vietnamese kept as UTF-8 rather than ``\\u`` escapes (report versions are a third
        of the city warehouse, see :mod:`data_access.generator.school_reports`).
    """
    options.setdefault("json_serializer", compact_json)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, **options)


def compact_json(value: Any) -> str:
    """``value`` as JSON without spaces or ASCII escapes."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine`` (objects stay usable after commit)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    with session_factory(engine)() as session, session.begin():
        yield session


def is_postgres(engine: Engine) -> bool:
    """Whether ``engine`` talks to PostgreSQL (and so PostGIS is available)."""
    return engine.dialect.name == "postgresql"
