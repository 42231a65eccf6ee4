"""Reading and pruning the audit log, for administrators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, Select, delete, func, select

from data_access.db import transaction
from data_access.models import AuditLog

AUDIT_COLUMNS = ["id", "at", "username", "role", "action", "target", "detail", "ip"]


@dataclass(frozen=True)
class AuditFilter:
    """What to look for: exact user and action, part of the target, a time range (UTC,
    ``since`` included, ``until`` excluded); empty fields do not filter."""

    username: str = ""
    action: str = ""
    target: str = ""
    since: datetime | None = None
    until: datetime | None = None

    def apply(self, query: Select) -> Select:
        """``query`` limited to the rows this filter matches."""
        if self.username:
            query = query.where(AuditLog.username == self.username)
        if self.action:
            query = query.where(AuditLog.action == self.action)
        if self.target:
            # contains, literally: % and _ typed by the admin are not wildcards
            query = query.where(AuditLog.target.contains(self.target, autoescape=True))
        if self.since is not None:
            query = query.where(AuditLog.at >= self.since)
        if self.until is not None:
            query = query.where(AuditLog.at < self.until)
        return query


def search_audit(
    engine: Engine, where: AuditFilter, *, offset: int = 0, limit: int | None = 50
) -> tuple[pd.DataFrame, int]:
    """One page of the audit rows matching ``where``, newest first, and how many match.

    Parameters
    ----------
    engine
        The warehouse.
    where
        The filter.
    offset, limit
        The page: rows ``offset`` to ``offset + limit``; ``limit=None`` for every row (an
        export).

    Returns
    -------
    tuple
        A frame with :data:`AUDIT_COLUMNS` and the number of matching rows.
    """
    columns = [getattr(AuditLog, c) for c in AUDIT_COLUMNS]
    query = where.apply(select(*columns)).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    query = query.offset(max(offset, 0))
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as connection:
        total = connection.execute(
            where.apply(select(func.count()).select_from(AuditLog))
        ).scalar_one()
        rows = connection.execute(query).all()
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS), int(total)


def audit_actions(engine: Engine) -> list[str]:
    """The distinct actions in the log (the filter's choices)."""
    with engine.connect() as connection:
        return list(
            connection.execute(select(AuditLog.action).distinct().order_by(AuditLog.action))
            .scalars()
            .all()
        )


def prune_audit(engine: Engine, days: int, *, now: datetime | None = None) -> int:
    """Delete the audit rows older than ``days`` days; returns how many were deleted.

    Raises
    ------
    ValueError
        ``days`` is negative.
    """
    if days < 0:
        raise ValueError("the retention must be 0 days or more")
    now = now or datetime.now(UTC).replace(tzinfo=None)
    with transaction(engine) as session:
        result = session.execute(delete(AuditLog).where(AuditLog.at < now - timedelta(days=days)))
        return int(result.rowcount or 0)
