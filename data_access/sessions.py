"""Server-side sessions and sign-in throttling, kept in the warehouse database.

The browser's cookie carries a random session id; only its SHA-256 is stored. A session works
while it is neither revoked nor expired. Failed sign-ins are counted per submitted username,
whether or not the account exists, so the throttle never tells which names are real.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select, update

from data_access.db import transaction
from data_access.models import LoginThrottle, UserSession

#: Failures allowed before any delay; then 1 s, 2 s, 4 s … between attempts (capped).
FREE_FAILURES = 3
MAX_DELAY_SECONDS = 60
#: Failures after which the name is locked, and for how long (an admin can unlock sooner).
LOCK_AFTER = 10
LOCK_MINUTES = 15


def now() -> datetime:
    """The current time in UTC, naive (as the columns store it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def digest(session_id: str) -> str:
    """The stored form of a session id."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def start_session(
    engine: Engine,
    session_id: str,
    user_id: int,
    *,
    lifetime: timedelta,
    ip: str | None = None,
    user_agent: str | None = None,
) -> None:
    """Record a new session of ``user_id`` (and prune sessions that expired a day ago)."""
    at = now()
    with transaction(engine) as session:
        session.execute(delete(UserSession).where(UserSession.expires_at < at - timedelta(days=1)))
        session.add(
            UserSession(
                id_sha256=digest(session_id),
                user_id=user_id,
                created_at=at,
                expires_at=at + lifetime,
                ip=(ip or "")[:64] or None,
                user_agent=(user_agent or "")[:200] or None,
            )
        )


def session_user(engine: Engine, session_id: str) -> int | None:
    """The user of a live session (not revoked, not expired), or None."""
    with engine.connect() as connection:
        row = connection.execute(
            select(UserSession.user_id).where(
                UserSession.id_sha256 == digest(session_id),
                UserSession.revoked_at.is_(None),
                UserSession.expires_at > now(),
            )
        ).first()
    return None if row is None else int(row[0])


def end_session(engine: Engine, session_id: str) -> None:
    """Revoke one session (sign-out)."""
    with transaction(engine) as session:
        session.execute(
            update(UserSession)
            .where(UserSession.id_sha256 == digest(session_id), UserSession.revoked_at.is_(None))
            .values(revoked_at=now())
        )


def end_user_sessions(engine: Engine, user_id: int) -> int:
    """Revoke every live session of ``user_id`` (disabled user, new password); how many."""
    with transaction(engine) as session:
        result = session.execute(
            update(UserSession)
            .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
            .values(revoked_at=now())
        )
        return int(result.rowcount or 0)


@dataclass(frozen=True)
class Throttle:
    """Whether a name may try to sign in now, and if not, for how many seconds."""

    allowed: bool
    retry_after: int = 0
    locked: bool = False


def throttle_key(username: str) -> str:
    """The key failures are counted under: the name as typed, lower-cased and trimmed."""
    return username.strip().lower()[:64] or "-"


def check_throttle(engine: Engine, username: str) -> Throttle:
    """May ``username`` try now? Locked names wait out the lock; others wait 2^(n−3) s."""
    with engine.connect() as connection:
        row = connection.execute(
            select(LoginThrottle).where(LoginThrottle.username == throttle_key(username))
        ).first()
    if row is None:
        return Throttle(True)
    at = now()
    if row.locked_until is not None and row.locked_until > at:
        return Throttle(False, int((row.locked_until - at).total_seconds()) + 1, locked=True)
    if row.failures < FREE_FAILURES or row.last_failure_at is None:
        return Throttle(True)
    delay = min(2 ** (row.failures - FREE_FAILURES), MAX_DELAY_SECONDS)
    wait = (row.last_failure_at + timedelta(seconds=delay) - at).total_seconds()
    return Throttle(True) if wait <= 0 else Throttle(False, int(wait) + 1)


def record_failure(engine: Engine, username: str) -> None:
    """Count one failed sign-in of ``username``; lock it after ``LOCK_AFTER`` failures."""
    key, at = throttle_key(username), now()
    with transaction(engine) as session:
        row = session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(username=key, failures=0)
            session.add(row)
        if row.locked_until is not None and row.locked_until <= at:
            row.failures, row.locked_until = 0, None  # a lock that ran out starts afresh
        row.failures += 1
        row.last_failure_at = at
        if row.failures >= LOCK_AFTER:
            row.locked_until = at + timedelta(minutes=LOCK_MINUTES)


def clear_failures(engine: Engine, username: str) -> bool:
    """Forget the failures of ``username`` (a good sign-in, or an admin's unlock)."""
    with transaction(engine) as session:
        result = session.execute(
            delete(LoginThrottle).where(LoginThrottle.username == throttle_key(username))
        )
        return bool(result.rowcount)
