"""/api/v1/map/clusters: every institution of the view counted once, under the same filters and
search as the page's list; bad parameters named; cached, revalidated and compressed."""

from __future__ import annotations

import gzip
import json
import random

import pytest

from geo.clusters import span_px
from ioc_app.services import registry as reg
from ioc_app.services.map_clusters import MAX_SPAN_PX
from ioc_app.services.registry_search import find
from tests.app.map_warehouse_data import make_map_app

URL = "/api/v1/map/clusters"
#: Filter combinations of the page: (the clusters' parameters, the old layer filter's).
FILTERS = [
    ({}, {}),
    ({"kind": "school"}, {"k": {"school"}}),
    (
        {"kind": "school,language_it_centre", "ownership": "private"},
        {"k": {"school", "language_it_centre"}, "o": {"private"}},
    ),
    ({"level": "primary,upper_secondary"}, {"l": {"primary", "upper_secondary"}}),
    ({"ownership": "public", "old_district": "OD770"}, {"o": {"public"}, "d": {"OD770"}}),
    ({"ward": "W27139"}, {"w": {"W27139"}}),
    ({"kind": "none"}, {"k": set()}),
]


@pytest.fixture(scope="module")
def map_app(tmp_path_factory):
    app, engine, _ids = make_map_app(
        tmp_path_factory.mktemp("clusters") / "map.sqlite", synthetic=3000
    )
    yield app
    engine.dispose()


@pytest.fixture(scope="module")
def layer(map_app) -> list[dict]:
    """Every institution as the page downloaded it before (points.geojson): the oracle."""
    response = map_app.server.test_client().get("/api/v1/map/points.geojson")
    return json.loads(response.data)["features"]


@pytest.fixture
def client(map_app):
    return map_app.server.test_client()


def _clusters(client, **params) -> dict:
    response = client.get(URL, query_string=params, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, response.data
    assert response.headers["Content-Encoding"] == "gzip"
    return json.loads(gzip.decompress(response.data))


def _passes(feature: dict, wanted: dict[str, set[str]]) -> bool:
    """The old client-side filter of assets/map.js (``match``), property by property."""
    return all(feature["properties"][key] in values for key, values in wanted.items())


def _inside(feature: dict, box: tuple[float, float, float, float]) -> bool:
    lon, lat = feature["geometry"]["coordinates"]
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def _counted(answer: dict) -> tuple[int, set[int]]:
    """Institutions in the clusters' counts plus the ids of the single ones."""
    features = answer["features"]
    counts = sum(f["properties"]["point_count"] for f in features if f["properties"].get("cluster"))
    singles = {f["properties"]["id"] for f in features if not f["properties"].get("cluster")}
    return counts + len(singles), singles


def _city(layer: list[dict]) -> tuple[float, float, float, float]:
    lons = [f["geometry"]["coordinates"][0] for f in layer]
    lats = [f["geometry"]["coordinates"][1] for f in layer]
    return min(lons) - 0.01, min(lats) - 0.01, max(lons) + 0.01, max(lats) + 0.01


def _largest_box(city: tuple[float, float, float, float], zoom: int) -> tuple[float, ...]:
    """The city box, or the largest box the endpoint allows at ``zoom`` around its centre."""
    width, height = span_px(city, zoom)
    if max(width, height) <= MAX_SPAN_PX:
        return city
    shrink = (MAX_SPAN_PX - 1) / max(width, height)
    cx, cy = (city[0] + city[2]) / 2, (city[1] + city[3]) / 2
    half_w, half_h = (city[2] - city[0]) * shrink / 2, (city[3] - city[1]) * shrink / 2
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


@pytest.mark.parametrize(("params", "wanted"), FILTERS)
def test_every_zoom_accounts_for_every_institution_the_filters_keep(
    client, layer, params, wanted
) -> None:
    city = _city(layer)
    for zoom in range(0, 19):
        box = _largest_box(city, zoom)
        expected = [f for f in layer if _passes(f, wanted) and _inside(f, box)]
        answer = _clusters(client, z=zoom, bbox=",".join(map(str, box)), **params)
        total, singles = _counted(answer)
        assert total == answer["total"] == len(expected), (zoom, params)
        assert singles <= {f["properties"]["id"] for f in expected}
        if box == city:  # the whole city: every institution the filters keep
            assert total == sum(_passes(f, wanted) for f in layer)
        if zoom >= 16:  # no more clusters: exactly the institutions of the old layer
            assert singles == {f["properties"]["id"] for f in expected}
    assert any(_passes(f, wanted) for f in layer) or params == {"kind": "none"}


def test_a_random_box_counts_the_institutions_inside_it(client, layer) -> None:
    rng = random.Random(4)
    city = _city(layer)
    for _ in range(25):
        zoom = rng.randint(7, 18)
        west = rng.uniform(city[0], city[2])
        south = rng.uniform(city[1], city[3])
        box = _largest_box((west, south, west + rng.uniform(0.005, 0.4), south + 0.2), zoom)
        answer = _clusters(client, z=zoom, bbox=",".join(f"{v:.6f}" for v in box))
        rounded = tuple(float(f"{v:.6f}") for v in box)
        assert _counted(answer)[0] == sum(_inside(f, rounded) for f in layer) == answer["total"]


def test_a_search_shows_on_the_map_what_the_list_finds(client, layer, map_app) -> None:
    city = _city(layer)
    box = ",".join(map(str, city))
    for query, params in (("le quy don", {}), ("truong", {"kind": "school"}), ("mam non", {})):
        answer = _clusters(client, z=8, bbox=box, q=query, **params)
        with map_app.server.app_context():
            snapshot = reg.registry()
            filters = reg.Filters.clean(kinds=params.get("kind"))
            matched = find(snapshot, query, filters).match_ids
        assert answer["total"] == len(matched) > 0, query
    near = _clusters(client, z=8, bbox=box, q="truong", near="106.7,10.78")
    assert near["total"] > 0


def test_singles_carry_the_point_layers_properties_escaped(client, layer) -> None:
    answer = _clusters(client, z=17, bbox="106.68,10.76,106.71,10.79")
    singles = [f for f in answer["features"] if not f["properties"].get("cluster")]
    by_id = {f["properties"]["id"]: f for f in layer}
    assert singles
    for feature in singles:
        assert feature == by_id[feature["properties"]["id"]]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("bbox=106,10,107,11", "z"),
        ("z=abc&bbox=106,10,107,11", "z"),
        ("z=20&bbox=106,10,107,11", "z"),
        ("z=-1&bbox=106,10,107,11", "z"),
        ("z=10", "bbox"),
        ("z=10&bbox=106,10,107", "bbox"),
        ("z=10&bbox=107,10,106,11", "bbox"),
        ("z=10&bbox=106,10,107,nan", "bbox"),
        ("z=10&bbox=-200,10,107,11", "bbox"),
        ("z=18&bbox=106,10,107,11", "bbox"),  # far more pixels than a screen
        ("z=10&bbox=106,10,107,11&kind=castle", "kind"),
        ("z=10&bbox=106,10,107,11&level=college", "level"),
        ("z=10&bbox=106,10,107,11&ownership=mine", "ownership"),
        ("z=10&bbox=106,10,107,11&q=" + "a" * 201, "q"),
        ("z=10&bbox=106,10,107,11&q=a&near=1,2,3", "near"),
        ("z=10&bbox=106,10,107,11&ward=" + "W" * 61, "ward"),
    ],
)
def test_bad_parameters_are_refused_by_name(client, query, name) -> None:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "bad_request" and body["message"].startswith(f"{name}:")


def test_cached_revalidated_and_compressed(client) -> None:
    url = f"{URL}?z=11&bbox=106.5,10.6,106.9,10.95&kind=school"
    first = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert "Accept-Encoding" in first.headers["Vary"]
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers
    assert json.loads(plain.data) == json.loads(gzip.decompress(first.data))
    other = client.get(f"{URL}?z=11&bbox=106.5,10.6,106.9,10.95&kind=school,study_abroad")
    assert other.headers["ETag"] != etag
    assert len(first.data) < len(plain.data) / 2


def test_the_answer_does_not_grow_with_the_registry_at_city_zoom(client, layer) -> None:
    answer = _clusters(client, z=10, bbox=",".join(map(str, _city(layer))))
    clusters = [f for f in answer["features"] if f["properties"].get("cluster")]
    assert len(answer["features"]) < len(layer) / 10 and clusters
    assert all(f["properties"]["expansion_zoom"] > 10 for f in clusters)


def test_an_old_district_by_name_as_a_link_gives_it(client, layer) -> None:
    box = ",".join(map(str, _city(layer)))
    by_id = _clusters(client, z=9, bbox=box, old_district="OD770")["total"]
    assert by_id == sum(f["properties"]["d"] == "OD770" for f in layer) > 0
    for name in ("Quận 3", "q3"):
        assert _clusters(client, z=9, bbox=box, old_district=name)["total"] == by_id
