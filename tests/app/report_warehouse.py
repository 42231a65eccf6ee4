"""A writable copy of the seeded city with a Department Office officer and two school
accounts: the warehouse of the report API and the report page's tests."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from data_access.db import make_engine
from data_access.models import Institution, PlanUnit, User
from data_access.users import create_user
from ioc_app.app import create_app
from ioc_app.core.config import test_config as config_for_tests
from tests.helpers import PASSWORD


def report_warehouse(folder, seeded_sqlite_url: str):
    """(app, engine, [school A id, school B id]) on a copy of the seeded city in ``folder``."""
    source = make_engine(seeded_sqlite_url).url.database
    path = folder / "city.sqlite"
    # The backup API, not a file copy: the seeded file may hold recent writes in its WAL.
    with sqlite3.connect(source) as original, sqlite3.connect(path) as copy:
        original.backup(copy)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with engine.begin() as connection:
        schools = (
            connection.execute(
                select(Institution.id)
                .where(Institution.kind == "school", Institution.closed_year.is_(None))
                .order_by(Institution.id)
                .limit(2)
            )
            .scalars()
            .all()
        )
        known = set(connection.execute(select(PlanUnit.code)).scalars())
        assert {"VPS", "KHTC", "GDTrH"} <= known
        for name, school in (("school.a", schools[0]), ("school.b", schools[1])):
            connection.execute(
                insert(User).values(
                    username=name,
                    password_hash=generate_password_hash(PASSWORD, method="scrypt"),
                    role="school",
                    active=True,
                    institution_id=school,
                    created_at=datetime(2026, 1, 1),
                )
            )
    create_user(engine, "van.phong", PASSWORD, role="department", units=("VPS",))
    return create_app(config_for_tests(url)), engine, schools
