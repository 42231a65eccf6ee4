"""The client's address comes from trusted proxies only (security review, finding 4), and
HTTPS is enforced with HSTS when cookies are Secure (finding 7)."""

from __future__ import annotations

from sqlalchemy import select

from data_access.db import make_engine
from data_access.models import AuditLog
from tests.helpers import PASSWORD, add_users, sign_in

PROXY = "10.0.0.1"


def audit_ips(url: str, action: str) -> list[str | None]:
    with make_engine(url).connect() as connection:
        query = select(AuditLog.ip).where(AuditLog.action == action).order_by(AuditLog.id)
        return list(connection.execute(query).scalars())


def login(client, headers: dict[str, str], remote: str = "127.0.0.1"):
    return client.post(
        "/login",
        json={"username": "leader", "password": PASSWORD},
        headers=headers,
        environ_base={"REMOTE_ADDR": remote},
    )


def test_a_forged_forwarded_for_never_reaches_the_audit_log(make_app, sqlite_url) -> None:
    app = make_app(sqlite_url)
    add_users(make_engine(sqlite_url))
    client = app.server.test_client()
    assert login(client, {"X-Forwarded-For": "6.6.6.6"}).status_code == 200
    assert audit_ips(sqlite_url, "login") == ["127.0.0.1"]


def test_behind_one_trusted_proxy_the_client_is_the_last_hop(make_app, sqlite_url) -> None:
    app = make_app(sqlite_url, trusted_proxies=1)
    add_users(make_engine(sqlite_url))
    client = app.server.test_client()
    # the client forged the first entry; the proxy appended the address it saw
    forwarded = {"X-Forwarded-For": "6.6.6.6, 203.0.113.9"}
    assert login(client, forwarded, remote=PROXY).status_code == 200
    assert audit_ips(sqlite_url, "login") == ["203.0.113.9"]


def test_a_session_survives_a_forged_forwarded_for(make_app, sqlite_url) -> None:
    """Flask-Login's fingerprint believed X-Forwarded-For: a changed header signed users out."""
    app = make_app(sqlite_url)
    add_users(make_engine(sqlite_url))
    client = app.server.test_client()
    sign_in(client, "leader")
    page = client.get("/plan", headers={"X-Forwarded-For": "198.51.100.7"})
    assert page.status_code == 200


def test_rate_limits_count_each_client_behind_the_proxy(make_app, sqlite_url) -> None:
    app = make_app(sqlite_url, trusted_proxies=1, rate_limit="3/minute")
    client = app.server.test_client()

    def search(client_address: str) -> int:
        return client.get(
            "/api/v1/search?q=truong",
            headers={"X-Forwarded-For": client_address},
            environ_base={"REMOTE_ADDR": PROXY},
        ).status_code

    assert [search("203.0.113.1") for _ in range(4)] == [200, 200, 200, 429]
    assert search("203.0.113.2") == 200  # another citizen behind the same proxy


def test_hsts_is_sent_when_cookies_are_secure(make_app, sqlite_url) -> None:
    secure = make_app(sqlite_url, testing=False).server.test_client().get("/healthz")
    assert "max-age=" in secure.headers["Strict-Transport-Security"]
    assert secure.headers.get("Set-Cookie") is None or "Secure" in secure.headers["Set-Cookie"]
    plain = make_app(sqlite_url).server.test_client().get("/healthz")
    assert "Strict-Transport-Security" not in plain.headers
