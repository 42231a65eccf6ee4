"""Small reads around the quarterly reports: their version (for caches), ward names, flags."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, select

from data_access.models import WARD_2025, AdminUnit, QuarterlyReport, ReportVersion
from data_access.queries.registry import connect


def reports_version(bind: Engine | Connection) -> str:
    """A key that changes whenever a quarterly report is added, saved, submitted or returned.

    Every save, submission, reopening and return adds a ``report_version`` row, and a new
    report adds a ``quarterly_report`` row: the two largest ids change with any of them and
    are read from the primary keys' indexes (no scan of the hundreds of thousands of rows).

    Returns
    -------
    str
        ``"<max report id>:<max version id>"``.
    """
    query = select(
        select(func.max(QuarterlyReport.id)).scalar_subquery(),
        select(func.max(ReportVersion.id)).scalar_subquery(),
    )
    with connect(bind) as connection:
        reports, versions = connection.execute(query).one()
    return f"{reports or 0}:{versions or 0}"


def ward_names(bind: Engine | Connection) -> dict[str, str]:
    """2025 ward code → its name."""
    query = select(AdminUnit.code, AdminUnit.name).where(AdminUnit.kind == WARD_2025)
    with connect(bind) as connection:
        return {code: name for code, name in connection.execute(query)}


def generated_in(bind: Engine | Connection, quarter: str) -> bool:
    """Whether any report of ``quarter`` is generated (the seeded history)."""
    query = select(QuarterlyReport.id).where(
        QuarterlyReport.quarter == quarter, QuarterlyReport.generated.is_(True)
    )
    with connect(bind) as connection:
        return connection.execute(query.limit(1)).first() is not None
