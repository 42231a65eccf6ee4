"""Server-side sessions and sign-in throttling (the security review's findings 6 and 10)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base


class UserSession(Base):
    """One signed-in browser session; the cookie carries a random id, only its hash is here.

    A session works while it is neither revoked nor expired: logging out revokes it, and
    disabling a user or changing a password revokes every session of that user.
    """

    __tablename__ = "user_session"

    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))


class LoginThrottle(Base):
    """Failed sign-ins per submitted username (existing or not, so nothing is revealed)."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
