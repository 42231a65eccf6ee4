"""Routing: the URL's path picks a page from the table; its query string becomes parameters.

The routing callback is public; each page is checked against the caller before its layout
is built, so a page's content never reaches someone who may not open it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from dash import Input, Output, State

from ioc_app import ids
from ioc_app.guard import PUBLIC, clientside_callback, guarded_callback, principal
from ioc_app.pages import page_for_path
from layouts.common import forbidden, not_found


def parse_query(search: str | None) -> dict[str, str]:
    """``?a=1&b=x`` → ``{"a": "1", "b": "x"}`` (the last value wins)."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def render_page(pathname: str | None, search: str | None) -> tuple[Any, str]:
    """URL changed → the page's layout (or 403/404) and the document title."""
    path = pathname or "/"
    page = page_for_path(path)
    if page is None:
        return not_found(), "404 · IOC"
    if not page.permits(principal(), path):
        return forbidden(), "403 · IOC"
    match = page.pattern.match(path)
    params = {**parse_query(search), **(match.groupdict() if match else {})}
    return page.layout(**params), f"{page.title()} · IOC"


def register(app: Any) -> None:
    """Wire the router and the document-title update."""
    guarded_callback(
        app, PUBLIC,
        Output(ids.PAGE_CONTENT, "children"), Output(ids.PAGE_TITLE, "data"),
        Input(ids.URL, "pathname"), State(ids.URL, "search"),
    )(render_page)
    clientside_callback(
        app,
        "function(t) { if (t) { document.title = t; } return window.dash_clientside.no_update; }",
        Output(ids.PAGE_TITLE, "id"), Input(ids.PAGE_TITLE, "data"),
    )
    # The language and theme switches come back to the page the user is on.
    clientside_callback(
        app,
        """function(path, search, langHref, themeHref) {
            const next = encodeURIComponent((path || '/') + (search || ''));
            const base = (href) => (href || '').split('?')[0];
            return [base(langHref) + '?next=' + next, base(themeHref) + '?next=' + next];
        }""",
        Output(ids.LANG_LINK, "href"), Output(ids.THEME_LINK, "href"),
        Input(ids.URL, "pathname"), Input(ids.URL, "search"),
        State(ids.LANG_LINK, "href"), State(ids.THEME_LINK, "href"),
    )
