"""Alembic environment: migrates the engine passed in ``config.attributes['engine']``."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Engine

from data_access.db import make_engine
from data_access.models import Base

target_metadata = Base.metadata


def _include_object(obj, name, type_, reflected, compare_to):
    # PostGIS owns these; autogenerate must never try to drop them.
    return not (type_ == "table" and name in {"spatial_ref_sys"})


def run_migrations_online() -> None:
    """Run the migrations in one transaction on the configured engine."""
    engine: Engine | None = context.config.attributes.get("engine")
    if engine is None:
        engine = make_engine(os.environ.get("DATABASE_URL", "sqlite:///instance/ioc.sqlite"))
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_object=_include_object,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()


run_migrations_online()
