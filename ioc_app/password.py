"""Choosing a new password: required after a one-time password, open to any signed-in user.

A new password ends every other session of the user (on every worker) and keeps this one.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Flask, redirect, render_template_string, request, session
from flask_login import login_user

from data_access.users import UserError, authenticate, get_account, set_password
from ioc_app.core import audit, sessions
from ioc_app.core.guard import SIGNED_IN, Access, principal, route_access
from ioc_app.core.i18n import add_texts, current_language, current_theme, t
from ioc_app.core.principal import principal_of
from ioc_app.core.ratelimit import limiter
from ioc_app.core.sessions import CSRF_KEY, csrf_token
from ioc_app.core.warehouse import engine
from ioc_app.pages import landing_path

blueprint = Blueprint("password", __name__)
#: Every signed-in role, schools included.
ANY_USER = Access(SIGNED_IN.roles | {"school"})
add_texts(
    {
        "pw.title": ("Đổi mật khẩu", "Change your password"),
        "pw.first": (
            "Bạn đang dùng mật khẩu một lần: hãy chọn mật khẩu mới để tiếp tục.",
            "You signed in with a one-time password: choose a new one to continue.",
        ),
        "pw.current": ("Mật khẩu hiện tại", "Current password"),
        "pw.new": ("Mật khẩu mới (ít nhất 10 ký tự)", "New password (at least 10 characters)"),
        "pw.again": ("Nhập lại mật khẩu mới", "New password again"),
        "pw.save": ("Lưu mật khẩu", "Save the password"),
        "pw.wrong": ("Mật khẩu hiện tại không đúng.", "The current password is wrong."),
        "pw.differ": ("Hai lần nhập mật khẩu mới không khớp.", "The two new passwords differ."),
        "pw.same": (
            "Mật khẩu mới phải khác mật khẩu một lần.",
            "The new password must differ from the one-time password.",
        ),
    }
)
PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t('pw.title') }} · {{ t('app.title') }}</title>
<link rel="stylesheet" href="/assets/app.css"></head>
<body class="theme-{{ theme }}"><main class="login-card" id="main">
<h1>{{ t('pw.title') }}</h1><p class="muted">{{ user }}</p>
{% if first %}<p class="notice notice-warning">{{ t('pw.first') }}</p>{% endif %}
{% if error %}<p class="form-error" role="alert">{{ error }}</p>{% endif %}
<form method="post" action="/password">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label for="current">{{ t('pw.current') }}</label>
<input id="current" name="current" type="password" autocomplete="current-password" required>
<label for="new">{{ t('pw.new') }}</label>
<input id="new" name="new" type="password" autocomplete="new-password" minlength="10" required>
<label for="again">{{ t('pw.again') }}</label>
<input id="again" name="again" type="password" autocomplete="new-password" required>
<button type="submit">{{ t('pw.save') }}</button></form>
</main></body></html>"""


def _render(error: str = "", status: int = 200) -> Any:
    who = principal()
    session[CSRF_KEY] = session.get(CSRF_KEY) or secrets.token_urlsafe(24)
    page = render_template_string(
        PAGE,
        t=t,
        lang=current_language(),
        theme=current_theme(),
        user=who.username,
        first=who.must_change_password,
        error=error,
        csrf=session[CSRF_KEY],
    )
    return page, status


@blueprint.route("/password", methods=["GET", "POST"])
@route_access(ANY_USER)
@limiter.limit("10/minute", methods=["POST"])
def change() -> Any:
    """GET: the form. POST (with the session's token): check the current password, set the
    new one, end the user's other sessions and go on to the user's first page."""
    if request.method == "GET":
        return _render()
    who = principal()
    if not secrets.compare_digest(str(request.form.get("csrf") or ""), csrf_token() or "-"):
        return _render(t("auth.failed"), 400)
    current = str(request.form.get("current") or "")
    new, again = str(request.form.get("new") or ""), str(request.form.get("again") or "")
    if authenticate(engine(), who.username, current) is None:
        audit.record("password_change_failed", who.username)
        return _render(t("pw.wrong"), 400)
    if new != again:
        return _render(t("pw.differ"), 400)
    if new == current:
        return _render(t("pw.same"), 400)
    try:
        user_id = set_password(engine(), who.username, new)
    except UserError as exc:
        return _render(str(exc), 400)
    sessions.store().end_user(user_id)  # every session, this one too …
    sessions.begin(user_id)  # … then a fresh one for this browser
    account = get_account(engine(), user_id)
    if account is not None:
        login_user(principal_of(account))
    audit.record("password_change", who.username)
    return redirect(landing_path(principal()))


def init_app(server: Flask) -> None:
    """Register the password form."""
    server.register_blueprint(blueprint)
