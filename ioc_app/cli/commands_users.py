"""``users create|disable|list``: accounts from the command line."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from data_access.models.system import ROLES
from ioc_app.config import default_database_url
from ioc_app.errors import CommandError


def register(subparsers: Any) -> None:
    """Add ``users``."""
    users = subparsers.add_parser("users", help="manage accounts")
    commands = users.add_subparsers(dest="users_command", required=True)
    create = commands.add_parser("create", help="create a user (password from standard input)")
    create.add_argument("name")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--unit", action="append", default=[],
                        help="unit code for department users (repeatable), e.g. GDTrH")
    create.set_defaults(func=create_command)
    disable = commands.add_parser("disable", help="disable a user")
    disable.add_argument("name")
    disable.set_defaults(func=disable_command)
    listing = commands.add_parser("list", help="list users")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=list_command)


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
        account = create_user(_engine(), args.name, _read_password(),
                              role=args.role, units=tuple(args.unit))
    except UserError as exc:
        raise CommandError(str(exc)) from exc
    print(f"created {account.username} ({account.role})")
    return 0


def disable_command(args: argparse.Namespace) -> int:
    """Disable one user."""
    from data_access.users import UserError, disable_user

    try:
        disable_user(_engine(), args.name)
    except UserError as exc:
        raise CommandError(str(exc)) from exc
    print(f"disabled {args.name}")
    return 0


def list_command(args: argparse.Namespace) -> int:
    """List users as a table or JSON."""
    from data_access.users import list_users

    accounts = list_users(_engine())
    if args.json:
        print(json.dumps([{"username": a.username, "role": a.role, "units": list(a.units),
                           "active": a.active} for a in accounts], ensure_ascii=False))
        return 0
    for a in accounts:
        state = "active" if a.active else "disabled"
        print(f"{a.username:<24} {a.role:<12} {','.join(a.units) or '-':<20} {state}")
    return 0
