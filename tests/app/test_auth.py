"""Sign-in: JSON and form, wrong passwords, disabled users, redirects, the audit log."""

from __future__ import annotations

import re

from sqlalchemy import select

from data_access.db import make_engine
from data_access.models import AuditLog
from data_access.users import disable_user
from tests.helpers import PASSWORD, sign_in, sign_out


def _engine(app):
    return app.server.extensions["ioc_engine"]


def test_json_login_answers_200_with_role_and_401_when_wrong(client) -> None:
    ok = client.post("/login", json={"username": "dept.gdtrh", "password": PASSWORD})
    assert ok.status_code == 200
    assert ok.get_json() == {"username": "dept.gdtrh", "role": "department", "units": ["GDTrH"]}
    wrong = client.post("/login", json={"username": "leader", "password": "nope-nope-nope"})
    assert wrong.status_code == 401
    unknown = client.post("/login", json={"username": "ghost", "password": PASSWORD})
    assert unknown.status_code == 401


def test_form_login_needs_the_form_token_and_follows_only_local_next(client) -> None:
    page = client.get("/login?next=/about/data")
    token = re.search(rb'name="csrf" value="([^"]+)"', page.data).group(1).decode()
    forged = client.post("/login", data={"username": "leader", "password": PASSWORD})
    assert forged.status_code == 400
    response = client.post(
        "/login",
        data={
            "username": "leader",
            "password": PASSWORD,
            "csrf": token,
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_login_page_escapes_what_the_user_typed(client) -> None:
    page = client.get("/login")
    token = re.search(rb'name="csrf" value="([^"]+)"', page.data).group(1).decode()
    response = client.post(
        "/login", data={"username": '"><script>x()</script>', "password": "x", "csrf": token}
    )
    assert response.status_code == 401
    assert b"<script>x()" not in response.data


def test_disabled_user_loses_access_at_once(app, client) -> None:
    sign_in(client, "leader")
    assert client.get("/").status_code == 200
    disable_user(_engine(app), "leader")
    assert client.get("/").status_code == 302
    again = client.post("/login", json={"username": "leader", "password": PASSWORD})
    assert again.status_code == 401


def test_logins_are_audited(app, client, sqlite_url) -> None:
    sign_in(client, "planner")
    client.post("/login", json={"username": "planner", "password": "wrong-password"})
    with make_engine(sqlite_url).connect() as connection:
        actions = connection.execute(select(AuditLog.action, AuditLog.username)).all()
    assert ("login", "planner") in actions and ("login_failed", "planner") in actions


def test_logout_ends_the_session(client) -> None:
    sign_in(client, "leader")
    assert sign_out(client).status_code == 302
    assert client.get("/").status_code == 302


def _form_login(client, username: str, next_path: str = "/"):
    page = client.get("/login")
    token = re.search(rb'name="csrf" value="([^"]+)"', page.data).group(1).decode()
    return client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf": token, "next": next_path},
    )


def test_each_role_lands_on_a_page_it_may_open(client) -> None:
    assert _form_login(client, "planner").headers["Location"] == "/forecast"
    sign_out(client)
    assert _form_login(client, "leader").headers["Location"] == "/"
    sign_out(client)
    assert _form_login(client, "planner", "/about/data").headers["Location"] == "/about/data"


def test_lang_query_is_remembered_for_callbacks(client) -> None:
    response = client.get("/about/data?lang=en")
    assert "ioc_lang=en" in response.headers.get("Set-Cookie", "")
