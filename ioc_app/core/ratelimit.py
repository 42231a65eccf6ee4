"""Rate limits for sign-in and the public endpoints (Redis-backed when REDIS_URL is set)."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address, headers_enabled=True)


def init_app(server: Flask, *, redis_url: str, default: str, prefix: str = "ioc:") -> None:
    """Configure storage and the default limit used by ``public_limit``.

    With ``redis_url`` every worker and host counts in the same Redis (under ``prefix``), so
    a limit is a limit of the deployment, not of one process.
    """
    server.config["RATELIMIT_STORAGE_URI"] = redis_url or "memory://"
    server.config["RATELIMIT_KEY_PREFIX"] = f"{prefix}limits"
    server.config["IOC_PUBLIC_LIMIT"] = default
    limiter.init_app(server)


def public_limit() -> str:
    """The configured limit for public endpoints (e.g. ``120/minute``)."""
    from flask import current_app

    return current_app.config["IOC_PUBLIC_LIMIT"]
