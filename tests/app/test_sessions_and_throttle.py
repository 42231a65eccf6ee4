"""Sessions end on the server and sign-in cannot be brute-forced (security review, findings 6
and 10): sign-out is a POST with a token, a copied cookie dies with its session, disabling a
user or a new password ends every session, and failed sign-ins are slowed, then locked,
alike for real and unknown names."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import redis
from sqlalchemy import update

from data_access.db import make_engine, transaction
from data_access.models import LoginThrottle
from data_access.sessions import LOCK_AFTER, now
from ioc_app.cli import main as cli
from tests.helpers import PASSWORD, add_users, sign_in, sign_out

REDIS_URL = "redis://127.0.0.1:6379/0"


def signed_in(client) -> bool:
    return client.get("/plan").status_code == 200


def copy_cookies(source, target) -> None:
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def test_sign_out_is_a_post_with_the_sessions_token(app, client) -> None:
    sign_in(client, "leader")
    client.get("/logout")  # a link on another site (GET) signs no one out
    assert signed_in(client)
    assert client.post("/logout").status_code == 400  # nor can a forged form
    assert client.post("/logout", data={"csrf": "guess"}).status_code == 400
    assert signed_in(client)
    assert sign_out(client).status_code == 302
    assert not signed_in(client)


def test_a_copied_cookie_dies_with_its_session(app, client) -> None:
    sign_in(client, "leader")
    thief = app.server.test_client()
    copy_cookies(client, thief)
    assert signed_in(thief)
    sign_out(client)
    assert not signed_in(thief)


@pytest.mark.parametrize("command", [["disable"], ["password"]])
def test_disabling_a_user_or_a_new_password_ends_every_session(
    app, sqlite_url, monkeypatch, command
) -> None:
    phone, desk = app.server.test_client(), app.server.test_client()
    sign_in(phone, "planner")
    sign_in(desk, "planner")
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a-brand-new-password\n"))
    assert cli(["users", *command, "planner"]) == 0
    assert not signed_in(phone) and not signed_in(desk)


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")


@pytest.mark.redis
def test_with_redis_a_sign_out_ends_the_session_on_every_worker(make_app, sqlite_url) -> None:
    _redis_or_skip()
    prefix = f"ioc-test-{uuid.uuid4().hex[:8]}:"
    first = make_app(sqlite_url, redis_url=REDIS_URL, redis_prefix=prefix)
    second = make_app(sqlite_url, redis_url=REDIS_URL, redis_prefix=prefix)  # another worker
    add_users(make_engine(sqlite_url))
    browser = first.server.test_client()
    sign_in(browser, "leader")
    elsewhere = second.server.test_client()
    copy_cookies(browser, elsewhere)
    assert signed_in(elsewhere)
    keys = redis.Redis.from_url(REDIS_URL).keys(f"{prefix}session:*")
    assert keys, "the session id is kept in Redis"
    sign_out(browser)
    assert not signed_in(elsewhere)


@pytest.mark.redis
def test_with_redis_the_sign_in_limit_counts_across_workers(make_app, sqlite_url) -> None:
    _redis_or_skip()
    prefix = f"ioc-test-{uuid.uuid4().hex[:8]}:"
    workers = [
        make_app(sqlite_url, redis_url=REDIS_URL, redis_prefix=prefix).server.test_client()
        for _ in range(2)
    ]
    # One client address of its own, so no other test's sign-ins count in this minute.
    client_address = f"198.51.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    statuses = [
        workers[i % 2]
        .post(
            "/login",
            json={"username": f"nobody{i}", "password": "x" * 12},
            environ_base={"REMOTE_ADDR": client_address},
        )
        .status_code
        for i in range(21)
    ]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429  # the 21st in a minute, whichever worker answers


def attempt(client, username: str, password: str = "wrong-password!"):
    return client.post("/login", json={"username": username, "password": password})


def backdate(url: str, username: str, seconds: int = 3600) -> None:
    """Pretend the last failure was long ago (the test does not wait out the delays)."""
    with transaction(make_engine(url)) as session:
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.username == username)
            .values(last_failure_at=now() - timedelta(seconds=seconds))
        )


@pytest.mark.parametrize("username", ["leader", "no.such.user"])
def test_failed_sign_ins_are_slowed_then_locked_alike_for_any_name(
    app, client, sqlite_url, username
) -> None:
    assert [attempt(client, username).status_code for _ in range(3)] == [401] * 3
    slowed = attempt(client, username)
    assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) >= 1
    body = slowed.get_json()
    assert body["error"] == "too many failed sign-ins" and body["retry_after"] >= 1
    for _ in range(LOCK_AFTER - 3):
        backdate(sqlite_url, username)
        assert attempt(client, username).status_code == 401
    backdate(sqlite_url, username)
    locked = attempt(client, username, PASSWORD)  # even the right password waits
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 600


def test_an_admin_unlocks_a_locked_name(app, client, sqlite_url, monkeypatch) -> None:
    for _ in range(LOCK_AFTER):
        backdate(sqlite_url, "leader")
        attempt(client, "leader")
    assert attempt(client, "leader", PASSWORD).status_code == 429
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert cli(["users", "unlock", "leader"]) == 0
    assert attempt(client, "leader", PASSWORD).status_code == 200
    # a good sign-in starts the count afresh
    assert [attempt(client, "leader").status_code for _ in range(3)] == [401] * 3
