"""Map layers as GeoJSON bytes: points and polygons built with orjson from arrays, gzipped.

Every text that a web map may render as HTML (tooltips, popups) is HTML-escaped here, once,
so that no caller can forget it.
"""

from __future__ import annotations

import gzip
import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import orjson
import pandas as pd
import shapely

__all__ = [
    "cluster_features",
    "escape",
    "feature_collection",
    "gzip_bytes",
    "point_features",
    "point_layer",
    "polygon_layer",
]

POINT_DECIMALS = 6  # ~0.1 m: more than the registry's own accuracy
POLYGON_DECIMALS = 5  # ~1 m, for a base layer drawn at city zoom


def escape(value: object) -> str:
    """HTML-escaped text of ``value`` (quotes included); empty for None/NaN."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def _column(values: Sequence[Any] | np.ndarray, keep: np.ndarray) -> list[Any]:
    """Plain values of a column at ``keep``; missing values (None, NaN, NA) become None."""
    array = np.asarray(values)
    if array.dtype.kind in "iub":
        return array[keep].tolist()
    array = array.astype(object)[keep]
    missing = pd.isna(array)
    if missing.any():
        array[missing] = None
    return array.tolist()


def point_layer(
    ids: Sequence[int] | np.ndarray,
    lon: Sequence[float] | np.ndarray,
    lat: Sequence[float] | np.ndarray,
    *,
    properties: Mapping[str, Sequence[Any] | np.ndarray] | None = None,
    tooltips: Sequence[Any] | np.ndarray | None = None,
    decimals: int = POINT_DECIMALS,
) -> bytes:
    """A GeoJSON FeatureCollection of points, serialised with orjson (see
    :func:`point_features` for the parameters)."""
    features = point_features(
        ids, lon, lat, properties=properties, tooltips=tooltips, decimals=decimals
    )
    return feature_collection(features)


def feature_collection(features: list[str], **members: Any) -> bytes:
    """A GeoJSON FeatureCollection of already encoded ``features``; ``members`` (e.g. a
    count) are written before the features as further JSON members."""
    head = "".join(
        f"{orjson.dumps(k).decode()}:{orjson.dumps(v).decode()}," for k, v in members.items()
    )
    return (
        '{"type":"FeatureCollection",' + head + '"features":[' + ",".join(features) + "]}"
    ).encode()


def cluster_features(
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    counts: np.ndarray,
    names: Sequence[str],
    expansion_zoom: np.ndarray,
    decimals: int = POINT_DECIMALS,
) -> list[str]:
    """GeoJSON point features of clusters: ``cluster`` true, ``point_count``, an id and the
    zoom at which the cluster splits (``expansion_zoom``)."""
    xs = np.round(np.asarray(lon, dtype=np.float64), decimals).tolist()
    ys = np.round(np.asarray(lat, dtype=np.float64), decimals).tolist()
    return [
        f'{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{x!r},{y!r}]}},'
        f'"properties":{{"id":{orjson.dumps(name).decode()},"cluster":true,'
        f'"point_count":{int(n)},"expansion_zoom":{int(z)}}}}}'
        for x, y, n, name, z in zip(
            xs,
            ys,
            np.asarray(counts).tolist(),
            names,
            np.asarray(expansion_zoom).tolist(),
            strict=True,
        )
    ]


def point_features(
    ids: Sequence[int] | np.ndarray,
    lon: Sequence[float] | np.ndarray,
    lat: Sequence[float] | np.ndarray,
    *,
    properties: Mapping[str, Sequence[Any] | np.ndarray] | None = None,
    tooltips: Sequence[Any] | np.ndarray | None = None,
    decimals: int = POINT_DECIMALS,
) -> list[str]:
    """GeoJSON point features, each encoded with orjson.

    Parameters
    ----------
    ids : sequence of int
        Feature ids; also written as the ``id`` property (the map's click data carries it).
    lon, lat : sequence of float
        WGS 84 degrees. Rows with a missing coordinate are left out.
    properties : mapping of str to sequence, optional
        Further per-feature properties (same length as ``ids``); NaN becomes null.
    tooltips : sequence, optional
        Text shown on hover, written HTML-escaped as the ``tooltip`` property.
    decimals : int, default 6
        Coordinates are rounded to this many decimals.

    Returns
    -------
    list of str
        One GeoJSON feature per point with both coordinates.

    Raises
    ------
    ValueError
        A column whose length differs from ``ids``, or a property named ``id``/``tooltip``.
    """
    id_array = np.asarray(ids).reshape(-1)
    lon_a = np.asarray(lon, dtype=np.float64).reshape(-1)
    lat_a = np.asarray(lat, dtype=np.float64).reshape(-1)
    columns = dict(properties or {})
    if {"id", "tooltip"} & set(columns):
        raise ValueError("'id' and 'tooltip' are written by point_layer itself")
    checked = {"lon": lon_a, "lat": lat_a, **columns}
    if tooltips is not None:
        checked["tooltips"] = tooltips
    for name, values in checked.items():
        if len(values) != len(id_array):
            raise ValueError(f"{name} has {len(values)} values for {len(id_array)} ids")
    keep = np.isfinite(lon_a) & np.isfinite(lat_a)
    xs = np.round(lon_a[keep], decimals).tolist()
    ys = np.round(lat_a[keep], decimals).tolist()
    id_list = [int(v) for v in id_array[keep].tolist()]
    rows = zip(*(_column(values, keep) for values in columns.values()), strict=True)
    fragments = _fragments(list(columns), rows if columns else ([()] * len(id_list)))
    if tooltips is None:
        tips = [""] * len(id_list)
    else:
        tips = [
            ',"tooltip":'
            + orjson.dumps(html.escape(v) if isinstance(v, str) else escape(v)).decode()
            for v in np.asarray(tooltips, dtype=object)[keep].tolist()
        ]
    # Text around values that orjson has already encoded, the property part shared by every
    # feature with the same values: about twice as fast as a dict per feature, same JSON.
    return [
        f'{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{x!r},{y!r}]}},'
        f'"properties":{{"id":{fid}{fragment}{tip}}}}}'
        for fid, x, y, fragment, tip in zip(id_list, xs, ys, fragments, tips, strict=True)
    ]


def _fragments(names: list[str], rows: Any) -> list[str]:
    """``,"name":value…`` JSON text per row, each distinct row encoded once."""
    seen: dict[tuple[Any, ...], str] = {}
    out: list[str] = []
    for row in rows:
        text = seen.get(row)
        if text is None:
            body = orjson.dumps(
                dict(zip(names, row, strict=True)), option=orjson.OPT_SERIALIZE_NUMPY
            ).decode()
            text = seen[row] = ("," + body[1:-1]) if len(body) > 2 else ""
        out.append(text)
    return out


def polygon_layer(
    ids: Sequence[str] | np.ndarray,
    names: Sequence[str] | np.ndarray,
    geometries: Sequence[Any] | np.ndarray,
    *,
    decimals: int = POLYGON_DECIMALS,
    simplify: float = 0.0,
) -> bytes:
    """A GeoJSON FeatureCollection of polygons (e.g. the 2025 wards as an offline basemap).

    Parameters
    ----------
    ids, names : sequence of str
        Unit ids and names; the name is written HTML-escaped as ``tooltip``.
    geometries : sequence of shapely geometries
        Polygons or multipolygons in WGS 84; None geometries are left out.
    decimals : int, default 5
        Coordinates are rounded to this many decimals.
    simplify : float, default 0
        Douglas–Peucker tolerance in degrees (topology preserved); 0 keeps every vertex.

    Returns
    -------
    bytes
        UTF-8 GeoJSON.
    """
    geoms = np.asarray(geometries, dtype=object).reshape(-1)
    if not (len(geoms) == len(ids) == len(names)):
        raise ValueError("ids, names and geometries must have the same length")
    keep = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    geoms = geoms[keep]
    if simplify > 0:
        geoms = shapely.simplify(geoms, simplify, preserve_topology=True)
    geoms = shapely.transform(geoms, lambda coords: np.round(coords, decimals))
    shapes = shapely.to_geojson(geoms)
    features = [
        {
            "type": "Feature",
            "id": uid,
            "geometry": orjson.Fragment(shape),
            "properties": {"id": uid, "tooltip": escape(name)},
        }
        for uid, name, shape in zip(
            np.asarray(ids, dtype=object)[keep].tolist(),
            np.asarray(names, dtype=object)[keep].tolist(),
            np.asarray(shapes).tolist(),
            strict=True,
        )
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features})


def gzip_bytes(data: bytes, *, level: int = 6) -> bytes:
    """``data`` gzipped reproducibly (no timestamp), for a ``Content-Encoding: gzip`` reply."""
    return gzip.compress(data, compresslevel=level, mtime=0)
