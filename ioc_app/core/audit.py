"""Writing the audit log: who read or exported what, from where."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import insert

from data_access.models import AuditLog
from ioc_app.core.guard import principal
from ioc_app.core.warehouse import engine


def record(action: str, target: str, detail: str | None = None) -> None:
    """Append one audit entry for the current caller (``action``: read, export, login…)."""
    who = principal()
    ip = None
    if has_request_context():
        # remote_addr is the client as the trusted proxies (IOC_TRUSTED_PROXIES, ProxyFix)
        # report it; a client's own X-Forwarded-For header is never believed.
        ip = request.remote_addr
    with engine().begin() as connection:
        connection.execute(
            insert(AuditLog).values(
                at=datetime.now(UTC).replace(tzinfo=None),
                username=who.username or "anonymous",
                role=who.label,
                action=action,
                target=target[:200],
                detail=detail,
                ip=(ip or "")[:64] or None,
            )
        )
