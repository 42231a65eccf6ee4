"""The warehouse of the load test (bench/bench_load.py): seeded once, kept for reruns.

Run in its own process by bench_load.py (locust patches the standard library with gevent when
it is imported, so the seed and the accounts are made before, elsewhere):

    python bench/load_setup.py --url postgresql+psycopg2://postgres@127.0.0.1:5432/ioc_bench_load_national
                               --scale national --leaders 20

A PostgreSQL database that does not exist is created with PostGIS; a warehouse without
institutions is migrated and seeded at ``--scale``; the leader accounts ``bench.leader01`` …
are created when missing. The seeded figures are generated, as everywhere in the app.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlalchemy import Engine, create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.load_journey import LEADER_PASSWORD, leader_names  # noqa: E402
from data_access import migrate  # noqa: E402
from data_access.db import make_engine  # noqa: E402
from data_access.models import User  # noqa: E402
from data_access.seed import seed_warehouse  # noqa: E402
from data_access.summary import row_counts  # noqa: E402
from data_access.users import create_user  # noqa: E402


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` with PostGIS when it does not exist."""
    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        Path(target.database or "").parent.mkdir(parents=True, exist_ok=True)
        return
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
            print(f"  created database {target.database}")
    admin.dispose()
    engine = create_engine(target, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    engine.dispose()


def drop_database(url: str) -> None:
    """Drop the bench's PostgreSQL database (a SQLite file is left where it is)."""
    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        return
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()
    print(f"  dropped database {target.database}")


def prepare(url: str, scale: str, leaders: int) -> None:
    """Migrate, seed when empty, add the missing leader accounts."""
    ensure_database(url)
    engine = make_engine(url)
    migrate.upgrade(engine)
    if row_counts(engine).get("institution", 0) == 0:
        print(f"  seeding the {scale} warehouse (generated data) into {make_url(url).database}")
        started = time.perf_counter()
        report = seed_warehouse(engine, scale=scale, seed=0)
        institutions = report.rows.get("institution", 0)
        print(f"  seeded in {time.perf_counter() - started:.0f} s: {institutions:,} institutions")
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))  # a fresh bulk load has no statistics
    ensure_users(engine, leader_names(leaders), "leadership")
    engine.dispose()


def ensure_users(engine: Engine, names: list[str], role: str) -> None:
    """Create the accounts of ``names`` with ``role`` and the bench password when missing."""
    with engine.connect() as connection:
        known = set(connection.scalars(select(User.username)))
    for name in names:
        if name not in known:
            create_user(engine, name, LEADER_PASSWORD, role=role)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="DATABASE_URL of the bench warehouse")
    parser.add_argument("--scale", choices=("city", "national"), required=True)
    parser.add_argument("--leaders", type=int, default=20)
    args = parser.parse_args()
    prepare(args.url, args.scale, args.leaders)


if __name__ == "__main__":
    main()
