"""``db upgrade``, ``db summary`` and ``seed``: the warehouse from the command line."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ioc_app.cli.errors import CommandError
from ioc_app.cli.progress import ProgressBar
from ioc_app.core.config import default_database_url

DEMO_USERS = (
    ("lanhdao", "leadership", ()),
    ("quyhoach", "planner", ()),
    ("quantri", "admin", ()),
    ("phong.gdtrh", "department", ("GDTrH",)),
    ("phong.khtc", "department", ("KHTC",)),
    ("phong.nongcl", "department", ("QLCSGDNCL",)),
)


def register(subparsers: Any) -> None:
    """Add ``db`` and ``seed``."""
    db = subparsers.add_parser("db", help="create, migrate and inspect the warehouse")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser(
        "upgrade", help="create or migrate the schema on DATABASE_URL"
    ).set_defaults(func=upgrade)
    db_commands.add_parser(
        "summary", help="row counts and calibration against real figures"
    ).set_defaults(func=summary)
    seed = subparsers.add_parser("seed", help="build the calibrated warehouse")
    seed.add_argument("--scale", choices=("city", "national"), default="city")
    seed.add_argument("--seed", type=int, default=0, help="random seed (deterministic)")
    seed.add_argument(
        "--demo-users",
        action="store_true",
        help="also create demo accounts (password from IOC_DEMO_PASSWORD)",
    )
    seed.add_argument(
        "--replace",
        action="store_true",
        help="delete the existing data first (users and audit log are kept)",
    )
    seed.add_argument(
        "--if-empty", action="store_true", help="do nothing when the warehouse already holds data"
    )
    seed.set_defaults(func=run_seed)


def _engine() -> Any:
    from data_access.db import make_engine

    return make_engine(default_database_url())


def upgrade(_args: argparse.Namespace) -> int:
    """Create or migrate the schema."""
    from data_access import migrate

    engine = _engine()
    migrate.upgrade(engine)
    where = engine.url.render_as_string(hide_password=True)
    print(f"schema at revision {migrate.current_revision(engine)} on {where}")
    return 0


def summary(_args: argparse.Namespace) -> int:
    """Print row counts per table and the calibration table."""
    from data_access import migrate
    from data_access.calibration import calibration_table
    from data_access.summary import row_counts

    engine = _engine()
    if not migrate.is_current(engine):
        raise CommandError("the schema is missing or old: run `python -m ioc_app db upgrade`")
    counts = row_counts(engine)
    width = max(len(name) for name in counts)
    print("Rows per table")
    for name, count in sorted(counts.items()):
        print(f"  {name:<{width}}  {count:>10,}")
    table = calibration_table(engine)
    print(
        "\nCalibration against real published figures (education_stats/"
        "hcmc_enrolment_press_reported_2015_2025.csv)"
    )
    shown = ["school_year", "scope", "metric", "real", "warehouse", "diff_pct", "ok"]
    print(table[[c for c in shown if c in table]].to_string(index=False))
    calibrated = table[table["calibrated"]] if "calibrated" in table else table
    holding = int(calibrated["ok"].sum())
    print(f"\n{holding} of {len(calibrated)} calibrated figures within ±2%")
    for row in table[~table.index.isin(calibrated.index)].itertuples():
        print(
            f"not calibrated: {row.school_year} {row.metric}: "
            f"{str(row.note).removeprefix('not calibrated: ')}"
        )
    return 0 if holding == len(calibrated) else 1


def run_seed(args: argparse.Namespace) -> int:
    """Migrate, then seed at the requested scale, with a progress bar."""
    from data_access import migrate
    from data_access.seed import SeedError, seed_warehouse

    engine = _engine()
    migrate.upgrade(engine)
    if args.demo_users and not os.environ.get("IOC_DEMO_PASSWORD"):
        raise CommandError("--demo-users needs the password in IOC_DEMO_PASSWORD")
    from data_access.summary import row_counts

    if args.if_empty and row_counts(engine).get("institution", 0) > 0:
        print("the warehouse already holds data; nothing to do", file=sys.stderr)
    else:
        try:
            report = seed_warehouse(
                engine,
                scale=args.scale,
                seed=args.seed,
                replace=args.replace,
                progress=ProgressBar(),
            )
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        print(
            f"seeded scale={report.scale} seed={report.seed} in {report.seconds:.1f} s: "
            f"{report.rows.get('institution', 0):,} institutions"
        )
    if args.demo_users:
        create_demo_users(engine, os.environ["IOC_DEMO_PASSWORD"])
    return 0


def create_demo_users(engine: Any, password: str) -> None:
    """(Re)create the demo accounts with ``password``."""
    from data_access.users import create_user, delete_demo_users

    delete_demo_users(engine, [name for name, _, _ in DEMO_USERS])
    for name, role, units in DEMO_USERS:
        create_user(engine, name, password, role=role, units=units)
    print("demo users: " + ", ".join(f"{n} ({r})" for n, r, _ in DEMO_USERS), file=sys.stderr)
