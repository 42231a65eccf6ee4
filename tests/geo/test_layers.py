"""GeoJSON layers built from arrays: valid, rounded, escaped, same content as geopandas'."""

from __future__ import annotations

import gzip
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo.layers import escape, gzip_bytes, point_layer, polygon_layer

EVIL = '<img src=x onerror="alert(1)"> & \'quoted\' "name"'


def test_point_layer_is_valid_geojson_with_rounded_coordinates() -> None:
    data = json.loads(
        point_layer(
            [7, 8],
            [106.123456789, 106.5],
            [10.987654321, 10.25],
            properties={"k": ["school", "study_abroad"]},
        )
    )
    assert data["type"] == "FeatureCollection"
    first, second = data["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [106.123457, 10.987654]}
    assert first["properties"] == {"id": 7, "k": "school"}
    assert second["properties"]["id"] == 8


def test_missing_coordinates_are_left_out_and_missing_values_are_null() -> None:
    data = json.loads(
        point_layer(
            np.array([1, 2, 3]),
            np.array([106.0, np.nan, 106.2]),
            np.array([10.0, 10.1, None], dtype=float),
            properties={"l": np.array(["primary", None, float("nan")], dtype=object)},
        )
    )
    assert [f["properties"]["id"] for f in data["features"]] == [1]
    data = json.loads(
        point_layer(
            [1, 2],
            [1.0, 2.0],
            [1.0, 2.0],
            properties={"l": [None, float("nan")], "n": np.array([3, 4])},
        )
    )
    assert [f["properties"] for f in data["features"]] == [
        {"id": 1, "l": None, "n": 3},
        {"id": 2, "l": None, "n": 4},
    ]


def test_tooltips_are_html_escaped() -> None:
    raw = point_layer([1], [106.0], [10.0], tooltips=[EVIL])
    assert b"<img" not in raw and b"<" not in raw
    tip = json.loads(raw)["features"][0]["properties"]["tooltip"]
    assert tip == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#x27;quoted&#x27; &quot;name&quot;"
    )
    assert escape(None) == "" and escape(float("nan")) == ""


def test_same_features_as_geodataframe_to_json() -> None:
    rng = np.random.default_rng(3)
    n = 500
    lon, lat = 106.7 + rng.normal(0, 0.1, n), 10.8 + rng.normal(0, 0.1, n)
    kinds = rng.choice(["school", "life_skills"], n)
    ours = json.loads(point_layer(np.arange(n), lon, lat, properties={"k": kinds}))
    frame = gpd.GeoDataFrame(
        {"id": np.arange(n), "k": kinds},
        geometry=shapely.points(np.round(lon, 6), np.round(lat, 6)),
        crs=4326,
    )
    theirs = json.loads(frame.to_json(drop_id=True))
    assert [f["geometry"] for f in ours["features"]] == [f["geometry"] for f in theirs["features"]]
    assert [f["properties"] for f in ours["features"]] == [
        {"id": f["properties"]["id"], "k": f["properties"]["k"]} for f in theirs["features"]
    ]


def test_bad_columns_are_refused() -> None:
    with pytest.raises(ValueError, match="2 values for 1 ids"):
        point_layer([1], [1.0], [1.0], properties={"k": ["a", "b"]})
    with pytest.raises(ValueError, match="written by point_layer"):
        point_layer([1], [1.0], [1.0], properties={"tooltip": ["<b>"]})
    with pytest.raises(ValueError):
        point_layer([1], [1.0, 2.0], [1.0])


def test_polygon_layer_escapes_rounds_and_skips_empty() -> None:
    square = Polygon([(106.123456789, 10.1), (106.2, 10.1), (106.2, 10.2), (106.1, 10.2)])
    data = json.loads(
        polygon_layer(
            ["W1", "W2", "W3"], [EVIL, "Phường 2", "x"], [MultiPolygon([square]), None, Polygon()]
        )
    )
    assert [f["properties"]["id"] for f in data["features"]] == ["W1"]
    feature = data["features"][0]
    assert "<" not in feature["properties"]["tooltip"]
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["geometry"]["coordinates"][0][0][0] == [106.12346, 10.1]


def test_polygon_simplification_keeps_the_shape_valid() -> None:
    circle = shapely.Point(106.7, 10.8).buffer(0.05, quad_segs=64)
    full = json.loads(polygon_layer(["W"], ["n"], [circle]))
    simple = json.loads(polygon_layer(["W"], ["n"], [circle], simplify=0.001))
    count = lambda d: len(d["features"][0]["geometry"]["coordinates"][0])  # noqa: E731
    assert count(simple) < count(full) / 2
    assert shapely.from_geojson(json.dumps(simple["features"][0]["geometry"])).is_valid


def test_gzip_is_reproducible() -> None:
    data = point_layer([1, 2], [1.0, 2.0], [3.0, 4.0])
    assert gzip_bytes(data) == gzip_bytes(data)
    assert gzip.decompress(gzip_bytes(data)) == data
