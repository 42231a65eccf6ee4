"""Plain Flask routes: health check, language and theme switches, security headers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, jsonify, redirect, request

from data_access.queries.status import health
from ioc_app.auth import safe_next
from ioc_app.core.guard import PUBLIC, route_access
from ioc_app.core.i18n import LANG_COOKIE, LANGUAGES, THEME_COOKIE, THEMES
from ioc_app.core.warehouse import engine

blueprint = Blueprint("system", __name__)
YEAR = 365 * 24 * 3600


@blueprint.route("/healthz")
@route_access(PUBLIC)
def healthz() -> Any:
    """JSON: engine reachable, schema version, data freshness; 503 when not healthy."""
    report = health(engine())
    return jsonify(report), 200 if report.get("status") == "ok" else 503


#: What search engines may index: the public map and the data sources; every other page needs
#: a sign-in (a crawler would only meet the sign-in form) and the API is for programs.
ROBOTS = """User-agent: *
Allow: /map
Allow: /about/data
Disallow: /
"""


@blueprint.route("/robots.txt")
@route_access(PUBLIC)
def robots() -> Response:
    """The crawl rules (plain text; without this route Dash answered with the app's HTML)."""
    response = Response(ROBOTS, mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


def _preference(cookie: str, value: str, allowed: tuple[str, ...]) -> Response:
    if value not in allowed:
        abort(404)
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(cookie, value, max_age=YEAR, samesite="Lax", httponly=True)
    return response


@blueprint.route("/set-lang/<lang>")
@route_access(PUBLIC)
def set_language(lang: str) -> Response:
    """Remember the interface language and go back to ``next``."""
    return _preference(LANG_COOKIE, lang, LANGUAGES)


@blueprint.route("/set-theme/<theme>")
@route_access(PUBLIC)
def set_theme(theme: str) -> Response:
    """Remember the colour theme and go back to ``next``."""
    return _preference(THEME_COOKIE, theme, THEMES)


#: Where the app's scripts may come from, set by create_app: our files, plus the hashes of
#: Dash's own inline start-up script (app.csp_hashes()). No 'unsafe-inline', no 'unsafe-eval'.
SCRIPT_SOURCES = "IOC_SCRIPT_SOURCES"


def content_security_policy(tile_origin: str) -> str:
    """The policy of every response. Styles keep 'unsafe-inline': Dash and Plotly write
    ``style`` attributes on the elements they render (see the README's security model)."""
    from flask import current_app

    scripts = current_app.config.get(SCRIPT_SOURCES, "'self'")
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob: {tile_origin}".rstrip()
        + "; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


def security_headers(response: Response) -> Response:
    """Add the headers Flask does not send by default."""
    from flask import current_app

    tiles = current_app.config.get("IOC_TILE_ORIGIN", "")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        # Cookies are Secure, so the site is served over HTTPS: browsers must keep to it.
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    if request.path.endswith("/_dash-layout"):  # carries the caller's first page
        response.headers["Cache-Control"] = "no-store"
        response.headers["Vary"] = "Cookie, Referer"
    response.headers.setdefault("Content-Security-Policy", content_security_policy(tiles))
    return response


def remember_language(response: Response) -> Response:
    """A page opened with ``?lang=en`` keeps that language for its callbacks (cookie)."""
    lang = request.args.get("lang")
    if lang in LANGUAGES and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=YEAR, samesite="Lax", httponly=True)
    return response


def init_app(server: Flask) -> None:
    """Register the routes and the response hooks."""
    server.register_blueprint(blueprint)
    server.after_request(security_headers)
    server.after_request(remember_language)
