"""Routing: the URL's path picks a page from the table; its query string becomes parameters.

The routing callback is public; each page is checked against the caller before its layout
is built, so a page's content never reaches someone who may not open it.

The first page of a visit is rendered into the shell by the layout request itself (its
Referer names the page), so the browser draws it without waiting for a routing round trip;
the routing callback then sees that page already there and leaves it alone.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from dash import ClientsideFunction, Input, Output, State, no_update
from flask import abort, has_request_context, request

from ioc_app.core import ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.guard import PUBLIC, principal
from ioc_app.pages import landing_path, page_for_path
from layouts.common import forbidden, not_found

CALLBACKS = CallbackRegistry()


def parse_query(search: str | None) -> dict[str, str]:
    """``?a=1&b=x`` → ``{"a": "1", "b": "x"}`` (the last value wins)."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def render_page(pathname: str | None, search: str | None) -> tuple[Any, str]:
    """URL changed → the page's layout (or 403/404) and the document title."""
    path = pathname or "/"
    page = page_for_path(path)
    if page is None:
        return not_found(), "404 · IOC"
    who = principal()
    if not page.permits(who, path):
        return forbidden(landing_path(who)), "403 · IOC"
    match = page.pattern.match(path)
    params = {**parse_query(search), **(match.groupdict() if match else {})}
    return page.layout(**params), f"{page.title()} · IOC"


def first_render() -> tuple[Any, str, str] | None:
    """In Dash's layout request: the page the browser is opening (content, title, URL key),
    or None when that is unknown (no Referer, another host, any other request)."""
    if not has_request_context() or not request.path.endswith("/_dash-layout"):
        return None
    referrer = urlsplit(request.referrer or "")
    if not referrer.path or referrer.netloc != request.host:
        return None
    search = f"?{referrer.query}" if referrer.query else ""
    content, title = render_page(referrer.path, search)
    return content, title, referrer.path + search


@CALLBACKS.callback(
    PUBLIC,
    Output(ids.PAGE_CONTENT, "children"),
    Output(ids.PAGE_TITLE, "data"),
    Output(ids.PAGE_RENDERED, "data"),
    Input(ids.URL, "pathname"),
    State(ids.URL, "search"),
    State(ids.PAGE_RENDERED, "data"),
)
def route(pathname: str | None, search: str | None, rendered: str | None) -> tuple[Any, Any, None]:
    """The routing callback. Its first call finds the page the layout already carries
    (``rendered``) and leaves it; every call clears that mark, so later navigation renders."""
    if not all(value is None or isinstance(value, str) for value in (pathname, search, rendered)):
        abort(400, "the URL is not text")
    if rendered and rendered == (pathname or "/") + (search or ""):
        return no_update, no_update, None
    return (*render_page(pathname, search), None)


CALLBACKS.clientside(
    ClientsideFunction("iocShell", "documentTitle"),  # assets/shell.js
    Output(ids.PAGE_TITLE, "id"),
    Input(ids.PAGE_TITLE, "data"),
)
# The language and theme switches come back to the page the user is on.
CALLBACKS.clientside(
    ClientsideFunction("iocShell", "switchLinks"),
    Output(ids.LANG_LINK, "href"),
    Output(ids.THEME_LINK, "href"),
    Input(ids.URL, "pathname"),
    Input(ids.URL, "search"),
    State(ids.LANG_LINK, "href"),
    State(ids.THEME_LINK, "href"),
)


def register(app: Any) -> None:
    """Wire the router and the document-title update."""
    CALLBACKS.register(app)
