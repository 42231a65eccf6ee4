"""Small reads around the quarterly reports: their version (for caches), ward names, flags."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, select

from data_access.models import WARD_2025, AdminUnit, QuarterlyReport, ReportVersion
from data_access.queries.registry import connect


def reports_version(bind: Engine | Connection) -> str:
    """A key that changes whenever a quarterly report is saved, submitted or returned.

    Every save adds a ``report_version`` row and stamps ``updated_at``; both are read, so a
    report written without a version (the generator's, a direct load) changes the key too.

    Returns
    -------
    str
        ``"<max version id>#<versions>@<latest updated_at>#<reports>"``.
    """
    versions = select(func.max(ReportVersion.id), func.count(ReportVersion.id))
    reports = select(func.max(QuarterlyReport.updated_at), func.count(QuarterlyReport.id))
    with connect(bind) as connection:
        top, count = connection.execute(versions).one()
        latest, rows = connection.execute(reports).one()
    return f"{top or 0}#{count}@{latest or ''}#{rows}"


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
