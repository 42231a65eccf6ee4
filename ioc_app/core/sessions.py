"""Server-side session ids: in Redis when REDIS_URL is set, in the database otherwise.

The signed session cookie carries a random id; a request is signed in only while the store
knows that id for that user. So signing out, disabling a user or changing a password ends
sessions at once on every worker and host, although the cookie itself stays valid-looking.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Protocol

import redis
from flask import Flask, current_app, has_request_context, request, session
from sqlalchemy import Engine

from data_access import sessions as db_sessions

SESSION_KEY = "sid"
#: The session's token for forms that change state (sign-in, sign-out).
CSRF_KEY = "login_csrf"
STORE_KEY = "ioc_session_store"
REDIS_PREFIX = "ioc:session:"


class SessionStore(Protocol):
    """Where live session ids are kept."""

    def start(self, session_id: str, user_id: int, lifetime: timedelta) -> None: ...
    def user(self, session_id: str) -> int | None: ...
    def end(self, session_id: str) -> None: ...
    def end_user(self, user_id: int) -> int: ...


class DatabaseStore:
    """Sessions in the warehouse's ``user_session`` table (no Redis needed)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def start(self, session_id: str, user_id: int, lifetime: timedelta) -> None:
        ip = request.remote_addr if has_request_context() else None
        agent = request.headers.get("User-Agent") if has_request_context() else None
        db_sessions.start_session(
            self.engine, session_id, user_id, lifetime=lifetime, ip=ip, user_agent=agent
        )

    def user(self, session_id: str) -> int | None:
        return db_sessions.session_user(self.engine, session_id)

    def end(self, session_id: str) -> None:
        db_sessions.end_session(self.engine, session_id)

    def end_user(self, user_id: int) -> int:
        return db_sessions.end_user_sessions(self.engine, user_id)


class RedisStore:
    """Sessions in Redis: one key per session (expiring with it), one set per user."""

    def __init__(self, url: str, prefix: str = REDIS_PREFIX) -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def _key(self, session_id: str) -> str:
        return f"{self.prefix}{db_sessions.digest(session_id)}"

    def _user_key(self, user_id: int) -> str:
        return f"{self.prefix}user:{user_id}"

    def start(self, session_id: str, user_id: int, lifetime: timedelta) -> None:
        key = self._key(session_id)
        with self.client.pipeline() as pipe:
            pipe.set(key, user_id, ex=lifetime)
            pipe.sadd(self._user_key(user_id), key)
            pipe.expire(self._user_key(user_id), lifetime)
            pipe.execute()

    def user(self, session_id: str) -> int | None:
        value = self.client.get(self._key(session_id))
        return None if value is None else int(value)

    def end(self, session_id: str) -> None:
        self.client.delete(self._key(session_id))

    def end_user(self, user_id: int) -> int:
        keys = list(self.client.smembers(self._user_key(user_id)))
        ended = int(self.client.delete(*keys)) if keys else 0
        self.client.delete(self._user_key(user_id))
        return ended


def make_store(engine: Engine, redis_url: str = "", prefix: str = REDIS_PREFIX) -> SessionStore:
    """The store for this deployment: Redis when ``redis_url`` is set, else the database."""
    return RedisStore(redis_url, prefix) if redis_url else DatabaseStore(engine)


def init_app(server: Flask, store: SessionStore) -> None:
    """Attach the session store to ``server``."""
    server.extensions[STORE_KEY] = store


def store() -> SessionStore:
    """The session store of the current application."""
    return current_app.extensions[STORE_KEY]


def csrf_token() -> str:
    """The current session's form token (empty when there is none yet)."""
    return str(session.get(CSRF_KEY) or "") if has_request_context() else ""


def begin(user_id: int) -> None:
    """Start a server-side session for ``user_id`` and put its id in the signed cookie."""
    session_id = secrets.token_urlsafe(32)
    lifetime = current_app.permanent_session_lifetime
    store().start(session_id, user_id, lifetime)
    # The cookie stays a browser session; the server ends the session after ``lifetime``.
    session[SESSION_KEY] = session_id


def is_live(user_id: int) -> bool:
    """Whether the cookie's session id is a live session of ``user_id``."""
    session_id = session.get(SESSION_KEY)
    return isinstance(session_id, str) and store().user(session_id) == user_id


def finish() -> None:
    """End the cookie's session (sign-out)."""
    session_id = session.get(SESSION_KEY)
    if isinstance(session_id, str):
        store().end(session_id)
