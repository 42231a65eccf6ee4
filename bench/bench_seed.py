"""Time ``seed_warehouse`` on a fresh SQLite file or PostgreSQL database."""

# Usage:
#   python bench/bench_seed.py --scale city --engine sqlite
#   python bench/bench_seed.py --scale national --engine postgres \
#       --pg-url postgresql+psycopg2://postgres@127.0.0.1:5432/postgres
# Prints the wall time, the slowest steps and the rows per table; the PostgreSQL database
# (or the SQLite file) is removed afterwards unless --keep is given.

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data_access import migrate
from data_access.db import make_engine
from data_access.seed import seed_warehouse


def main() -> int:
    """Run one timed seed and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("city", "national"), default="city")
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "IOC_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    admin = None
    folder = None
    if args.engine == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="ioc_bench_"))
        url = f"sqlite:///{folder / 'bench.sqlite'}"
    else:
        name = f"ioc_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(args.pg_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    steps: list[tuple[float, str]] = []
    last = [time.perf_counter(), "start"]

    def progress(step: str, fraction: float) -> None:
        now = time.perf_counter()
        if step != last[1]:
            steps.append((now - last[0], str(last[1])))
            last[0], last[1] = now, step

    try:
        migrate.upgrade(engine)
        report = seed_warehouse(engine, scale=args.scale, seed=args.seed, progress=progress)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"{args.scale} on {args.engine}: {report.seconds:.1f} s "
            f"(load average {load:.1f}, {os.cpu_count()} CPUs)"
        )
        print("slowest steps:")
        for seconds, step in sorted(steps, reverse=True)[:8]:
            print(f"  {seconds:6.1f} s  {step}")
        print("rows:")
        for table, count in sorted(report.rows.items()):
            print(f"  {table:<20} {count:>10,}")
        if args.keep:
            print(f"kept {url}")
    finally:
        engine.dispose()
        if folder is not None and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        if admin is not None and not args.keep:
            with admin.connect() as conn:
                conn.execute(
                    text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
                )
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
