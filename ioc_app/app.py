"""The application factory: ``create_app(config)`` returns a Dash app with its Flask server."""

from __future__ import annotations

import threading
from datetime import timedelta
from html import escape
from urllib.parse import urlsplit

import dash
from dash import html
from dash._utils import to_json
from werkzeug.middleware.proxy_fix import ProxyFix

from ioc_app import (
    auth,
    domain_api,
    dx_api,
    layer_routes,
    password,
    plan_api,
    public_api,
    router,
    routes,
)
from ioc_app.core import background, compression, guard, ratelimit, sessions, warehouse
from ioc_app.core.config import ROOT, Config
from ioc_app.core.i18n import current_language, t
from ioc_app.pages import PAGES, check_page
from ioc_app.shell import shell


class IocDash(dash.Dash):
    """Dash whose page says its language (``<html lang="vi">``), so a screen reader reads
    Vietnamese with Vietnamese rules, and whose page serialises the validation layout once.

    Dash walks and serialises the validation layout (every page's components, ~80 KB) again
    for each HTML page: ~70 ms of CPU per request, which capped the server under load
    (bench/bench_load.py, docs/performance.md). It is fixed once ``create_app`` has set it,
    so its JSON is kept; while Dash builds the rest of the config, the layout is hidden from
    that one thread only (``_HIDDEN``), so other requests see it unchanged.
    """

    def interpolate_index(self, **kwargs: object) -> str:
        page = super().interpolate_index(**kwargs)
        lang = current_language()
        description = f'<meta name="description" content="{escape(t("app.description", lang))}">'
        page = page.replace("<head>", f"<head>\n{description}", 1)
        return page.replace("<html>", f'<html lang="{lang}">', 1)

    @property
    def validation_layout(self) -> object:
        return None if getattr(_HIDDEN, "on", False) else self.__dict__.get("_validation")

    @validation_layout.setter
    def validation_layout(self, layout: object) -> None:
        self.__dict__["_validation"] = layout
        self.__dict__["_validation_json"] = None

    def _generate_config_html(self) -> str:
        _HIDDEN.on = True
        try:
            config = self._config()
        finally:
            _HIDDEN.on = False
        text = to_json(config)
        layout = self.validation_layout
        if layout is not None and not self.config.suppress_callback_exceptions:
            key = len(self._extra_components)
            cached = self.__dict__.get("_validation_json")
            if cached is None or cached[0] != key:
                if self._extra_components:  # as Dash does
                    layout = html.Div(children=[layout, *self._extra_components])
                cached = self.__dict__["_validation_json"] = (key, to_json(layout))
            text = f'{text[:-1]},"validation_layout":{cached[1]}}}'
        return f'<script id="_dash-config" type="application/json">{text}</script>'


#: Per thread (per greenlet under gevent): set while IocDash builds a page's config.
_HIDDEN = threading.local()


def create_app(config: Config | None = None) -> dash.Dash:
    """Build the application: warehouse, sign-in, guard, pages and their callbacks."""
    config = config or Config.from_env()
    app = IocDash(
        __name__,
        assets_folder=str(ROOT / "assets"),
        serve_locally=True,
        title="IOC · Sở GD&ĐT TP.HCM",
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        # Long work (validating an uploaded file) runs as background callbacks with progress.
        background_callback_manager=background.manager(config.redis_url),
    )
    server = app.server
    server.config.update(
        SECRET_KEY=config.secret_key,
        TESTING=config.testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not (config.development or config.testing),
        REMEMBER_COOKIE_SECURE=not (config.development or config.testing),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=config.session_hours),
        MAX_CONTENT_LENGTH=config.max_upload_mb * 1024 * 1024,
        IOC_TILE_URL=config.tile_url,
        IOC_TILE_ATTRIBUTION=config.tile_attribution,
        IOC_TILE_ORIGIN=_origin(config.tile_url),
    )
    if config.trusted_proxies:
        # Only the configured number of proxies may set the client's address and scheme.
        n = config.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    warehouse.init_app(server, config.database_url, config.redis_url)
    ratelimit.init_app(server, config)
    sessions.init_app(
        server,
        sessions.make_store(
            warehouse.engine_of(server), config.redis_url, f"{config.redis_prefix}session:"
        ),
    )
    guard.init_app(server, check_page)
    # Every blueprint is registered here, in one place.
    auth.init_app(server)
    routes.init_app(server)
    public_api.init_app(server)
    domain_api.init_app(server)
    plan_api.init_app(server)
    dx_api.init_app(server)
    password.init_app(server)
    layer_routes.init_app(server)
    compression.init_app(
        server
    )  # the other hooks add headers only: any order compresses the same body
    router.register(app)
    for page in PAGES:
        if page.callbacks is not None:
            page.callbacks.register(app)
    app.layout = shell
    # Inline scripts are Dash's start-up only (no JavaScript in Python strings): allow them by
    # hash, so the policy needs neither 'unsafe-inline' nor 'unsafe-eval' for scripts.
    server.config[routes.SCRIPT_SOURCES] = " ".join(["'self'", *app.csp_hashes()])
    with server.test_request_context("/"):
        app.validation_layout = html.Div([shell(), *[page.layout() for page in PAGES]])
    return app


def _origin(url: str) -> str:
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
