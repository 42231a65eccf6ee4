"""A one-time password (issue 10's bulk accounts, an administrator's reset) must be changed at
the first sign-in: until then pages lead to the form and data is refused; the change ends the
user's other sessions."""

from __future__ import annotations

import re

from data_access.db import make_engine
from data_access.users import create_user, get_account, user_id_of
from tests.helpers import PASSWORD, add_users, sign_in

NEW = "a-password-of-my-own"


def form_token(client) -> str:
    page = client.get("/password").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_a_one_time_password_must_be_changed_first(make_app, sqlite_url) -> None:
    app = make_app(sqlite_url)
    engine = make_engine(sqlite_url)
    add_users(engine)
    create_user(engine, "hieu.truong", PASSWORD, role="leadership", must_change_password=True)
    other, client = app.server.test_client(), app.server.test_client()
    sign_in(other, "hieu.truong")
    sign_in(client, "hieu.truong")
    page = client.get("/plan")
    assert page.status_code == 302 and page.headers["Location"].endswith("/password")
    refused = client.post("/_dash-update-component", json={"output": "cr-tiles.children"})
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "password change required"
    assert client.get("/api/v1/plan/reports").status_code == 403
    assert "Đổi mật khẩu" in client.get("/password").get_data(as_text=True)

    token = form_token(client)
    wrong = client.post(
        "/password", data={"csrf": token, "current": "nope-nope-nope", "new": NEW, "again": NEW}
    )
    assert wrong.status_code == 400
    forged = client.post(
        "/password", data={"csrf": "forged", "current": PASSWORD, "new": NEW, "again": NEW}
    )
    assert forged.status_code == 400
    done = client.post(
        "/password", data={"csrf": token, "current": PASSWORD, "new": NEW, "again": NEW}
    )
    assert done.status_code == 302
    assert client.get("/plan").status_code == 200  # this browser goes on
    assert other.get("/plan").status_code == 302  # the other session ended
    account = get_account(engine, user_id_of(engine, "hieu.truong"))
    assert account is not None and account.must_change_password is False
    fresh = app.server.test_client()
    assert (
        fresh.post("/login", json={"username": "hieu.truong", "password": NEW}).status_code == 200
    )
