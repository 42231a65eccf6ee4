"""Bearer API tokens for ``/api/v1/…``: who a request with ``Authorization: Bearer`` is.

Used only by the guard (:mod:`ioc_app.core.guard`), which asks :func:`bearer_principal` before it
checks a route's declared access. The token's user is the caller of that one request: it is
kept in ``flask.g``, never in the session, so no cookie is created or changed. Dash pages and
callbacks ignore the header and keep using the session.
"""

from __future__ import annotations

from flask import Request, Response, jsonify

from data_access.tokens import verify_scoped
from ioc_app.core.principal import Principal, principal_of
from ioc_app.core.warehouse import engine

API_PREFIX = "/api/v1/"
#: The attribute of ``flask.g`` holding the bearer caller of the current request.
G_KEY = "ioc_bearer_principal"


def presents_token(request: Request) -> bool:
    """Whether ``request`` is an API request that carries an ``Authorization`` header."""
    return request.path.startswith(API_PREFIX) and "Authorization" in request.headers


def bearer_principal(request: Request) -> Principal | None:
    """The active user of a valid, unrevoked, unexpired bearer token, carrying the token's
    scope, or None for anything else."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    found = verify_scoped(engine(), token.strip())
    if found is None:
        return None
    return principal_of(*found)


#: Methods a read-only token may use.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def read_only_refusal(who: Principal, method: str) -> Response | None:
    """403 when a read-only token asks to change something (report writing needs the
    token's write-reports scope), else None."""
    if method in READ_METHODS or who.may_write:
        return None
    response = jsonify(
        error="forbidden",
        message="this API token is read-only: writing reports needs a token created with "
        "--write-reports",
        scope="write-reports",
    )
    response.status_code = 403
    return response


def invalid_token() -> Response:
    """401 for a malformed, unknown, revoked or expired token or a disabled user (not saying
    which)."""
    response = jsonify(error="invalid token")
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response
