"""Helpers shared by tests (not fixtures)."""

from __future__ import annotations

PASSWORD = "correct-horse-battery"
UNITS = ("GDTrH", "KHTC", "QLCSGDNCL", "TCCB")


def sign_in(client, username: str, password: str = PASSWORD):
    """Sign a Flask test client in through the JSON form of /login."""
    response = client.post("/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.data
    return response


def sign_out(client):
    """Sign out as the page does: POST /logout with the session's form token."""
    with client.session_transaction() as session:
        token = session.get("login_csrf", "")
    return client.post("/logout", data={"csrf": token})


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


def callback_key(app, output_id: str) -> str:
    """The callback_map key of the server callback whose first output is ``output_id``."""
    for key, entry in app.callback_map.items():
        if "callback" not in entry:
            continue
        first = key.strip(".").split("...")[0]
        if first.rsplit(".", 1)[0] == output_id:
            return key
    raise KeyError(output_id)


def call(
    client,
    app,
    output_id: str,
    values: dict[str, object] | None = None,
    triggered: str | None = None,
    query: str = "",
):
    """POST a callback like the browser does; ``values`` maps ``"id.prop"`` to a value
    (inputs and states not named are sent as None); ``query`` polls a background job
    (``?cacheKey=…&job=…``)."""
    values = values or {}
    key = callback_key(app, output_id)
    entry = app.callback_map[key]
    outputs = [
        dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
        for part in key.strip(".").split("...")
    ]

    def items(kind: str) -> list[dict]:
        return [
            {**item, "value": values.get(f"{item['id']}.{item['property']}")}
            for item in entry[kind]
        ]

    body = {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": items("inputs"),
        "state": items("state"),
        "changedPropIds": [triggered] if triggered else [],
    }
    return client.post(f"/_dash-update-component{query}", json=body)


_CLIENTS: dict[tuple[int, str], object] = {}


def client_as(app, user: str | None):
    """A test client per app and user, signed in unless ``user`` is None (kept: sign-in is
    rate limited per minute)."""
    key = (id(app), user or "")
    if key not in _CLIENTS:
        client = app.server.test_client()
        if user:
            sign_in(client, user)
        _CLIENTS[key] = client
    return _CLIENTS[key]


def exports_by(engine, username: str) -> set[str]:
    """What ``username`` has exported, as the audit log names it (file names)."""
    from sqlalchemy import select

    from data_access.models import AuditLog

    with engine.connect() as connection:
        query = select(AuditLog.target).where(
            AuditLog.action == "export", AuditLog.username == username
        )
        return set(connection.execute(query).scalars())
