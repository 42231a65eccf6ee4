"""Sign-in and sign-out (Flask-Login), for the server-rendered form and for JSON clients."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    jsonify,
    make_response,
    redirect,
    render_template_string,
    request,
    session,
)
from flask_login import LoginManager, login_user, logout_user

from data_access.sessions import check_throttle, clear_failures, record_failure
from data_access.users import authenticate, get_account
from ioc_app.core import audit, sessions
from ioc_app.core.guard import PUBLIC, principal, route_access
from ioc_app.core.i18n import current_language, current_theme, t
from ioc_app.core.principal import Principal, principal_of
from ioc_app.core.ratelimit import limiter
from ioc_app.core.sessions import CSRF_KEY, csrf_token
from ioc_app.core.warehouse import engine
from ioc_app.pages import landing_path

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()

LOGIN_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t('auth.signin') }} · {{ t('app.title') }}</title>
<link rel="stylesheet" href="/assets/app.css"></head>
<body class="theme-{{ theme }}"><main class="login-card" id="main">
<h1>{{ t('app.title') }}</h1><p class="muted">{{ t('app.department') }}</p>
{% if error %}<p class="form-error" role="alert">{{ error }}</p>{% endif %}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="{{ csrf }}">
<input type="hidden" name="next" value="{{ next }}">
<label for="username">{{ t('auth.username') }}</label>
<input id="username" name="username" autocomplete="username" required autofocus
 value="{{ username }}">
<label for="password">{{ t('auth.password') }}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{{ t('auth.signin') }}</button></form>
<p class="muted">{{ t('auth.public_map_hint') }} <a href="/map">/map</a></p>
<p><a href="/set-lang/{{ other_lang }}?next=/login">{{ t('lang.switch') }}</a></p>
</main></body></html>"""


@login_manager.user_loader
def load_user(user_id: str) -> Principal | None:
    """Rebuild the caller from the session; a disabled or deleted user is signed out."""
    try:
        uid = int(user_id)
    except ValueError:
        return None
    if not sessions.is_live(uid):  # signed out elsewhere, disabled, or a new password
        return None
    account = get_account(engine(), uid)
    return principal_of(account) if account else None


def session_fingerprint() -> str:
    """What ties a session to its client: address (as the trusted proxies report it) and agent."""
    agent = request.headers.get("User-Agent", "")
    return hashlib.sha512(f"{request.remote_addr}|{agent}".encode()).hexdigest()


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirects)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _render(error: str = "", username: str = "", status: int = 200) -> Any:
    session[CSRF_KEY] = session.get(CSRF_KEY) or secrets.token_urlsafe(24)
    lang = current_language()
    html = render_template_string(
        LOGIN_PAGE,
        t=t,
        lang=lang,
        theme=current_theme(),
        error=error,
        username=username,
        csrf=session[CSRF_KEY],
        next=safe_next(request.values.get("next")),
        other_lang="en" if lang == "vi" else "vi",
    )
    return html, status


@blueprint.route("/login", methods=["GET", "POST"])
@route_access(PUBLIC)
@limiter.limit("20/minute", methods=["POST"])
def login() -> Any:
    """GET: the form. POST: form fields or JSON ``username``/``password`` → 200/302 or 401."""
    if request.method == "GET":
        return _render()
    as_json = request.is_json
    data = request.get_json(silent=True) if as_json else request.form
    if not isinstance(data, dict) and not hasattr(data, "get"):
        abort(400, "expected the fields username and password")
    username = str(data.get("username") or "").strip().lower()
    password = str(data.get("password") or "")
    if not as_json and not secrets.compare_digest(
        str(data.get("csrf") or ""), str(session.get(CSRF_KEY) or "-")
    ):
        return _render(t("auth.failed"), username, 400)
    throttle = check_throttle(engine(), username)
    if not throttle.allowed:
        # The same answer for real and unknown names: the throttle counts both alike.
        audit.record("login_throttled", username[:64] or "-", f"retry_after={throttle.retry_after}")
        return _throttled(throttle.retry_after, username, as_json)
    account = authenticate(engine(), username, password) if username and password else None
    if account is None:
        record_failure(engine(), username)
        audit.record("login_failed", username[:64] or "-")
        if as_json:
            return jsonify(error="invalid credentials"), 401
        return _render(t("auth.failed"), username, 401)
    clear_failures(engine(), username)
    session.clear()
    session[CSRF_KEY] = secrets.token_urlsafe(24)  # the sign-out form's token
    sessions.begin(account.id)
    who = principal_of(account)
    login_user(who)
    audit.record("login", account.username)
    if as_json:
        return jsonify(username=account.username, role=account.role, units=list(account.units))
    return redirect(landing_path(who, safe_next(request.form.get("next"))))


def _throttled(retry_after: int, username: str, as_json: bool) -> Any:
    minutes = max(1, -(-retry_after // 60))
    if as_json:
        response = jsonify(error="too many failed sign-ins", retry_after=retry_after)
        response.status_code = 429
    else:
        page, _ = _render(t("auth.throttled").format(minutes=minutes), username, 429)
        response = make_response(page, 429)
    response.headers["Retry-After"] = str(retry_after)
    return response


@blueprint.route("/logout", methods=["POST"])
@route_access(PUBLIC)
def logout() -> Any:
    """Sign out (POST with the session's CSRF token) and go to the sign-in page.

    A link on another site cannot sign a user out: GET is refused, and a POST without the
    token (form field ``csrf`` or header ``X-CSRF-Token``) gets 400.
    """
    sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token") or ""
    expected = csrf_token()
    if principal().is_authenticated and not (
        expected and secrets.compare_digest(str(sent), expected)
    ):
        abort(400, "sign-out needs the form's token (field csrf or header X-CSRF-Token)")
    if principal().is_authenticated:
        audit.record("logout", principal().username)
    sessions.finish()
    logout_user()
    session.clear()
    return redirect("/login")


def init_app(server: Flask) -> None:
    """Install Flask-Login and the sign-in routes."""
    login_manager.init_app(server)
    login_manager.session_protection = "strong"
    # Flask-Login's own fingerprint believes X-Forwarded-For as sent; ours uses remote_addr,
    # which only the trusted proxies (IOC_TRUSTED_PROXIES) can set.
    login_manager._session_identifier_generator = session_fingerprint
    server.register_blueprint(blueprint)
