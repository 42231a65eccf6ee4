"""API tokens: creation (shown once, stored as SHA-256), verification, listing, revocation.

A token is ``ioc_`` followed by 32 random bytes in URL-safe base64. Only its SHA-256 is kept,
so a leaked database does not leak usable tokens; the lookup hashes the presented token and
finds the row by equality on the unique (indexed) hash, so no secret is compared byte by
byte in Python.

A token may be narrower than its user (never wider): limited to some data domains (slugs)
and some 2025 wards (codes), read-only unless it may write quarterly reports, and refused
after its expiry. :class:`TokenScope` is what a verified token carries; the API intersects
it with the user's current rights on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_access.db import transaction
from data_access.models import WARD_2025, AdminUnit, ApiToken, ApiTokenScope, DataDomain, User
from data_access.users import Account, UserError, get_account

PREFIX = "ioc_"
MAX_NAME = 80
#: Longer bearer values are refused before hashing (a real token has 47 characters).
MAX_TOKEN = 200
DOMAIN, WARD = "domain", "ward"
#: Roles that may write quarterly reports through the API (``plan_api.REPORTERS``).
REPORT_WRITERS = frozenset({"leadership", "department", "school", "admin"})
#: Roles that read data domains: all of them, or (department) those their units supervise.
ALL_DOMAINS = frozenset({"leadership", "admin"})


@dataclass(frozen=True)
class TokenScope:
    """What a token is limited to; ``None`` for domains or wards means "as its user"."""

    domains: frozenset[str] | None = None
    wards: frozenset[str] | None = None
    write_reports: bool = False
    expires_at: datetime | None = None

    def allows_domain(self, slug: str) -> bool:
        return self.domains is None or slug in self.domains

    def allows_ward(self, code: str) -> bool:
        return self.wards is None or code in self.wards

    def describe(self) -> str:
        """The scope in words, for listings and the audit log."""
        parts = [
            f"domains={','.join(sorted(self.domains))}" if self.domains is not None else "",
            f"wards={','.join(sorted(self.wards))}" if self.wards is not None else "",
            "write-reports" if self.write_reports else "read-only",
            f"expires={self.expires_at:%Y-%m-%d}" if self.expires_at else "",
        ]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself."""

    id: int
    username: str
    name: str
    created_at: datetime
    revoked_at: datetime | None
    scope: TokenScope = field(default_factory=TokenScope)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def expired(self) -> bool:
        return self.scope.expires_at is not None and self.scope.expires_at <= _now()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def digest(token: str) -> str:
    """The hex SHA-256 of ``token`` (what the database stores)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    engine: Engine,
    username: str,
    name: str,
    *,
    domains: Iterable[str] = (),
    wards: Iterable[str] = (),
    write_reports: bool = False,
    expires: date | None = None,
) -> tuple[TokenInfo, str]:
    """Create a token for ``username`` labelled ``name``, limited to ``domains`` (slugs) and
    ``wards`` (2025 ward codes) when given, read-only unless ``write_reports``, refused from
    ``expires`` on (00:00 UTC of that day).

    Returns
    -------
    tuple
        The stored token's :class:`TokenInfo` and the token itself, which is not kept and
        cannot be shown again.

    Raises
    ------
    UserError
        Unknown or disabled user, an empty or too long name, an unknown domain or ward, an
        expiry not in the future, or a scope wider than the user (the message names it).
    """
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise UserError(f"the token name must have 1-{MAX_NAME} characters")
    wanted_domains, wanted_wards = sorted(set(domains)), sorted(set(wards))
    expires_at = None
    if expires is not None:
        expires_at = datetime(expires.year, expires.month, expires.day)
        if expires_at <= _now():
            raise UserError(f"the expiry {expires:%Y-%m-%d} is not in the future")
    token = PREFIX + secrets.token_urlsafe(32)
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise UserError(f"no user {username!r}")
        if not user.active:
            raise UserError(f"user {username!r} is disabled")
        account = get_account(engine, user.id)
        assert account is not None  # active, checked above
        _check_width(session, account, wanted_domains, wanted_wards, write_reports)
        row = ApiToken(
            user_id=user.id,
            name=name,
            token_sha256=digest(token),
            created_at=_now(),
            revoked_at=None,
            expires_at=expires_at,
            write_reports=write_reports,
        )
        session.add(row)
        session.flush()
        session.add_all(
            ApiTokenScope(token_id=row.id, kind=kind, value=value)
            for kind, values in ((DOMAIN, wanted_domains), (WARD, wanted_wards))
            for value in values
        )
        scope = TokenScope(
            frozenset(wanted_domains) if wanted_domains else None,
            frozenset(wanted_wards) if wanted_wards else None,
            write_reports,
            expires_at,
        )
        return TokenInfo(row.id, username, name, row.created_at, None, scope), token


def readable_domains(session: Session, account: Account) -> set[str]:
    """The slugs of the domains ``account`` may read (the rule of
    ``Principal.may_read_units``: leadership and admin all, a department its units')."""
    rows = session.execute(select(DataDomain.slug, DataDomain.supervising_units)).all()
    if account.role in ALL_DOMAINS:
        return {slug for slug, _ in rows}
    if account.role != "department":
        return set()
    units = set(account.units)
    return {slug for slug, text in rows if units & {c.strip() for c in (text or "").split(";")}}


def _check_width(
    session: Session,
    account: Account,
    domains: list[str],
    wards: list[str],
    write_reports: bool,
) -> None:
    """UserError naming any scope the user does not have (or that does not exist)."""
    known = set(session.scalars(select(DataDomain.slug)))
    unknown = [slug for slug in domains if slug not in known]
    if unknown:
        raise UserError(f"unknown data domain(s) {', '.join(unknown)}")
    wider = [slug for slug in domains if slug not in readable_domains(session, account)]
    if wider:
        raise UserError(
            f"the token would be wider than {account.username} ({account.role}): "
            f"domain {', '.join(wider)} is not readable by the user"
        )
    known_wards = set(
        session.scalars(
            select(AdminUnit.code).where(AdminUnit.kind == WARD_2025, AdminUnit.code.in_(wards))
        )
    )
    missing = [code for code in wards if code not in known_wards]
    if missing:
        raise UserError(f"unknown 2025 ward code(s) {', '.join(missing)}")
    if write_reports and account.role not in REPORT_WRITERS:
        raise UserError(
            f"the token would be wider than {account.username} ({account.role}): "
            "write-reports, and the user may not write reports"
        )


def verify_token(engine: Engine, token: str) -> Account | None:
    """The active account owning ``token`` if the token is known, unrevoked and unexpired."""
    found = verify_scoped(engine, token)
    return None if found is None else found[0]


def verify_scoped(engine: Engine, token: str) -> tuple[Account, TokenScope] | None:
    """The active account owning ``token`` and the token's scope, or None when the token is
    unknown, revoked or expired, or its user is disabled."""
    if not token.startswith(PREFIX) or len(token) > MAX_TOKEN:
        return None
    with transaction(engine) as session:
        row = session.scalar(
            select(ApiToken).where(
                ApiToken.token_sha256 == digest(token), ApiToken.revoked_at.is_(None)
            )
        )
        if row is None or (row.expires_at is not None and row.expires_at <= _now()):
            return None
        user_id, scope = row.user_id, _scopes(session, [row])[row.id]
    # get_account answers None for a disabled user, so their tokens stop working too.
    account = get_account(engine, user_id)
    return None if account is None else (account, scope)


def _scopes(session: Session, rows: list[ApiToken]) -> dict[int, TokenScope]:
    """Each token's :class:`TokenScope`, by token id."""
    values: dict[tuple[int, str], set[str]] = {}
    ids = [row.id for row in rows]
    for token_id, kind, value in session.execute(
        select(ApiTokenScope.token_id, ApiTokenScope.kind, ApiTokenScope.value).where(
            ApiTokenScope.token_id.in_(ids)
        )
    ):
        values.setdefault((token_id, kind), set()).add(value)

    def limit(token_id: int, kind: str) -> frozenset[str] | None:
        found = values.get((token_id, kind))
        return frozenset(found) if found else None

    return {
        row.id: TokenScope(
            limit(row.id, DOMAIN), limit(row.id, WARD), bool(row.write_reports), row.expires_at
        )
        for row in rows
    }


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
        scopes = _scopes(session, [t for t, _ in rows])
        return [
            TokenInfo(t.id, name, t.name, t.created_at, t.revoked_at, scopes[t.id])
            for t, name in rows
        ]


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
        scope = _scopes(session, [row])[row.id]
        return TokenInfo(row.id, username or "?", row.name, row.created_at, row.revoked_at, scope)
