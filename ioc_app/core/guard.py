"""One guard for every page, callback and route: each declares who may call it.

Anything that does not declare its access is refused. The checks run in ``before_request``
(so a refused callback never runs) and again inside each callback (defence in depth).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import (
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    jsonify,
    redirect,
    request,
)
from flask_login import current_user

from ioc_app.core import api_auth
from ioc_app.core.principal import ADMIN, ANONYMOUS, ANONYMOUS_PRINCIPAL, Principal

CALLBACK_REGISTRY = "IOC_CALLBACK_ACCESS"
CLIENTSIDE_OUTPUTS = "IOC_CLIENTSIDE_OUTPUTS"
DASH_UPDATE = "/_dash-update-component"
# Dash's own routes that only serve code and the page shell, never data.
DASH_PUBLIC_ENDPOINTS = frozenset(
    {
        "_dash_assets.static",
        "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
        "/_dash-layout",
        "/_dash-dependencies",
        "/_reload-hash",
        "/_favicon.ico",
        "static",
    }
)
DASH_INDEX_ENDPOINTS = frozenset({"/", "/<path:path>"})


@dataclass(frozen=True)
class Access:
    """Who may call something: role names, or ``anonymous`` for everyone."""

    roles: frozenset[str]

    @classmethod
    def of(cls, *roles: str) -> Access:
        """Access for the given roles (``admin`` is always included)."""
        return cls(frozenset(roles) | ({ADMIN} if ANONYMOUS not in roles else set()))

    @property
    def public(self) -> bool:
        return ANONYMOUS in self.roles

    def permits(self, principal: Principal) -> bool:
        """Whether ``principal`` may call."""
        return self.public or principal.role in self.roles


PUBLIC = Access.of(ANONYMOUS)
SIGNED_IN = Access.of("leadership", "planner", "department", ADMIN)


def principal() -> Principal:
    """The caller of the current request (a bearer token's user on /api/v1, else the session's)."""
    bearer = g.get(api_auth.G_KEY) if has_request_context() else None
    if bearer is not None:
        return bearer
    user = current_user
    return user if isinstance(user, Principal) else ANONYMOUS_PRINCIPAL


def route_access(access: Access) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare who may call a Flask route (checked by the guard before the view runs)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view.ioc_access = access  # type: ignore[attr-defined]
        return view

    return decorate


def guarded_callback(app: Any, access: Access, *args: Any, **kwargs: Any) -> Callable:
    """``app.callback`` that also declares who may trigger the callback.

    The callback's output key is recorded so the guard can refuse a request before Dash
    runs anything; the wrapped function checks again when it is called.

    A background callback (``background=True``) is recorded the same way: the request that
    starts its job and every request polling for its progress and result name the same output,
    so the guard checks each of them. The job itself runs in a worker process (diskcache's or
    Celery's) outside any request, where there is no caller to check again: it only runs when
    a request the guard let through started it. The job runs inside the application context
    of the app that registered it (a process may hold several apps: ``dash.get_app()`` names
    only the last one made).
    """
    background = bool(kwargs.get("background"))

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def checked(*f_args: Any, **f_kwargs: Any) -> Any:
            if background and not has_request_context():  # the job, in a worker process
                with app.server.app_context():  # this app's configuration, not the last one made
                    return function(*f_args, **f_kwargs)
            if not access.permits(principal()):
                abort(401 if principal().is_anonymous else 403)
            return function(*f_args, **f_kwargs)

        before = set(app.callback_map)
        app.callback(*args, **kwargs)(checked)
        registry = app.server.config.setdefault(CALLBACK_REGISTRY, {})
        for key in set(app.callback_map) - before:
            registry[key] = access
        return function

    return decorate


#: What a user with a one-time password may still reach: the change form, sign-out, and the
#: files a page needs to render (no data).
PASSWORD_CHANGE_ENDPOINTS = frozenset(
    {"password.change", "auth.logout", "auth.login", "_dash_assets.static", "static"}
)
PASSWORD_PATH = "/password"


def _password_first(who: Principal) -> Any:
    """A one-time password: pages go to the change form, anything else is refused."""
    if request.method == "GET" and request.endpoint in DASH_INDEX_ENDPOINTS:
        return redirect(PASSWORD_PATH)
    response = jsonify(
        error="password change required",
        message=f"{who.username} signed in with a one-time password: choose a new one at "
        f"{PASSWORD_PATH}",
    )
    response.status_code = 403
    return response


def _refuse(who: Principal, what: str) -> Any:
    status = 401 if who.is_anonymous else 403
    response = jsonify(error="unauthorised" if status == 401 else "forbidden", target=what)
    response.status_code = status
    return response


def _callback_access(server: Flask) -> Access | None:
    try:
        body = json.loads(request.get_data(cache=True) or b"{}")
    except ValueError:
        abort(400, "the callback request is not JSON")
    except RecursionError:  # nested deeper than the parser's recursion limit
        abort(400, "the callback request is nested too deeply")
    output = body.get("output") if isinstance(body, dict) else None
    if not isinstance(output, str):
        abort(400, "the callback request names no output")
    if output in server.config.get(CLIENTSIDE_OUTPUTS, ()):
        abort(400, "that callback runs in the browser, not on the server")
    return server.config.get(CALLBACK_REGISTRY, {}).get(output)


def check_request() -> Any:
    """``before_request`` hook: refuse what the caller may not call, before it runs."""
    server = current_app
    # API tokens: on /api/v1/… only, an Authorization header replaces the session for this
    # request (kept in flask.g, read by principal()); the route's declared access is then
    # checked below like any other. Elsewhere the header is ignored.
    if api_auth.presents_token(request):
        bearer = api_auth.bearer_principal(request)
        if bearer is None:
            return api_auth.invalid_token()
        setattr(g, api_auth.G_KEY, bearer)
        refusal = api_auth.read_only_refusal(bearer, request.method)
        if refusal is not None:
            return refusal
    who = principal()
    if who.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return _password_first(who)
    if request.path == DASH_UPDATE:
        access = _callback_access(server)
        if access is None:
            return _refuse(who, "undeclared callback")
        return None if access.permits(who) else _refuse(who, "callback")
    endpoint = request.endpoint
    if endpoint is None:
        return None  # Flask answers 404 itself
    if endpoint in DASH_PUBLIC_ENDPOINTS:
        return None
    if endpoint in DASH_INDEX_ENDPOINTS:
        return server.extensions[PAGE_CHECK](who, request.path)
    view = server.view_functions.get(endpoint)
    access: Access | None = getattr(view, "ioc_access", None)
    if access is None:
        abort(403)
    if access.permits(who):
        return None
    return _refuse(who, request.path)


PAGE_CHECK = "ioc_page_check"
#: Decides a page request: None lets it through, anything else is the response instead.
PageCheck = Callable[[Principal, str], Any]


def init_app(server: Flask, page_check: PageCheck) -> None:
    """Install the guard on ``server``; ``page_check`` decides requests for the app's pages.

    The application passes its page table's check in, so this base module never imports a
    page.
    """
    server.extensions[PAGE_CHECK] = page_check
    server.before_request(check_request)


def clientside_callback(app: Any, function: Any, *args: Any, **kwargs: Any) -> None:
    """``app.clientside_callback`` (a ``ClientsideFunction``), declared public: it runs in
    the browser, never here — a request to run it on the server is refused (400)."""
    before = set(app.callback_map)
    app.clientside_callback(function, *args, **kwargs)
    registry = app.server.config.setdefault(CALLBACK_REGISTRY, {})
    browser_only = app.server.config.setdefault(CLIENTSIDE_OUTPUTS, set())
    for key in set(app.callback_map) - before:
        registry[key] = PUBLIC
        browser_only.add(key)
