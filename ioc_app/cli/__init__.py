"""Command line of the IOC: ``python -m ioc_app <command>`` (also installed as ``ioc``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ioc_app.cli import (
    commands_audit,
    commands_db,
    commands_forecast,
    commands_ingest,
    commands_report,
    commands_serve,
    commands_users,
)
from ioc_app.cli.errors import CommandError

#: Modules that each contribute sub-commands through ``register(subparsers)``.
COMMAND_MODULES = [
    commands_db,
    commands_users,
    commands_serve,
    commands_ingest,
    commands_forecast,
    commands_report,
    commands_audit,
]


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every registered sub-command."""
    parser = argparse.ArgumentParser(prog="ioc", description="HCMC education operations centre")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; each sub-parser sets ``func(args) -> int``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
