"""``audit prune [--days N]``: delete audit rows older than the retention period."""

from __future__ import annotations

import argparse
from typing import Any

from ioc_app.cli.errors import CommandError
from ioc_app.core.config import audit_retention_days, default_database_url


def register(subparsers: Any) -> None:
    """Add ``audit``."""
    audit = subparsers.add_parser("audit", help="the audit log")
    commands = audit.add_subparsers(dest="audit_command", required=True)
    prune = commands.add_parser(
        "prune",
        help="delete audit rows older than N days (default IOC_AUDIT_RETENTION_DAYS)",
    )
    prune.add_argument("--days", type=int, metavar="N", help="keep the last N days")
    prune.set_defaults(func=prune_command)


def prune_command(args: argparse.Namespace) -> int:
    """Delete old audit rows, say how many, and record the pruning as one audit row."""
    from data_access.audit_log import prune_audit
    from data_access.db import make_engine
    from ioc_app.cli.cli_audit import record_cli

    try:
        days = audit_retention_days() if args.days is None else args.days
    except RuntimeError as exc:
        raise CommandError(str(exc)) from exc
    if days < 0:
        raise CommandError("--days must be 0 or more")
    engine = make_engine(default_database_url())
    deleted = prune_audit(engine, days)
    with engine.begin() as connection:
        detail = f"deleted {deleted} rows older than {days} days"
        record_cli(connection, "audit_log", detail, "prune")
    print(f"deleted {deleted} audit row(s) older than {days} days")
    return 0
