"""Shared fixtures: real SQLite and PostgreSQL + PostGIS warehouses, built per test session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from data_access import migrate
from data_access.db import make_engine
from data_access.paths import shared_data_dir
from data_access.seed import SeedReport, seed_warehouse

REPO = Path(__file__).resolve().parent.parent
# Speed is measured in bench/, never asserted: no Hypothesis example may fail for being slow
# on a busy 2-core machine.
settings.register_profile("ioc", deadline=None)
settings.load_profile("ioc")


def postgres_admin_url() -> str:
    """Where the test PostgreSQL is: IOC_TEST_PG_URL, libpq's PG* variables, or localhost."""
    if os.environ.get("IOC_TEST_PG_URL"):
        return os.environ["IOC_TEST_PG_URL"]
    if os.environ.get("PGHOST") or os.environ.get("PGPORT"):
        return "postgresql+psycopg2://"
    return "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A fresh, empty PostgreSQL database with PostGIS for this test session; dropped after."""
    admin_url = postgres_admin_url()
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no server"
        pytest.skip(f"no PostgreSQL at {admin_url}: {exc}")
    name = f"ioc_test_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A new SQLite file for one test."""
    return f"sqlite:///{tmp_path / 'ioc.sqlite'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database, on each engine: SQLite and PostgreSQL + PostGIS."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
        yield engine
        engine.dispose()
        return
    url = request.getfixturevalue("postgres_server")
    engine = make_engine(url)
    if migrate.current_revision(engine):
        migrate.downgrade(engine, "base")
    yield engine
    if migrate.current_revision(engine):
        migrate.downgrade(engine, "base")
    engine.dispose()


@pytest.fixture
def migrated_engine(empty_engine: Engine) -> Engine:
    """An engine with the current schema and no rows, on each engine."""
    migrate.upgrade(empty_engine)
    return empty_engine


REQUIRED_MARKERS = ("postgres", "browser", "redis")
SEED = 0  # the seed of the shared city warehouse


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """In CI (IOC_REQUIRE_ALL=1) a skipped PostgreSQL or browser test is a failure."""
    outcome = yield
    report = outcome.get_result()
    if not os.environ.get("IOC_REQUIRE_ALL") or not report.skipped:
        return
    markers = [m for m in REQUIRED_MARKERS if item.get_closest_marker(m)]
    if markers:
        report.outcome = "failed"
        report.longrepr = (
            f"{'/'.join(markers)} test skipped, which CI does not allow: {report.longrepr}"
        )


@pytest.fixture
def make_app():
    """Build an application on a database URL (migrated first), as the factory would."""
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config

    def build(url: str, **overrides: object):
        migrate.upgrade(make_engine(url))
        return create_app(test_config(url, **overrides))

    return build


@pytest.fixture
def app(make_app, sqlite_url):
    """An application on an empty migrated SQLite file with one user per role."""
    from tests.helpers import add_users

    application = make_app(sqlite_url)
    add_users(make_engine(sqlite_url))
    return application


@pytest.fixture
def client(app):
    """A Flask test client of ``app``."""
    return app.server.test_client()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The real reference data (skips when it is not there)."""
    folder = shared_data_dir()
    if not (folder / "README.md").is_file():
        pytest.skip(f"no reference data at {folder}")
    return folder


@pytest.fixture(scope="session")
def city_seed_run(
    tmp_path_factory: pytest.TempPathFactory, shared_dir: Path
) -> Iterator[tuple[Engine, SeedReport, list]]:
    """Seed the city scale once on a SQLite file; keep the report and progress calls."""
    path = tmp_path_factory.mktemp("seeded") / "city.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    calls: list[tuple[str, float]] = []
    report = seed_warehouse(
        engine,
        scale="city",
        seed=SEED,
        shared_dir=shared_dir,
        progress=lambda step, fraction: calls.append((step, fraction)),
    )
    yield engine, report, calls
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_sqlite_url(city_seed_run) -> str:
    """The city-scale seeded SQLite warehouse (seed 0) with one user per role, built once."""
    from tests.helpers import add_users

    engine = city_seed_run[0]
    add_users(engine)
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def seeded_app(seeded_sqlite_url: str):
    """An application on the seeded city warehouse (shared by the session: do not write)."""
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config

    return create_app(test_config(seeded_sqlite_url))
