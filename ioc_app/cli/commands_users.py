"""``users create|import|disable|list`` and ``users token create|list|revoke``: accounts and
API tokens from the command line."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from data_access.models.system import ROLES
from ioc_app.cli.errors import CommandError
from ioc_app.core.config import default_database_url


def register(subparsers: Any) -> None:
    """Add ``users``."""
    users = subparsers.add_parser("users", help="manage accounts")
    commands = users.add_subparsers(dest="users_command", required=True)
    create = commands.add_parser("create", help="create a user (password from standard input)")
    create.add_argument("name")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument(
        "--unit",
        action="append",
        default=[],
        help="unit code for department users (repeatable), e.g. GDTrH",
    )
    create.add_argument(
        "--institution",
        type=int,
        metavar="ID",
        help="institution id for school users (it must exist in the warehouse)",
    )
    create.set_defaults(func=create_command)
    bulk = commands.add_parser(
        "import",
        help="create accounts from a CSV (username, role, units, institution)",
        description="Check every row first, then create all accounts in one transaction "
        "with random one-time passwords (they must be changed at first sign-in), written to "
        "--out. Nothing is created if any row is bad; existing usernames are reported and "
        "left unchanged. units: codes separated by ';'.",
    )
    bulk.add_argument("file", type=Path, metavar="accounts.csv")
    bulk.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="credentials.csv",
        help="where to write "
        "username,password of the new accounts (must not exist; readable by you only)",
    )
    bulk.set_defaults(func=import_command)
    disable = commands.add_parser("disable", help="disable a user")
    disable.add_argument("name")
    disable.set_defaults(func=disable_command)
    password = commands.add_parser(
        "password", help="set a new password (from standard input); ends the user's sessions"
    )
    password.add_argument("name")
    password.set_defaults(func=password_command)
    unlock = commands.add_parser(
        "unlock", help="release a name locked after failed sign-ins (before the lock runs out)"
    )
    unlock.add_argument("name")
    unlock.set_defaults(func=unlock_command)
    listing = commands.add_parser("list", help="list users")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=list_command)
    _register_tokens(commands)


def _register_tokens(commands: Any) -> None:
    """Add ``users token create|list|revoke``."""
    token = commands.add_parser("token", help="manage API tokens (bearer, for /api/v1)")
    actions = token.add_subparsers(dest="token_command", required=True)
    create = actions.add_parser("create", help="create a token for a user (printed once)")
    create.add_argument("name", metavar="USERNAME")
    create.add_argument(
        "--name",
        dest="label",
        required=True,
        metavar="LABEL",
        help="what the token is for, e.g. the member system's name",
    )
    create.add_argument(
        "--domain",
        action="append",
        default=[],
        metavar="SLUG",
        help="limit the token to this data domain (repeatable; default: the user's domains)",
    )
    create.add_argument(
        "--ward",
        action="append",
        default=[],
        metavar="CODE",
        help="limit the token to this 2025 ward code (repeatable; default: every ward)",
    )
    create.add_argument(
        "--write-reports",
        action="store_true",
        help="may write quarterly reports (POST /api/v1/plan/reports); default read-only",
    )
    create.add_argument(
        "--expires",
        type=_day,
        metavar="YYYY-MM-DD",
        help="refused from this day on (00:00 UTC); default: until revoked",
    )
    create.set_defaults(func=token_create_command)
    listing = actions.add_parser("list", help="list tokens (never the tokens themselves)")
    listing.add_argument("name", nargs="?", metavar="USERNAME")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=token_list_command)
    revoke = actions.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(func=token_revoke_command)


def _day(text: str) -> date:
    """A ``YYYY-MM-DD`` argument."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise CommandError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _engine() -> Any:
    from data_access.db import make_engine

    return make_engine(default_database_url())


def create_command(args: argparse.Namespace) -> int:
    """Create one user."""
    from data_access.users import UserError, create_user

    try:
        account = create_user(
            _engine(),
            args.name,
            _read_password(),
            role=args.role,
            units=tuple(args.unit),
            institution_id=args.institution,
        )
    except UserError as exc:
        raise CommandError(str(exc)) from exc
    print(f"created {account.username} ({account.role})")
    return 0


def import_command(args: argparse.Namespace) -> int:
    """Create the accounts of a CSV with one-time passwords written to ``--out``."""
    from data_access.users import UserError, import_users, read_accounts

    if args.out.exists():
        raise CommandError(f"--out {args.out}: exists already; choose a new file")
    if not args.out.parent.is_dir():
        raise CommandError(f"--out {args.out}: the folder {args.out.parent} does not exist")
    try:
        # Open --out before creating anything, so a write failure cannot lose passwords.
        descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise CommandError(f"--out {args.out}: {exc.strerror}") from exc
    with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as handle:
        try:
            result = import_users(_engine(), read_accounts(args.file))
        except UserError as exc:
            handle.close()
            args.out.unlink(missing_ok=True)
            raise CommandError(f"{args.file}: {exc}; nothing was created") from exc
        writer = csv.writer(handle)
        writer.writerow(["username", "password"])
        writer.writerows((account.username, password) for account, password in result.created)
    for username in result.existing:
        print(f"exists already, left unchanged: {username}", file=sys.stderr)
    print(f"created {len(result.created)} account(s); one-time passwords in {args.out}")
    return 0


def disable_command(args: argparse.Namespace) -> int:
    """Disable one user."""
    from data_access.users import UserError, disable_user

    engine = _engine()
    try:
        disable_user(engine, args.name)
    except UserError as exc:
        raise CommandError(str(exc)) from exc
    ended = _end_sessions(engine, args.name)
    print(f"disabled {args.name} ({ended} sessions ended)")
    return 0


def password_command(args: argparse.Namespace) -> int:
    """Set a user's password; every session of the user ends."""
    from data_access.users import UserError, set_password

    engine = _engine()
    try:
        set_password(engine, args.name, _read_password())
    except UserError as exc:
        raise CommandError(str(exc)) from exc
    ended = _end_sessions(engine, args.name)
    print(f"new password for {args.name} ({ended} sessions ended)")
    return 0


def unlock_command(args: argparse.Namespace) -> int:
    """Forget the failed sign-ins of a name (an admin's release of a lock)."""
    from data_access.sessions import clear_failures

    released = clear_failures(_engine(), args.name)
    print(f"{args.name}: {'unlocked' if released else 'was not throttled'}")
    return 0


def _end_sessions(engine: Any, username: str) -> int:
    """End every session of ``username`` in this deployment's store (Redis or database)."""
    from data_access.sessions import end_user_sessions
    from data_access.users import user_id_of
    from ioc_app.core.sessions import make_store

    user_id = user_id_of(engine, username)
    ended = end_user_sessions(engine, user_id)
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        ended += make_store(engine, redis_url).end_user(user_id)
    return ended


def list_command(args: argparse.Namespace) -> int:
    """List users as a table or JSON."""
    from data_access.users import list_users

    accounts = list_users(_engine())
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "username": a.username,
                        "role": a.role,
                        "units": list(a.units),
                        "active": a.active,
                    }
                    for a in accounts
                ],
                ensure_ascii=False,
            )
        )
        return 0
    for a in accounts:
        state = "active" if a.active else "disabled"
        print(f"{a.username:<24} {a.role:<12} {','.join(a.units) or '-':<20} {state}")
    return 0


def _checked(call: Any, *args: Any) -> Any:
    """``call(*args)``, a UserError (unknown user or token…) becoming a CommandError."""
    from data_access.users import UserError

    try:
        return call(*args)
    except UserError as exc:
        raise CommandError(str(exc)) from exc


def token_create_command(args: argparse.Namespace) -> int:
    """Create one API token and print it; only its SHA-256 is stored."""
    from data_access.tokens import create_token
    from data_access.users import UserError

    try:
        info, token = create_token(
            _engine(),
            args.name,
            args.label,
            domains=args.domain,
            wards=args.ward,
            write_reports=args.write_reports,
            expires=args.expires,
        )
    except UserError as exc:
        raise CommandError(str(exc)) from exc
    print(
        f"created API token {info.id} ({info.name}, {info.scope.describe()}) for "
        f"{info.username}; it is shown only once:",
        file=sys.stderr,
    )
    print(token)
    return 0


def token_list_command(args: argparse.Namespace) -> int:
    """List API tokens as a table or JSON."""
    from data_access.tokens import list_tokens

    tokens = _checked(list_tokens, _engine(), args.name)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": t.id,
                        "user": t.username,
                        "name": t.name,
                        "created": t.created_at.isoformat(timespec="seconds"),
                        "revoked": t.revoked_at.isoformat(timespec="seconds")
                        if t.revoked_at
                        else None,
                        "domains": sorted(t.scope.domains or ()),
                        "wards": sorted(t.scope.wards or ()),
                        "write_reports": t.scope.write_reports,
                        "expires": t.scope.expires_at.date().isoformat()
                        if t.scope.expires_at
                        else None,
                    }
                    for t in tokens
                ],
                ensure_ascii=False,
            )
        )
        return 0
    for t in tokens:
        revoked = t.revoked_at.isoformat(timespec="seconds") if t.revoked_at else "-"
        print(
            f"{t.id:>5} {t.username:<24} {t.name:<32} "
            f"{t.created_at.isoformat(timespec='seconds')} {revoked} {t.scope.describe()}"
        )
    return 0


def token_revoke_command(args: argparse.Namespace) -> int:
    """Revoke one API token."""
    from data_access.tokens import revoke_token

    info = _checked(revoke_token, _engine(), args.id)
    print(f"revoked API token {info.id} ({info.name}) of {info.username}")
    return 0
