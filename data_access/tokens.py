"""API tokens: creation (shown once, stored as SHA-256), verification, listing, revocation.

A token is ``ioc_`` followed by 32 random bytes in URL-safe base64. Only its SHA-256 is kept,
so a leaked database does not leak usable tokens; the lookup hashes the presented token and
finds the row by equality on the unique (indexed) hash, so no secret is compared byte by
byte in Python.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from data_access.db import transaction
from data_access.models import ApiToken, User
from data_access.users import Account, UserError, get_account

PREFIX = "ioc_"
MAX_NAME = 80
#: Longer bearer values are refused before hashing (a real token has 47 characters).
MAX_TOKEN = 200


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself."""

    id: int
    username: str
    name: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def digest(token: str) -> str:
    """The hex SHA-256 of ``token`` (what the database stores)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(engine: Engine, username: str, name: str) -> tuple[TokenInfo, str]:
    """Create a token for ``username`` labelled ``name``.

    Returns
    -------
    tuple
        The stored token's :class:`TokenInfo` and the token itself, which is not kept and
        cannot be shown again.

    Raises
    ------
    UserError
        Unknown or disabled user, or an empty or too long name.
    """
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise UserError(f"the token name must have 1-{MAX_NAME} characters")
    token = PREFIX + secrets.token_urlsafe(32)
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise UserError(f"no user {username!r}")
        if not user.active:
            raise UserError(f"user {username!r} is disabled")
        row = ApiToken(
            user_id=user.id,
            name=name,
            token_sha256=digest(token),
            created_at=_now(),
            revoked_at=None,
        )
        session.add(row)
        session.flush()
        return TokenInfo(row.id, username, name, row.created_at, None), token


def verify_token(engine: Engine, token: str) -> Account | None:
    """The active account owning ``token`` if the token is known and not revoked, else None."""
    if not token.startswith(PREFIX) or len(token) > MAX_TOKEN:
        return None
    with transaction(engine) as session:
        user_id = session.scalar(
            select(ApiToken.user_id).where(
                ApiToken.token_sha256 == digest(token), ApiToken.revoked_at.is_(None)
            )
        )
    # get_account answers None for a disabled user, so their tokens stop working too.
    return None if user_id is None else get_account(engine, user_id)


def list_tokens(engine: Engine, username: str | None = None) -> list[TokenInfo]:
    """Every token (of ``username`` when given), oldest first.

    Raises
    ------
    UserError
        ``username`` is given and unknown.
    """
    with transaction(engine) as session:
        query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
        if username is not None:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                raise UserError(f"no user {username!r}")
            query = query.where(User.username == username)
        rows = session.execute(query.order_by(ApiToken.id)).all()
        return [TokenInfo(t.id, name, t.name, t.created_at, t.revoked_at) for t, name in rows]


def revoke_token(engine: Engine, token_id: int) -> TokenInfo:
    """Revoke the token with ``token_id`` (revoking twice keeps the first date).

    Raises
    ------
    UserError
        No token has this id.
    """
    with transaction(engine) as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise UserError(f"no API token with id {token_id}")
        row.revoked_at = row.revoked_at or _now()
        username = session.scalar(select(User.username).where(User.id == row.user_id))
        return TokenInfo(row.id, username or "?", row.name, row.created_at, row.revoked_at)
