"""``ingest`` and ``export``: member systems' files in and out of the warehouse."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ioc_app.cli.errors import CommandError


def register(subparsers: Any) -> None:
    """Add ``ingest`` and ``export``."""
    ingest = subparsers.add_parser("ingest", help="load a CSV/XLSX file of a dataset")
    ingest.add_argument("dataset", nargs="?", help="enrolment, staff, facilities, …")
    ingest.add_argument("file", nargs="?", type=Path)
    ingest.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    ingest.add_argument("--template", metavar="DATASET", help="print the dataset's CSV header")
    ingest.add_argument(
        "--list", action="store_true", help="name every dataset, what it holds and its columns"
    )
    ingest.add_argument(
        "--batches", action="store_true", help="the latest file batches (the ledger)"
    )
    ingest.add_argument(
        "--undo",
        type=int,
        metavar="BATCH",
        help="undo a committed batch (restores what it replaced)",
    )
    ingest.add_argument("--source-system", default="file", help="where the file came from")
    ingest.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help="load as this user (plan_reports: a unit writes its own units' reports)",
    )
    ingest.add_argument(
        "--max-file-mb",
        type=float,
        default=20,
        help="refuse a larger file before reading it (default 20; an XLSX may also unpack to "
        "at most 10× this)",
    )
    ingest.set_defaults(func=ingest_command)
    export = subparsers.add_parser("export", help="write a dataset in its load format")
    export.add_argument("dataset")
    export.add_argument("file", type=Path)
    export.add_argument("--school-year", type=int)
    export.set_defaults(func=export_command)


def _engine() -> Any:
    from data_access.db import make_engine
    from ioc_app.core.config import default_database_url

    return make_engine(default_database_url())


def ingest_command(args: argparse.Namespace) -> int:
    """Check and load one file, or print a template."""
    from data_access.ingest import FileLimits, IngestError, ingest, template

    try:
        if args.list:
            return _list()
        if args.batches:
            return _batches()
        if args.undo is not None:
            return _undo(args.undo)
        if args.template:
            print(template(args.template), end="")
            return 0
        if not args.dataset or not args.file:
            raise CommandError("usage: ingest DATASET FILE [--dry-run] | ingest --template DATASET")
        if not args.file.exists():
            raise CommandError(f"{args.file}: no such file")
        engine = _engine()
        caller = _account(engine, args.as_user) if args.as_user else None
        report = ingest(
            engine,
            args.dataset,
            args.file,
            dry_run=args.dry_run,
            source_system=args.source_system,
            limits=_limits(FileLimits, args.max_file_mb),
            username=caller.username if caller else "cli",
            caller=caller,
        )
    except (IngestError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    verb = "would load" if report.dry_run else "loaded"
    print(
        f"{verb} {report.rows} rows into {report.dataset}"
        + (
            ""
            if report.dry_run
            else f" (batch {report.batch_id}: {report.inserted} inserted, {report.updated} "
            f"updated, {report.unchanged} unchanged, {report.removed} removed)"
        )
    )
    return 0


def _account(engine: Any, username: str) -> Any:
    """The active account called ``username`` (its role, units and institution)."""
    from data_access.users import get_account, user_id_of

    try:
        account = get_account(engine, user_id_of(engine, username))
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if account is None:
        raise CommandError(f"user {username!r} is disabled")
    return account


def _list() -> int:
    from data_access.ingest import DATASETS

    for name, dataset in sorted(DATASETS.items()):
        print(f"{name}: {dataset.title}")
        print(f"    columns: {', '.join(dataset.header)}")
    return 0


def _batches() -> int:
    from data_access.ingest.ledger import summaries

    for b in summaries(_engine()):
        print(
            f"{b.id}\t{b.dataset}\t{b.status}\t{b.filename}\t{b.username}\t"
            f"{b.finished_at or b.started_at:%Y-%m-%d %H:%M}\t+{b.inserted} ~{b.updated} "
            f"={b.unchanged} -{b.removed}\t{b.sha256 or ''}"
        )
    return 0


def _undo(batch_id: int) -> int:
    """Undo a batch from the command line: an operator on the server acts as admin."""
    from data_access.ingest.ledger import UndoRefusedError, undo
    from ioc_app.cli.cli_audit import os_user

    try:
        undo_id = undo(_engine(), batch_id, username=os_user(), is_admin=True, role="cli")
    except UndoRefusedError as exc:
        raise CommandError(str(exc)) from exc
    print(f"undid batch {batch_id} (recorded as batch {undo_id})")
    return 0


def _limits(limits_class: Any, max_file_mb: float) -> Any:
    """The file limits for ``--max-file-mb``: an XLSX may unpack to ten times as much."""
    max_bytes = int(max_file_mb * 2**20)
    return limits_class(max_bytes=max_bytes, max_unpacked_bytes=10 * max_bytes)


def export_command(args: argparse.Namespace) -> int:
    """Write one dataset to a file."""
    from data_access.ingest import export
    from ioc_app.cli.cli_audit import record_cli

    engine = _engine()
    try:
        rows = export(engine, args.dataset, args.file, school_year=args.school_year)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    with engine.begin() as connection:
        record_cli(
            connection,
            f"{args.dataset}:{args.file}",
            f"{rows} rows" + (f", school year {args.school_year}" if args.school_year else ""),
        )
    print(f"wrote {rows} rows to {args.file}")
    return 0
