"""The page's Dash config carries the same validation layout as Dash's own, serialised once."""

from __future__ import annotations

import json
import re

import dash

CONFIG = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)


def _config(html: str) -> dict:
    found = CONFIG.search(html)
    assert found, "no Dash config script in the page"
    config = json.loads(found.group(1))
    config.pop("end_id")  # a fresh signed token per page
    return config


def test_the_config_equals_the_one_dash_builds(app, client) -> None:
    page = client.get("/map").get_data(as_text=True)
    ours = _config(page)
    with app.server.test_request_context("/map"):
        theirs = _config(dash.Dash._generate_config_html(app))
    assert ours == theirs
    assert ours["validation_layout"]["props"]["children"], "the validation layout is sent"


def test_a_new_validation_layout_is_serialised_again(app, client) -> None:
    client.get("/map")
    app.validation_layout = dash.html.Div(id="only-this")
    ours = _config(client.get("/map").get_data(as_text=True))
    assert ours["validation_layout"]["props"]["id"] == "only-this"
