"""The page a signed-in caller gets for a page their role may not open: in the app's look
and language, with a way on (their own first page, or signing in as someone else)."""

from __future__ import annotations

from flask import render_template_string

from ioc_app.core.i18n import add_texts, current_language, current_theme, t
from ioc_app.core.principal import Principal
from ioc_app.core.sessions import csrf_token

add_texts(
    {
        "forbidden.home": ("Mở trang của bạn", "Open your page"),
        "forbidden.switch": ("Đăng nhập bằng tài khoản khác", "Sign in as someone else"),
        "forbidden.who": ("Đang đăng nhập: {user}", "Signed in as {user}"),
    }
)

FORBIDDEN_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>403 · {{ t('app.title') }}</title>
<link rel="stylesheet" href="/assets/app.css"></head>
<body class="theme-{{ theme }}"><main class="login-card" id="main">
<h1>403</h1><p>{{ t('error.403') }}</p>
<p class="muted">{{ t('forbidden.who').format(user=user) }}</p>
<p><a class="button-link" href="{{ home }}">{{ t('forbidden.home') }}</a></p>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="{{ csrf }}">
<button type="submit" class="button-link">{{ t('forbidden.switch') }}</button></form>
</main></body></html>"""


def forbidden_response(who: Principal, home: str) -> tuple[str, int]:
    """The 403 page for ``who``; ``home`` is a page they may open (Jinja escapes both)."""
    html = render_template_string(
        FORBIDDEN_PAGE,
        t=t,
        lang=current_language(),
        theme=current_theme(),
        user=who.username,
        home=home,
        csrf=csrf_token(),
    )
    return html, 403
