"""The first page of a visit rides in Dash's layout request, checked like any other render."""

from __future__ import annotations

import json

from ioc_app.core import ids
from tests.helpers import call, find_props, sign_in


def _layout(client, referrer: str | None) -> dict:
    headers = {"Referer": referrer} if referrer else {}
    response = client.get("/_dash-layout", headers=headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"  # it depends on caller and page
    return response.get_json()


def _first(layout: dict) -> tuple[object, object]:
    content = find_props(layout, ids.PAGE_CONTENT).get("children")
    rendered = find_props(layout, ids.PAGE_RENDERED).get("data")
    return content, rendered


def test_the_page_named_by_the_referer_is_in_the_layout(client) -> None:
    content, rendered = _first(_layout(client, "http://localhost/about/data?lang=en"))
    assert rendered == "/about/data?lang=en"
    assert content is not None and "error-page" not in json.dumps(content)
    title = find_props(_layout(client, "http://localhost/about/data"), ids.PAGE_TITLE)
    assert title["data"].endswith("· IOC")


def test_a_page_the_caller_may_not_open_is_rendered_as_403(client) -> None:
    content, rendered = _first(_layout(client, "http://localhost/forecast"))
    assert rendered == "/forecast"
    assert content["props"]["className"] == "error-page"
    assert content["props"]["children"][0]["props"]["children"] == "403"
    sign_in(client, "planner")
    content, _ = _first(_layout(client, "http://localhost/forecast"))
    assert "error-page" not in json.dumps(content)


def test_no_or_foreign_referer_leaves_the_page_to_the_router(client) -> None:
    for referrer in (None, "http://evil.example/about/data", "not a url"):
        content, rendered = _first(_layout(client, referrer))
        assert content is None and rendered is None, referrer


def test_router_leaves_the_rendered_page_once_then_renders_again(app, client) -> None:
    values = {"url.pathname": "/about/data", "url.search": "", "page-rendered.data": "/about/data"}
    first = call(client, app, ids.PAGE_CONTENT, values).get_json()["response"]
    assert ids.PAGE_CONTENT not in first and first[ids.PAGE_RENDERED]["data"] is None
    values[ids.PAGE_RENDERED + ".data"] = None
    again = call(client, app, ids.PAGE_CONTENT, values).get_json()["response"]
    assert again[ids.PAGE_CONTENT]["children"] is not None
    other = {**values, "page-rendered.data": "/map"}  # a stale mark for another page
    assert call(client, app, ids.PAGE_CONTENT, other).get_json()["response"][ids.PAGE_CONTENT]
