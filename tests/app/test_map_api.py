"""The public map API: layers, search with real names, nearest, details, safety, rate limits."""

from __future__ import annotations

import gzip
import json
import math

import pytest

from data_access.queries.details import PUBLIC_INSTITUTION_FIELDS
from ioc_app.public_api import OPENAPI_PATH
from ioc_app.services.registry import FINGERPRINT_SECONDS, RESULT_FIELDS
from tests.app.map_warehouse_data import (
    HOSTILE_ADDRESS,
    HOSTILE_NAME,
    LQD,
    add_institution,
    make_map_app,
)

LAYER_PROPERTIES = {"id", "k", "l", "o", "w", "d", "tooltip"}
SEARCH_EXTRA = {"score", "match", "distance_m"}
SEARCH_KEYS = {"query", "count", "more", "total", "results"}


@pytest.fixture(scope="module")
def map_app(tmp_path_factory):
    app, engine, ids = make_map_app(tmp_path_factory.mktemp("map") / "map.sqlite")
    yield app, ids
    engine.dispose()


@pytest.fixture
def client(map_app):
    return map_app[0].server.test_client()


def _points(client) -> dict:
    response = client.get("/api/v1/map/points.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    return json.loads(gzip.decompress(response.data))


def _search(client, **params) -> dict:
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.data
    return response.get_json()


def _names(payload: dict) -> list[str]:
    return [r["name"] for r in payload["results"]]


def test_point_layer_has_every_open_institution_and_only_allowed_fields(client, map_app) -> None:
    layer = _points(client)
    features = layer["features"]
    assert len(features) == len({f["properties"]["id"] for f in features}) > 100
    assert {key for f in features for key in f["properties"]} == LAYER_PROPERTIES
    assert {f["properties"]["k"] for f in features} >= {"school", "study_abroad"}
    coordinates = [c for f in features for c in f["geometry"]["coordinates"]]
    assert all(round(c, 6) == c for c in coordinates)
    lqd = next(f for f in features if f["properties"]["id"] == map_app[1][LQD])
    assert lqd["properties"]["d"] == "OD770" and lqd["properties"]["w"] == "W27139"


def test_point_layer_escapes_names(client) -> None:
    response = client.get("/api/v1/map/points.geojson", headers={"Accept-Encoding": "gzip"})
    raw = gzip.decompress(response.data)
    assert b"<script" not in raw and b"<b>" not in raw
    tips = [f["properties"]["tooltip"] for f in json.loads(raw)["features"]]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in " ".join(tips)


def test_layer_is_revalidated_by_etag_and_served_plain_without_gzip(client) -> None:
    first = client.get("/api/v1/map/points.geojson", headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get("/api/v1/map/points.geojson", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    plain = client.get("/api/v1/map/points.geojson", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert json.loads(plain.data) == json.loads(gzip.decompress(first.data))


def test_ward_polygons_are_the_offline_basemap(client) -> None:
    response = client.get("/api/v1/map/wards.geojson", headers={"Accept-Encoding": "gzip"})
    layer = json.loads(gzip.decompress(response.data))
    assert len(layer["features"]) == 168
    assert {f["geometry"]["type"] for f in layer["features"]} <= {"MultiPolygon", "Polygon"}
    assert {k for f in layer["features"] for k in f["properties"]} == {"id", "tooltip"}


def test_a_new_institution_appears_in_the_layer_and_search(tmp_path) -> None:
    app, engine, _ = make_map_app(tmp_path / "fresh.sqlite")
    app.server.config[FINGERPRINT_SECONDS] = 0  # see registry changes at once
    client = app.server.test_client()
    before = _points(client)
    etag = client.get("/api/v1/map/points.geojson").headers["ETag"]
    assert "Trường Mầm non Hoa Phượng Đỏ" not in _names(_search(client, q="hoa phuong do"))
    new = add_institution(engine, "Trường Mầm non Hoa Phượng Đỏ", level="preschool")
    after = _points(client)
    assert len(after["features"]) == len(before["features"]) + 1
    assert new in {f["properties"]["id"] for f in after["features"]}
    assert client.get("/api/v1/map/points.geojson").headers["ETag"] != etag
    assert _names(_search(client, q="hoa phuong do"))[0] == "Trường Mầm non Hoa Phượng Đỏ"
    engine.dispose()


@pytest.mark.parametrize(
    "query",
    [
        "le quy don",
        "Lê Quý Đôn",
        "LE QUY DON",
        "thpt le quy don",
        "THPT Lê Quý Đôn",
        "trung hoc pho thong le quy don",
        "truong thpt le quy don",
        "quy don le",
        "le quy dno",
    ],
)
def test_search_finds_a_real_school_in_any_spelling(client, query) -> None:
    assert _names(_search(client, q=query))[0] == LQD


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen thi minh khai", "Trường THPT Nguyễn Thị Minh Khai"),
        ("marie curie", "Trường THPT Marie Curie"),
        ("mari curie", "Trường THPT Marie Curie"),
        ("bui thi xuan", "Trường THPT Bùi Thị Xuân"),
        ("tran dai nghia", None),
        ("gia dinh", "Trường THPT Gia Định"),
        ("thuc hanh sai gon", "Trường TH Thực Hành Sài Gòn"),
    ],
)
def test_search_with_names_from_the_grade10_file(client, query, expected) -> None:
    names = _names(_search(client, q=query))
    if expected is None:
        assert all("Trần Đại Nghĩa" not in n for n in names)
    else:
        assert names[0] == expected


def test_exact_name_ranks_before_prefix_and_fuzzy(client) -> None:
    results = _search(client, q="thpt nguyen huu", limit=10)["results"]
    assert len(results) >= 4  # Nguyễn Hữu Cảnh, Cầu, Huân, Thọ, Tiến
    assert [r["match"] for r in results[:4]] == ["prefix"] * 4
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)


def test_old_district_abbreviations_find_what_lay_there(client) -> None:
    for query in ("q3", "quận 3", "Q.3"):
        results = _search(client, q=query, limit=50)["results"]
        assert results and {r["old_district_name"] for r in results} == {"Quận 3"}, query
    thu_duc = _search(client, q="tp thu duc", limit=50)["results"]
    assert thu_duc and {r["old_district_name"] for r in thu_duc} == {"Thành phố Thủ Đức"}


def test_filters_by_kind_ownership_ward_and_old_district(client) -> None:
    everything = _search(client)["total"]
    centres = _search(client, kind="language_it_centre,study_abroad", limit=50)
    assert {r["kind"] for r in centres["results"]} == {"language_it_centre", "study_abroad"}
    assert centres["total"] < everything
    private = _search(client, ownership="private", limit=50)["results"]
    assert private and {r["ownership"] for r in private} == {"private"}
    by_name = _search(client, old_district="Quận 3", limit=50)
    by_id = _search(client, old_district="OD770", limit=50)
    by_abbreviation = _search(client, old_district="q3", limit=50)
    assert by_name["total"] == by_id["total"] == by_abbreviation["total"] > 0
    assert {r["old_district_name"] for r in by_name["results"]} == {"Quận 3"}
    ward = _search(client, ward="W27139", limit=50)["results"]
    assert ward and {r["ward_id"] for r in ward} == {"W27139"}
    assert _search(client, q="le quy don", kind="life_skills")["count"] == 0


def test_nearer_first_when_the_location_is_known(client) -> None:
    # "THPT Trần Phú" and "THPT Tran Phú" (a typo of the published list): the same score
    plain = _search(client, q="thpt tran phu", limit=2)["results"]
    assert len(plain) == 2 and plain[0]["score"] == plain[1]["score"] == 1.0
    far = plain[1]
    near = _search(client, q="thpt tran phu", limit=2, near=f"{far['lon']},{far['lat']}")
    assert near["results"][0]["id"] == far["id"]
    assert near["results"][0]["distance_m"] < near["results"][1]["distance_m"]


def test_search_says_whether_there_are_more(client) -> None:
    few = _search(client, q="thpt nguyen", limit=1)
    assert few["count"] == 1 and few["more"] is True and few["total"] is None
    browse = _search(client, kind="study_abroad", limit=50)
    assert browse["total"] == browse["count"] and browse["more"] is False


def test_search_payload_is_allow_listed(client) -> None:
    payload = _search(client, q="hoa sen", limit=50)
    assert set(payload) == SEARCH_KEYS
    for row in payload["results"]:
        assert set(row) <= set(RESULT_FIELDS) | SEARCH_EXTRA


def test_details_payload_is_allow_listed_with_sources(client, map_app) -> None:
    response = client.get(f"/api/v1/institutions/{map_app[1][LQD]}")
    details = response.get_json()
    assert set(details) == {
        "institution",
        "enrolment",
        "staff",
        "facility",
        "activity",  # a centre's learners and courses (none for a school)
        "dx",
        "cutoffs",
    }
    assert details["activity"] is None
    assert set(details["institution"]) == set(PUBLIC_INSTITUTION_FIELDS)
    assert details["cutoffs"][0]["source"].endswith("nv123.csv")
    assert client.get("/api/v1/institutions/999999").status_code == 404
    hostile = client.get(f"/api/v1/institutions/{map_app[1][HOSTILE_NAME]}").get_json()
    assert hostile["institution"]["address"] == HOSTILE_ADDRESS  # JSON: raw, typed as JSON
    assert response.headers["Content-Type"] == "application/json"


def test_nearest_with_kind_and_radius(client, map_app) -> None:
    lqd = client.get(f"/api/v1/institutions/{map_app[1][LQD]}").get_json()["institution"]
    at = {"lon": lqd["lon"], "lat": lqd["lat"]}
    near = client.get("/api/v1/nearest", query_string={**at, "n": 5}).get_json()
    distances = [r["distance_m"] for r in near["results"]]
    assert near["results"][0]["id"] == lqd["id"] and distances == sorted(distances)
    assert len(distances) == 5
    centres = client.get("/api/v1/nearest", query_string={**at, "kind": "study_abroad"}).get_json()[
        "results"
    ]
    assert centres and {r["kind"] for r in centres} == {"study_abroad"}
    close = client.get("/api/v1/nearest", query_string={**at, "n": 50, "radius_m": 800}).get_json()[
        "results"
    ]
    assert close and all(r["distance_m"] <= 800 for r in close)
    assert client.get("/api/v1/nearest", query_string={"lon": 106.7}).status_code == 400
    assert client.get("/api/v1/nearest", query_string={**at, "radius_m": "far"}).status_code == 400


@pytest.mark.parametrize(
    "params", [{"near": "abc"}, {"near": "106.7"}, {"near": "200,10"}, {"limit": "many"}]
)
def test_bad_parameters_are_clear_400s(client, params) -> None:
    response = client.get("/api/v1/search", query_string={"q": "x", **params})
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_openapi_document_lists_every_public_endpoint(client, map_app) -> None:
    document = client.get(OPENAPI_PATH).get_json()
    assert document["openapi"].startswith("3.")
    rules = {
        rule.rule.replace("<int:institution_id>", "{institution_id}")
        for rule in map_app[0].server.url_map.iter_rules()
        if rule.endpoint.startswith("public_api")
    }
    assert rules and rules <= set(document["paths"])


def test_public_endpoints_are_rate_limited(tmp_path) -> None:
    app, engine, _ = make_map_app(tmp_path / "limited.sqlite", rate_limit="3/minute")
    client = app.server.test_client()
    for path in ("/api/v1/search?q=a", "/api/v1/map/points.geojson"):
        codes = [client.get(path).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429], path
    engine.dispose()


def test_distances_are_metres_from_the_chosen_point(client) -> None:
    payload = _search(client, q="le quy don", near="106.7,10.78", limit=1)
    row = payload["results"][0]
    dx = (row["lon"] - 106.7) * 111_320 * math.cos(math.radians(10.78))
    dy = (row["lat"] - 10.78) * 110_574
    assert row["distance_m"] == pytest.approx(math.hypot(dx, dy), rel=0.01)
