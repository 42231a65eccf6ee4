"""The application factory: ``create_app(config)`` returns a Dash app with its Flask server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import dash
from dash import html

from ioc_app import auth, guard, ratelimit, routes, warehouse
from ioc_app.config import ROOT, Config
from ioc_app.guard import PUBLIC, declare_callbacks, principal
from ioc_app.pages import PAGES, Page
from ioc_app.shell import shell
from layouts.common import forbidden, not_found



def _dash_page_callbacks(app: dash.Dash) -> list[str]:
    """Dash's own page-routing callbacks: public, because each page's layout checks the caller."""
    return [key for key in app.callback_map if "_pages_content." in key or "_pages_dummy." in key]


def _page_layout(page: Page) -> Any:
    def render(**params: Any) -> Any:
        who = principal()
        path = page.path
        for name, value in params.items():
            path = path.replace(f"<{name}>", str(value))
        if not page.permits(who, path):
            return forbidden()
        return page.layout(**params)

    render.__name__ = f"layout_{page.key}"
    return render


def _register_pages(app: dash.Dash) -> None:
    for order, page in enumerate(PAGES):
        options: dict[str, Any] = {"path_template": page.path} if "<" in page.path else {
            "path": page.path}
        dash.register_page(page.key, name=page.title_vi, title="IOC", order=order,
                           layout=_page_layout(page), **options)
        if page.callbacks is not None:
            page.callbacks.register(app)
    dash.register_page("not_found_404", path="/404", layout=lambda **_: not_found())


def create_app(config: Config | None = None) -> dash.Dash:
    """Build the application: warehouse, sign-in, guard, pages and their callbacks."""
    config = config or Config.from_env()
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ROOT / "assets"),
        serve_locally=True,
        title="IOC · Sở GD&ĐT TP.HCM",
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
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
    warehouse.init_app(server, config.database_url, config.redis_url)
    ratelimit.init_app(server, redis_url=config.redis_url, default=config.rate_limit)
    auth.init_app(server)
    routes.init_app(server)
    guard.init_app(server)
    _register_pages(app)
    app.layout = shell
    declare_callbacks(app, PUBLIC, _dash_page_callbacks(app))
    with server.test_request_context("/"):
        app.validation_layout = html.Div([shell(), *[page.layout() for page in PAGES]])
    return app


def _origin(url: str) -> str:
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
