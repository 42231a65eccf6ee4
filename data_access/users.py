"""User accounts: creation with strong password hashes, lookup, disabling, listing."""

from __future__ import annotations

import csv
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from data_access.db import transaction
from data_access.models import (
    ROLES,
    ApiToken,
    ApiTokenScope,
    Institution,
    PlanUnit,
    User,
    UserUnit,
)

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
    institution_id: int | None = None
    must_change_password: bool = False


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def create_user(
    engine: Engine,
    username: str,
    password: str,
    *,
    role: str,
    units: tuple[str, ...] = (),
    institution_id: int | None = None,
    must_change_password: bool = False,
) -> Account:
    """Create an active user; the password is stored as a scrypt hash.

    Raises
    ------
    UserError
        Bad username, weak password, unknown role, unit or institution, units or an
        institution that do not fit the role, or an existing username.
    """
    _check_account(username, role, units, institution_id)
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    with transaction(engine) as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise UserError(f"user {username!r} exists already")
        _check_references(session, units, institution_id)
        return _add_user(
            session, username, password, role, units, institution_id, must_change_password
        )


def _check_account(
    username: str, role: str, units: tuple[str, ...], institution_id: int | None
) -> None:
    """What can be checked without the database; UserError saying what is wrong."""
    if not USERNAME.match(username):
        raise UserError(
            f"username {username!r}: use 3-64 lower-case letters, digits, '.', '_' or '-'"
        )
    if role not in ROLES:
        raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if role == "department" and not units:
        raise UserError("a department user needs at least one --unit (e.g. --unit GDTrH)")
    if role != "department" and units:
        raise UserError(f"only department users belong to units, not role {role!r}")
    if role == "school" and institution_id is None:
        raise UserError("a school user needs --institution ID (the institution it reports for)")
    if role != "school" and institution_id is not None:
        raise UserError(f"only school users have an institution, not role {role!r}")


def _check_references(session: Session, units: tuple[str, ...], institution_id: int | None) -> None:
    known = set(session.scalars(select(PlanUnit.code)))
    unknown = [code for code in units if code not in known]
    if unknown:
        raise UserError(f"unknown unit(s) {', '.join(unknown)}; see plan_2023/units.csv")
    if institution_id is not None and session.get(Institution, institution_id) is None:
        raise UserError(f"no institution with id {institution_id} in the warehouse")


def _add_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    units: tuple[str, ...],
    institution_id: int | None,
    must_change_password: bool,
) -> Account:
    user = User(
        username=username,
        password_hash=generate_password_hash(password, method="scrypt"),
        role=role,
        active=True,
        created_at=_now(),
        institution_id=institution_id,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    session.add_all(UserUnit(user_id=user.id, unit_code=code) for code in units)
    return Account(
        user.id,
        username,
        role,
        tuple(units),
        True,
        user.created_at,
        None,
        institution_id,
        must_change_password,
    )


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the accounts created with their one-time passwords, and the
    usernames that existed already (left as they were)."""

    created: list[tuple[Account, str]]
    existing: list[str]


IMPORT_COLUMNS = ("username", "role", "units", "institution")


def read_accounts(path: Path) -> list[dict[str, str]]:
    """The rows of an accounts CSV (columns username, role, units, institution).

    ``units`` holds unit codes separated by ``;`` (department users); ``institution`` the
    institution id (school users).

    Raises
    ------
    UserError
        Unreadable file or missing columns.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise UserError(f"{path}: missing column(s) {', '.join(missing)}")
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot be read ({exc})") from exc


def import_users(engine: Engine, rows: list[dict[str, str]]) -> ImportResult:
    """Create every account of ``rows`` with a random one-time password, or none at all.

    Every row is checked first (username, role, units, institution, duplicates within the
    file); one bad row stops the import before anything is written. Usernames that exist
    already are reported and left unchanged. New accounts must change their password.

    Raises
    ------
    UserError
        Naming the row (1 is the first data row, line 2 of the file) and the column.
    """
    parsed, seen = [], set()
    with transaction(engine) as session:
        existing_names = set(session.scalars(select(User.username)))
        for number, row in enumerate(rows, start=1):
            account = _parsed_row(session, number, row)
            if account[0] in seen:
                raise UserError(f"row {number}, column username: {account[0]!r} is given twice")
            seen.add(account[0])
            parsed.append(account)
        created, existing = [], []
        for username, role, units, institution in parsed:
            if username in existing_names:
                existing.append(username)
                continue
            password = secrets.token_urlsafe(12)
            account = _add_user(session, username, password, role, units, institution, True)
            created.append((account, password))
        return ImportResult(created, existing)


def _parsed_row(
    session: Session, number: int, row: dict[str, str]
) -> tuple[str, str, tuple[str, ...], int | None]:
    """One row checked column by column; UserError names the row and the column."""
    username, role = row.get("username", ""), row.get("role", "")
    units = tuple(code.strip() for code in row.get("units", "").split(";") if code.strip())
    text = row.get("institution", "")

    def bad(column: str, message: str) -> UserError:
        return UserError(f"row {number}, column {column}: {message}")

    if not USERNAME.match(username):
        raise bad("username", f"{username!r}: use 3-64 lower-case letters, digits, . _ or -")
    if role not in ROLES:
        raise bad("role", f"{role!r} is not one of {', '.join(ROLES)}")
    if (role == "department") != bool(units):
        raise bad("units", "department users need units (e.g. GDTrH;KHTC), others none")
    if text and not text.isdigit():
        raise bad("institution", f"{text!r} is not an institution id")
    institution = int(text) if text else None
    if (role == "school") != (institution is not None):
        raise bad("institution", "school users need an institution id, others none")
    for column, check in (("units", (units, None)), ("institution", ((), institution))):
        try:
            _check_references(session, *check)
        except UserError as exc:
            raise bad(column, str(exc)) from None
    return username, role, units, institution


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
            user.institution_id,
            user.must_change_password,
        )


def disable_user(engine: Engine, username: str) -> None:
    """Disable a user: they can no longer sign in and their sessions stop working."""
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise UserError(f"no user {username!r}")
        user.active = False


def update_user(
    engine: Engine,
    username: str,
    *,
    role: str,
    units: tuple[str, ...] = (),
    institution_id: int | None = None,
) -> Account:
    """Change a user's role, units and institution, checked as :func:`create_user` checks
    them.

    Raises
    ------
    UserError
        Unknown user, role, unit or institution, or units or an institution that do not fit
        the role.
    """
    _check_account(username, role, units, institution_id)
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise UserError(f"no user {username!r}")
        _check_references(session, units, institution_id)
        user.role = role
        user.institution_id = institution_id
        session.execute(delete(UserUnit).where(UserUnit.user_id == user.id))
        session.add_all(UserUnit(user_id=user.id, unit_code=code) for code in units)
        user_id = user.id
    return next(a for a in list_users(engine) if a.id == user_id)


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
                u.institution_id,
                u.must_change_password,
            )
            for u in users
        ]


def delete_demo_users(engine: Engine, usernames: list[str]) -> None:
    """Remove the given (demo) users, and their API tokens, so they can be created afresh."""
    with transaction(engine) as session:
        ids = list(session.scalars(select(User.id).where(User.username.in_(usernames))))
        session.execute(delete(UserUnit).where(UserUnit.user_id.in_(ids)))
        tokens = select(ApiToken.id).where(ApiToken.user_id.in_(ids))
        session.execute(delete(ApiTokenScope).where(ApiTokenScope.token_id.in_(tokens)))
        session.execute(delete(ApiToken).where(ApiToken.user_id.in_(ids)))
        session.execute(delete(User).where(User.id.in_(ids)))


def set_password(engine: Engine, username: str, password: str, *, must_change: bool = False) -> int:
    """Give ``username`` a new password (scrypt hash); returns the user's id.

    ``must_change`` makes it one-time: the user must choose their own at the next sign-in
    (an administrator's reset); a user's own change clears the flag.

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
        user.must_change_password = must_change
        return user.id


def user_id_of(engine: Engine, username: str) -> int:
    """The id of ``username`` (active or not); UserError when there is no such user."""
    with engine.connect() as connection:
        found = connection.execute(select(User.id).where(User.username == username)).first()
    if found is None:
        raise UserError(f"no user {username!r}")
    return int(found[0])
