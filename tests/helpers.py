"""Helpers shared by tests (not fixtures)."""

from __future__ import annotations

PASSWORD = "correct-horse-battery"
UNITS = ("GDTrH", "KHTC", "QLCSGDNCL", "TCCB")


def sign_in(client, username: str, password: str = PASSWORD):
    """Sign a Flask test client in through the JSON form of /login."""
    response = client.post("/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.data
    return response


def add_users(engine) -> None:
    """One user per role; plan units are added when missing."""
    from sqlalchemy import select

    from data_access.db import transaction
    from data_access.models import PlanUnit
    from data_access.users import create_user

    with transaction(engine) as session:
        known = set(session.scalars(select(PlanUnit.code)))
        session.add_all(
            PlanUnit(code=code, name_vi=code, name_en=code, kind="division")
            for code in UNITS
            if code not in known
        )
    create_user(engine, "leader", PASSWORD, role="leadership")
    create_user(engine, "planner", PASSWORD, role="planner")
    create_user(engine, "admin", PASSWORD, role="admin")
    create_user(engine, "dept.gdtrh", PASSWORD, role="department", units=("GDTrH",))
    create_user(engine, "dept.khtc", PASSWORD, role="department", units=("KHTC",))


def _find(node, wanted):
    """The props of the first component of a serialised layout for which ``wanted(node)``."""
    if isinstance(node, dict):
        if "props" in node and wanted(node):
            return node["props"]
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


def find_props(node, component_id: str):
    """The props of the component with ``component_id`` in a serialised layout (or None)."""
    return _find(node, lambda n: n["props"].get("id") == component_id)


def find_type(node, type_name: str):
    """The props of the first component of type ``type_name`` in a serialised layout."""
    return _find(node, lambda n: n.get("type") == type_name)
