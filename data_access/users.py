"""User accounts: creation with strong password hashes, lookup, disabling, listing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from data_access.db import transaction
from data_access.models import ROLES, ApiToken, PlanUnit, User, UserUnit

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 10
# Compared against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class UserError(ValueError):
    """A user-management request that cannot be done, with the reason."""


@dataclass(frozen=True)
class Account:
    """A user as the application sees it (never the password hash)."""

    id: int
    username: str
    role: str
    units: tuple[str, ...]
    active: bool
    created_at: datetime
    last_login_at: datetime | None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def create_user(
    engine: Engine, username: str, password: str, *, role: str, units: tuple[str, ...] = ()
) -> Account:
    """Create an active user; the password is stored as a scrypt hash.

    Raises
    ------
    UserError
        Bad username, weak password, unknown role or unit, or an existing username.
    """
    if not USERNAME.match(username):
        raise UserError(
            f"username {username!r}: use 3-64 lower-case letters, digits, '.', '_' or '-'"
        )
    if role not in ROLES:
        raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if role == "department" and not units:
        raise UserError("a department user needs at least one --unit (e.g. --unit GDTrH)")
    if role != "department" and units:
        raise UserError(f"only department users belong to units, not role {role!r}")
    with transaction(engine) as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise UserError(f"user {username!r} exists already")
        known = set(session.scalars(select(PlanUnit.code)))
        unknown = [code for code in units if code not in known]
        if unknown:
            raise UserError(f"unknown unit(s) {', '.join(unknown)}; see plan_2023/units.csv")
        user = User(
            username=username,
            password_hash=generate_password_hash(password, method="scrypt"),
            role=role,
            active=True,
            created_at=_now(),
        )
        session.add(user)
        session.flush()
        session.add_all(UserUnit(user_id=user.id, unit_code=code) for code in units)
        return Account(user.id, username, role, tuple(units), True, user.created_at, None)


def authenticate(engine: Engine, username: str, password: str) -> Account | None:
    """The active account whose password matches, or None (also records the sign-in)."""
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            check_password_hash(_DUMMY_HASH, password)
            return None
        if not check_password_hash(user.password_hash, password) or not user.active:
            return None
        user.last_login_at = _now()
    return get_account(engine, user.id)


def get_account(engine: Engine, user_id: int) -> Account | None:
    """The account with ``user_id`` if it exists and is active."""
    with transaction(engine) as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            return None
        units = tuple(
            session.scalars(select(UserUnit.unit_code).where(UserUnit.user_id == user.id))
        )
        return Account(
            user.id,
            user.username,
            user.role,
            units,
            user.active,
            user.created_at,
            user.last_login_at,
        )


def disable_user(engine: Engine, username: str) -> None:
    """Disable a user: they can no longer sign in and their sessions stop working."""
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise UserError(f"no user {username!r}")
        user.active = False


def list_users(engine: Engine) -> list[Account]:
    """Every user, active or not, by username."""
    with transaction(engine) as session:
        users = session.scalars(select(User).order_by(User.username)).all()
        units: dict[int, list[str]] = {}
        for user_id, code in session.execute(select(UserUnit.user_id, UserUnit.unit_code)):
            units.setdefault(user_id, []).append(code)
        return [
            Account(
                u.id,
                u.username,
                u.role,
                tuple(sorted(units.get(u.id, []))),
                u.active,
                u.created_at,
                u.last_login_at,
            )
            for u in users
        ]


def delete_demo_users(engine: Engine, usernames: list[str]) -> None:
    """Remove the given (demo) users, and their API tokens, so they can be created afresh."""
    with transaction(engine) as session:
        ids = list(session.scalars(select(User.id).where(User.username.in_(usernames))))
        session.execute(delete(UserUnit).where(UserUnit.user_id.in_(ids)))
        session.execute(delete(ApiToken).where(ApiToken.user_id.in_(ids)))
        session.execute(delete(User).where(User.id.in_(ids)))


def set_password(engine: Engine, username: str, password: str) -> int:
    """Give ``username`` a new password (scrypt hash); returns the user's id.

    The caller ends the user's sessions (see ``ioc_app.core.sessions``): a new password
    signs the user out everywhere.

    Raises
    ------
    UserError
        Unknown user or a weak password.
    """
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise UserError(f"no user {username!r}")
        user.password_hash = generate_password_hash(password, method="scrypt")
        return user.id


def user_id_of(engine: Engine, username: str) -> int:
    """The id of ``username`` (active or not); UserError when there is no such user."""
    with engine.connect() as connection:
        found = connection.execute(select(User.id).where(User.username == username)).first()
    if found is None:
        raise UserError(f"no user {username!r}")
    return int(found[0])
