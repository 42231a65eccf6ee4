"""The guard: every page, callback and route declares who may call it, and is checked."""

from __future__ import annotations

import json

import pytest

from ioc_app.core.guard import CALLBACK_REGISTRY, DASH_INDEX_ENDPOINTS, DASH_PUBLIC_ENDPOINTS
from ioc_app.pages import PAGES
from tests.helpers import sign_in


def _callback_body(key: str) -> dict:
    """A syntactically valid callback request for the callback ``key``, with empty inputs."""
    return {"output": key, "outputs": [], "inputs": [], "state": [], "changedPropIds": []}


def test_every_callback_declares_its_access(app) -> None:
    registry = app.server.config[CALLBACK_REGISTRY]
    undeclared = {k for k in app.callback_map if k not in registry}
    assert undeclared == set()


def test_anonymous_post_to_every_non_public_callback_is_refused(app, client, monkeypatch) -> None:
    ran: list[str] = []
    registry = app.server.config[CALLBACK_REGISTRY]
    for key, entry in app.callback_map.items():
        if "callback" not in entry:
            continue  # clientside: nothing runs on the server
        original = entry["callback"]
        monkeypatch.setitem(
            entry, "callback", lambda *a, _k=key, _o=original, **kw: (ran.append(_k), _o(*a, **kw))
        )
    non_public = [key for key in app.callback_map if not registry[key].public]
    assert non_public, "the app should have non-public callbacks"
    for key in non_public:
        response = client.post(
            "/_dash-update-component",
            data=json.dumps(_callback_body(key)),
            content_type="application/json",
        )
        assert response.status_code in (401, 403), key
    assert ran == []


def test_undeclared_callback_is_refused_even_when_signed_in(client) -> None:
    sign_in(client, "admin")
    response = client.post("/_dash-update-component", json=_callback_body("forged.children"))
    assert response.status_code == 403


def test_malformed_callback_request_is_a_clear_400(client) -> None:
    response = client.post(
        "/_dash-update-component", data=b"not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_every_flask_route_declares_access(app) -> None:
    server = app.server
    for rule in server.url_map.iter_rules():
        if rule.endpoint in DASH_PUBLIC_ENDPOINTS | DASH_INDEX_ENDPOINTS:
            continue
        if rule.rule == "/_dash-update-component":
            continue  # checked per callback
        view = server.view_functions[rule.endpoint]
        assert hasattr(view, "ioc_access"), f"{rule.rule} declares no access"


@pytest.mark.parametrize("page", [p for p in PAGES if not p.access.public], ids=lambda p: p.key)
def test_non_public_pages_send_visitors_to_sign_in(client, page) -> None:
    path = page.path.replace("<slug>", "students")
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_public_pages_open_for_visitors(client) -> None:
    for page in (p for p in PAGES if p.access.public):
        assert client.get(page.path).status_code == 200, page.path


def test_callback_of_a_signed_in_page_runs_for_a_signed_in_user(app, client) -> None:
    sign_in(client, "leader")
    key = next(
        k for k, v in app.server.config[CALLBACK_REGISTRY].items() if k == "dom-index.children"
    )
    body = _callback_body(key)
    body["inputs"] = [{"id": "dom-index", "property": "id", "value": "dom-index"}]
    body["outputs"] = {"id": "dom-index", "property": "children"}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data


def test_security_headers_and_cookie_flags(client) -> None:
    response = sign_in(client, "leader")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/login")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "user,path,home",
    [
        ("planner", "/", "/forecast"),
        ("dept.khtc", "/forecast", "/domains"),
        ("planner", "/dx", "/forecast"),
    ],
)
def test_a_refused_page_says_so_in_the_app_and_offers_the_callers_own_page(
    client, user, path, home
) -> None:
    sign_in(client, user)
    response = client.get(path)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Bạn không có quyền xem trang này." in page and 'lang="vi"' in page
    assert f'href="{home}"' in page and 'action="/logout"' in page
    assert f"Đang đăng nhập: {user}" in page


def test_a_browser_only_callback_posted_to_the_server_is_a_bad_request(app, client) -> None:
    """Clientside callbacks are public (they run in the browser); posting one to the server
    made Dash fail with a KeyError (500)."""
    browser_only = [key for key, entry in app.callback_map.items() if "callback" not in entry]
    assert browser_only
    for key in browser_only:
        response = client.post(
            "/_dash-update-component",
            json={"output": key, "outputs": [], "inputs": [], "changedPropIds": []},
        )
        assert response.status_code == 400, key
