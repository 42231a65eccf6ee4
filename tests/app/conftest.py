"""Fixtures for application tests: an app on a fresh SQLite warehouse, with users."""

from __future__ import annotations

import pytest

from data_access.db import make_engine, transaction
from data_access.models import PlanUnit
from data_access.users import create_user

PASSWORD = "correct-horse-battery"
UNITS = ("GDTrH", "KHTC", "QLCSGDNCL", "TCCB")


@pytest.fixture
def app(make_app, sqlite_url):
    """An application on an empty migrated SQLite file with one user per role."""
    application = make_app(sqlite_url)
    engine = make_engine(sqlite_url)
    with transaction(engine) as session:
        session.add_all(PlanUnit(code=code, name_vi=code, name_en=code, kind="division")
                        for code in UNITS)
    create_user(engine, "leader", PASSWORD, role="leadership")
    create_user(engine, "planner", PASSWORD, role="planner")
    create_user(engine, "admin", PASSWORD, role="admin")
    create_user(engine, "dept.gdtrh", PASSWORD, role="department", units=("GDTrH",))
    create_user(engine, "dept.khtc", PASSWORD, role="department", units=("KHTC",))
    return application


@pytest.fixture
def client(app):
    return app.server.test_client()


def sign_in(client, username: str, password: str = PASSWORD):
    """Sign ``client`` in through the JSON form of /login."""
    response = client.post("/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.data
    return response
