"""The warehouse's own state: reachability, schema version, freshness, data sources."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, case, func, select, text

from data_access import migrate
from data_access.models import DOMAIN_FACTS, DataDomain, DataSource, IngestionBatch


def ping(engine: Engine) -> bool:
    """Whether the database answers a trivial query."""
    with engine.connect() as connection:
        return connection.execute(text("SELECT 1")).scalar() == 1


def freshness(engine: Engine, *, now: datetime | None = None) -> pd.DataFrame:
    """Last successful load per data domain and whether it is older than its refresh period.

    Returns
    -------
    pandas.DataFrame
        Columns ``domain_id, slug, name_vi, name_en, source_system, refresh_days, last_load,
        age_days, stale`` (one row per domain; ``last_load`` is NaT when never loaded).
    """
    now = now or datetime.now()
    last = (
        select(IngestionBatch.domain_id, func.max(IngestionBatch.finished_at).label("last_load"))
        .where(IngestionBatch.status == "done")
        .group_by(IngestionBatch.domain_id)
        .subquery()
    )
    query = (
        select(
            DataDomain.id.label("domain_id"),
            DataDomain.slug,
            DataDomain.name_vi,
            DataDomain.name_en,
            DataDomain.source_system,
            DataDomain.refresh_days,
            last.c.last_load,
        )
        .outerjoin(last, last.c.domain_id == DataDomain.id)
        .order_by(DataDomain.id)
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(
            connection.execute(query).mappings().all(),
            columns=[
                "domain_id",
                "slug",
                "name_vi",
                "name_en",
                "source_system",
                "refresh_days",
                "last_load",
            ],
        )
    frame["last_load"] = pd.to_datetime(frame["last_load"])
    frame["age_days"] = (now - frame["last_load"]).dt.days
    frame["stale"] = frame["last_load"].isna() | (frame["age_days"] > frame["refresh_days"])
    return frame


def data_sources(engine: Engine) -> pd.DataFrame:
    """Every registered data source, real ones first."""
    query = select(
        DataSource.key,
        DataSource.title,
        DataSource.origin,
        DataSource.licence,
        DataSource.generated,
        DataSource.rows,
        DataSource.loaded_at,
        DataSource.note,
    ).order_by(DataSource.generated, DataSource.key)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(
        rows,
        columns=["key", "title", "origin", "licence", "generated", "rows", "loaded_at", "note"],
    )


def generated_facts(engine: Engine, domain_id: int, year: int) -> tuple[int, int]:
    """How many of a domain's fact rows of school ``year`` there are, and how many are generated.

    Returns
    -------
    tuple of int
        ``(rows, generated rows)`` over every fact table of the domain.
    """
    rows = generated = 0
    with engine.connect() as connection:
        for model in DOMAIN_FACTS[domain_id]:
            total, made = connection.execute(
                select(
                    func.count(), func.coalesce(func.sum(case((model.generated, 1), else_=0)), 0)
                ).where(model.school_year == year)
            ).one()
            rows, generated = rows + int(total), generated + int(made)
    return rows, generated


def health(engine: Engine) -> dict[str, object]:
    """What ``/healthz`` reports: engine, reachability, schema version, data freshness."""
    report: dict[str, object] = {"engine": engine.dialect.name}
    try:
        report["database"] = "ok" if ping(engine) else "error"
        revision = migrate.current_revision(engine)
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure
        report.update(status="error", database="unreachable", error=type(exc).__name__)
        return report
    report["schema_version"] = revision
    report["schema_current"] = revision == migrate.head_revision()
    if not report["schema_current"]:
        report["status"] = "error"
        return report
    fresh = freshness(engine)
    report["freshness"] = [
        {
            "domain": row.slug,
            "last_load": None if pd.isna(row.last_load) else row.last_load.isoformat(),
            "age_days": None if pd.isna(row.age_days) else int(row.age_days),
            "stale": bool(row.stale),
        }
        for row in fresh.itertuples()
    ]
    report["status"] = "ok"
    return report
