"""What an administrator does to accounts and API tokens, each change audited.

Dash-free: the /admin callbacks call these, and they share the checks of the command line
(``data_access.users``, ``data_access.tokens``). Every change ends with one audit row naming
the account or token; changes that take rights away end the user's sessions at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date

from data_access.sessions import clear_failures
from data_access.tokens import TokenInfo, create_token, revoke_token
from data_access.users import (
    Account,
    create_user,
    disable_user,
    set_password,
    update_user,
    user_id_of,
)
from ioc_app.core import audit, sessions
from ioc_app.core.warehouse import engine


def one_time_password() -> str:
    """A random password to hand over once (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


def _end_sessions(username: str) -> int:
    """End every live session of ``username`` (Redis or database, as this app keeps them)."""
    return sessions.store().end_user(user_id_of(engine(), username))


def create_account(
    username: str, role: str, units: tuple[str, ...], institution_id: int | None
) -> tuple[Account, str]:
    """Create an account with a one-time password (returned once; it must be changed at
    the first sign-in). Raises ``UserError`` with the reason."""
    password = one_time_password()
    account = create_user(
        engine(),
        username,
        password,
        role=role,
        units=units,
        institution_id=institution_id,
        must_change_password=True,
    )
    audit.record("user.create", f"user/{username}", _rights(account))
    return account, password


def disable_account(username: str) -> int:
    """Disable ``username`` and end their sessions; returns how many sessions ended."""
    disable_user(engine(), username)
    ended = _end_sessions(username)
    audit.record("user.disable", f"user/{username}", f"{ended} sessions ended")
    return ended


def reset_password(username: str) -> str:
    """Give ``username`` a new one-time password (returned once) and end their sessions."""
    password = one_time_password()
    set_password(engine(), username, password, must_change=True)
    ended = _end_sessions(username)
    audit.record("user.reset", f"user/{username}", f"one-time password; {ended} sessions ended")
    return password


def change_account(
    username: str, role: str, units: tuple[str, ...], institution_id: int | None
) -> Account:
    """Change a user's role, units and institution (checked like ``users create``); the
    user's next request already runs with the new rights."""
    account = update_user(engine(), username, role=role, units=units, institution_id=institution_id)
    audit.record("user.change", f"user/{username}", _rights(account))
    return account


def unlock(username: str) -> bool:
    """Release a name throttled after failed sign-ins; whether it was throttled."""
    released = clear_failures(engine(), username)
    audit.record("user.unlock", f"user/{username}", "unlocked" if released else "not throttled")
    return released


def issue_token(
    username: str,
    label: str,
    *,
    domains: Iterable[str] = (),
    wards: Iterable[str] = (),
    write_reports: bool = False,
    expires: date | None = None,
) -> tuple[TokenInfo, str]:
    """Create an API token (returned once); refused (``UserError``) when wider than its user."""
    info, token = create_token(
        engine(),
        username,
        label,
        domains=domains,
        wards=wards,
        write_reports=write_reports,
        expires=expires,
    )
    audit.record("token.create", f"token/{info.id}", f"{username}: {info.scope.describe()}")
    return info, token


def withdraw_token(token_id: int) -> TokenInfo:
    """Revoke an API token (it stops working at once)."""
    info = revoke_token(engine(), token_id)
    audit.record("token.revoke", f"token/{info.id}", f"{info.username}: {info.name}")
    return info


def _rights(account: Account) -> str:
    parts = [f"role={account.role}"]
    if account.units:
        parts.append(f"units={','.join(account.units)}")
    if account.institution_id is not None:
        parts.append(f"institution={account.institution_id}")
    return " ".join(parts)
