"""Writing the audit log: who read or exported what, from where."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from flask import has_request_context, request, session
from sqlalchemy import Engine, insert

from data_access.models import AuditLog
from ioc_app.core.guard import principal
from ioc_app.core.principal import Principal
from ioc_app.core.warehouse import engine

#: Where a session remembers when a repeated read was last written (see ``record_periodic``).
SEEN_KEY = "_audit_seen"


def describe(**filters: Any) -> str:
    """``key=value`` pairs of the filters a read used (empty ones left out), for ``detail``."""
    return " ".join(f"{k}={v}" for k, v in filters.items() if v not in (None, "", [], "all"))[:1000]


def record_periodic(
    action: str, target: str, detail: str | None = None, *, every_seconds: int = 3600
) -> bool:
    """Record a read that repeats by itself (the wall screen's refresh) once per session per
    ``every_seconds``; a bearer-token call has no session and is always recorded.

    The claim that a request is a refresh comes from the client and can be forged: a forged
    claim still leaves a row at least once an hour, never none.
    """
    if not has_request_context() or request.authorization is not None:
        record(action, target, detail)
        return True
    seen = dict(session.get(SEEN_KEY) or {})
    key = f"{action}:{target}"[:120]
    now = int(time.time())
    if now - int(seen.get(key, 0)) < every_seconds:
        return False
    seen[key] = now
    session[SEEN_KEY] = seen
    record(action, target, detail)
    return True


def record(action: str, target: str, detail: str | None = None) -> None:
    """Append one audit entry for the current caller (``action``: read, export, login…)."""
    # remote_addr is the client as the trusted proxies (IOC_TRUSTED_PROXIES, ProxyFix)
    # report it; a client's own X-Forwarded-For header is never believed.
    ip = request.remote_addr if has_request_context() else None
    write(engine(), principal(), action, target, detail, ip=ip)


def write(
    bind: Engine,
    who: Principal,
    action: str,
    target: str,
    detail: str | None = None,
    *,
    ip: str | None = None,
) -> None:
    """Append one audit entry for ``who`` (a background job has no request to take it from)."""
    with bind.begin() as connection:
        connection.execute(
            insert(AuditLog).values(
                at=datetime.now(UTC).replace(tzinfo=None),
                username=who.username or "anonymous",
                role=who.label,
                action=action,
                target=target[:200],
                detail=None if detail is None else detail[:1000],
                ip=(ip or "")[:64] or None,
            )
        )
