"""Rate limits for sign-in, the public endpoints and anonymous Dash callbacks.

Redis-backed when REDIS_URL is set (several workers share the counts), in-process otherwise.
Anonymous ``/_dash-update-component`` requests are checked before anything parses them: a
body over ``IOC_PUBLIC_MAX_BODY_KB`` gets 413, more than ``IOC_RATE_LIMIT`` per client
address gets 429. Public exports have their own, tighter limit (``IOC_EXPORT_RATE_LIMIT``),
checked by the export callbacks, and anonymous exports are capped at ``IOC_EXPORT_MAX_ROWS``.
Signed-in callers are not held by these public limits.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from flask import Flask, abort, current_app, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse

from ioc_app.core.guard import DASH_UPDATE, principal

if TYPE_CHECKING:
    from ioc_app.core.config import Config

limiter = Limiter(get_remote_address, headers_enabled=True)

PUBLIC_LIMIT = "IOC_PUBLIC_LIMIT"
EXPORT_LIMIT = "IOC_EXPORT_LIMIT"
EXPORT_MAX_ROWS = "IOC_EXPORT_MAX_ROWS"
PUBLIC_MAX_BODY = "IOC_PUBLIC_MAX_BODY"


def init_app(server: Flask, config: Config) -> None:
    """Configure storage and the public limits; check anonymous callback requests.

    With ``REDIS_URL`` every worker and host counts in the same Redis (under the
    deployment's key prefix), so a limit is a limit of the deployment, not of one process.
    """
    server.config["RATELIMIT_STORAGE_URI"] = config.redis_url or "memory://"
    server.config["RATELIMIT_KEY_PREFIX"] = f"{config.redis_prefix}limits"
    server.config[PUBLIC_LIMIT] = config.rate_limit
    server.config[EXPORT_LIMIT] = config.export_rate_limit
    server.config[EXPORT_MAX_ROWS] = config.export_max_rows
    server.config[PUBLIC_MAX_BODY] = config.public_max_body_kb * 1024
    limiter.init_app(server)
    # Registered before the guard's hook (create_app installs the guard after this), so an
    # oversized body is refused before the guard reads it.
    server.before_request(limit_anonymous_callbacks)


def public_limit() -> str:
    """The configured limit for public endpoints (e.g. ``120/minute``)."""
    return current_app.config[PUBLIC_LIMIT]


def _anonymous() -> bool:
    return principal().is_anonymous


def _too_many(scope: str, limit: str) -> Any:
    """None while the client address is within ``limit`` in ``scope`` (one hit counted);
    else the 429 response, with Retry-After."""
    if not limiter.enabled:
        return None
    item = parse(limit)
    key = get_remote_address() or "unknown"
    if limiter.limiter.hit(item, scope, key):
        return None
    reset = limiter.limiter.get_window_stats(item, scope, key).reset_time
    response = jsonify(error="rate_limited", message=f"at most {limit} per client address")
    response.status_code = 429
    response.headers["Retry-After"] = str(max(1, int(reset - time.time())))
    return response


def limit_anonymous_callbacks() -> Any:
    """``before_request``: an anonymous callback request gets 413 when its body is larger than
    the public limit (before it is read) and 429 past the public rate limit."""
    if request.path != DASH_UPDATE or not _anonymous():
        return None
    cap = current_app.config[PUBLIC_MAX_BODY]
    if request.content_length is not None and request.content_length > cap:
        return _too_large(cap)
    if request.content_length is None:
        # A chunked body: Werkzeug reads it only up to the cap (and only when the server
        # terminates the stream); one that fills the cap is taken as larger.
        request.max_content_length = cap
        if len(request.get_data(cache=True)) >= cap:
            return _too_large(cap)
    return _too_many("dash-callback", current_app.config[PUBLIC_LIMIT])


def _too_large(cap: int) -> Any:
    response = jsonify(error="too_large", message=f"at most {cap // 1024} KB")
    response.status_code = 413
    return response


def check_export() -> None:
    """In an export callback: 429 when an anonymous client address has exported more than
    ``IOC_EXPORT_RATE_LIMIT`` (one bucket for every public export)."""
    if not _anonymous():
        return
    refused = _too_many("export", current_app.config[EXPORT_LIMIT])
    if refused is not None:
        abort(refused)


def export_row_cap() -> int | None:
    """The most rows an export may hold for this caller: ``IOC_EXPORT_MAX_ROWS`` when
    anonymous, None (no cap) when signed in."""
    return current_app.config[EXPORT_MAX_ROWS] if _anonymous() else None
