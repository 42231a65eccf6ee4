"""Bad input a client can send answers 400 or 404, never 500 (security review, finding 9)."""

from __future__ import annotations

import pytest

from data_access.db import make_engine
from ioc_app.core import ids
from tests.helpers import call, client_as

HUGE_ID = "9" * 20  # beyond SQLite's and PostgreSQL's integers


@pytest.fixture
def anonymous(seeded_app):
    client = seeded_app.server.test_client()
    seeded_app.server.config["PROPAGATE_EXCEPTIONS"] = False  # see the status a client sees
    return client


def _details(app, client, selected):
    return call(
        client,
        app,
        ids.MAP_DETAILS,
        {f"{ids.MAP_SELECTED}.data": selected, f"{ids.MAP_VIEW}.data": {"lang": "vi"}},
        triggered=f"{ids.MAP_SELECTED}.data",
    )


@pytest.mark.parametrize("selected", [float("inf"), float("-inf"), 1e20, -1e20, int(HUGE_ID)])
def test_an_impossible_selected_institution_is_a_bad_request(
    seeded_app, anonymous, selected
) -> None:
    # json.dumps writes inf as Infinity, and the server's parser (Python's json) accepts it
    assert _details(seeded_app, anonymous, selected).status_code == 400


def test_a_real_selected_institution_still_shows(seeded_app, anonymous) -> None:
    found = anonymous.get("/api/v1/search?limit=1").get_json()["results"][0]["id"]
    response = _details(seeded_app, anonymous, found)
    assert response.status_code == 200
    assert _details(seeded_app, anonymous, str(found)).status_code == 200


def test_a_twenty_digit_institution_id_is_not_found(seeded_app, anonymous) -> None:
    response = anonymous.get(f"/api/v1/institutions/{HUGE_ID}")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


@pytest.mark.postgres
def test_a_twenty_digit_institution_id_is_not_found_on_postgresql(
    make_app, postgres_server
) -> None:
    app = make_app(postgres_server)
    app.server.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.server.test_client()
    for wanted in (HUGE_ID, str(2**31), str(2**63)):
        assert client.get(f"/api/v1/institutions/{wanted}").status_code == 404, wanted
    assert client.get("/api/v1/institutions/2147483647").status_code == 404  # largest int4
    make_engine(postgres_server).dispose()


def test_a_deeply_nested_callback_body_is_a_bad_request(seeded_app, anonymous) -> None:
    body = "[" * 50_000 + "]" * 50_000
    response = anonymous.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400


def _export(app, client, geo, level="all", ownership="all"):
    return call(
        client,
        app,
        ids.DOM_DOWNLOAD,
        {
            f"{ids.DOM_EXPORT_CSV}.n_clicks": 1,
            f"{ids.DOM_GEO}.value": geo,
            f"{ids.DOM_LEVEL}.value": level,
            f"{ids.DOM_OWNERSHIP}.value": ownership,
            f"{ids.DOM_SLUG}.data": "facilities",
        },
        triggered=f"{ids.DOM_EXPORT_CSV}.n_clicks",
    )


@pytest.mark.parametrize(
    "geo, level, ownership",
    [
        ("province", "all", "all"),
        ({"x": 1}, "all", "all"),
        ("ward", "university", "all"),
        ("ward", "all", ["public"]),
    ],
)
def test_an_unknown_domain_export_filter_is_a_bad_request(seeded_app, geo, level, ownership):
    seeded_app.server.config["PROPAGATE_EXCEPTIONS"] = False
    client = client_as(seeded_app, "leader")
    assert _export(seeded_app, client, geo, level, ownership).status_code == 400


def test_a_known_domain_export_filter_still_exports(seeded_app) -> None:
    client = client_as(seeded_app, "leader")
    response = _export(seeded_app, client, "old_district")
    assert response.status_code == 200, response.data
    assert "content" in response.get_json()["response"][ids.DOM_DOWNLOAD]["data"]
