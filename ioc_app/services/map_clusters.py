"""The public map's clusters for one view: parameters checked, clusters computed and encoded.

``/api/v1/map/clusters?z=&bbox=w,s,e,n&kind=&level=&ownership=&ward=&old_district=&q=&near=``
answers GeoJSON with clusters and single institutions of that zoom and box, under the same
filters (and search) as the page's list, so what a phone downloads depends on its view and not
on the size of the registry. Answers are gzipped once and kept per snapshot (see
:meth:`~ioc_app.services.registry.Registry.view`).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from data_access.models.institutions import KINDS, LEVELS, OWNERSHIPS
from geo.clusters import MAX_LAT, cluster_points, span_px
from geo.layers import cluster_features, feature_collection, gzip_bytes
from ioc_app.services.registry import Filters, Registry
from ioc_app.services.registry_search import find

MAX_ZOOM = 19
#: Largest side of a box in screen pixels at its zoom (an 8K screen, padded to whole tiles).
MAX_SPAN_PX = 8192
NO_KIND = "none"  # kind=none: every kind unticked, nothing to show (the page's link says so)
MAX_UNIT_CHARS = 60


class BadParameterError(ValueError):
    """A parameter of the clusters request is missing or wrong; ``name`` says which."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


@dataclass(frozen=True)
class View:
    """One checked request: zoom, box, filters, and optionally a search and its origin."""

    zoom: int
    bbox: tuple[float, float, float, float]
    filters: Filters
    nothing: bool = False  # kind=none
    query: str = ""
    near: tuple[float, float] | None = None

    @property
    def etag(self) -> str:
        """A short digest of the view (with the snapshot's fingerprint it names the answer)."""
        return hashlib.sha1(repr(self).encode()).hexdigest()[:16]


def _values(args: Any, name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Comma-separated or repeated values of ``name``, each one of ``allowed``."""
    given = [v.strip() for raw in args.getlist(name) for v in raw.split(",") if v.strip()]
    unknown = [v for v in given if v not in allowed]
    if unknown:
        raise BadParameterError(name, f"unknown value {unknown[0]!r}; one of {', '.join(allowed)}")
    return tuple(v for v in allowed if v in given)


def _zoom(text: str | None) -> int:
    if text is None or text == "":
        raise BadParameterError("z", "the zoom level is required")
    try:
        zoom = int(text)
    except ValueError:
        raise BadParameterError("z", f"must be an integer from 0 to {MAX_ZOOM}") from None
    if not 0 <= zoom <= MAX_ZOOM:
        raise BadParameterError("z", f"must be an integer from 0 to {MAX_ZOOM}, not {zoom}")
    return zoom


def _bbox(text: str | None, zoom: int) -> tuple[float, float, float, float]:
    if not text:
        raise BadParameterError("bbox", "the box 'west,south,east,north' in degrees is required")
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise BadParameterError("bbox", "must be four numbers 'west,south,east,north'") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BadParameterError("bbox", "must be finite numbers")
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise BadParameterError(
            "bbox", "needs -180 ≤ west < east ≤ 180 and -90 ≤ south < north ≤ 90 (degrees)"
        )
    box = (west, max(south, -MAX_LAT), east, min(north, MAX_LAT))
    width, height = span_px(box, zoom)
    if max(width, height) > MAX_SPAN_PX:
        raise BadParameterError(
            "bbox",
            f"spans {max(width, height):,.0f} pixels at zoom {zoom}; at most {MAX_SPAN_PX:,}: "
            "ask for a smaller box or a lower zoom",
        )
    return west, south, east, north


def _near(text: str | None) -> tuple[float, float] | None:
    if not text:
        return None
    try:
        lon, lat = (float(v) for v in text.split(","))
    except ValueError:
        raise BadParameterError("near", "must be 'lon,lat' in degrees") from None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise BadParameterError("near", "is outside the valid range")
    return lon, lat


def _unit(args: Any, name: str) -> str | None:
    """A ward or old district: an id or a name (compared, never shown), at most 60 characters."""
    value = args.get(name) or None
    if value is not None and len(value) > MAX_UNIT_CHARS:
        raise BadParameterError(
            name, f"must be an id or a name of at most {MAX_UNIT_CHARS} characters"
        )
    return value


def parse_view(args: Any) -> View:
    """The view asked for by request arguments (a Werkzeug ``MultiDict``).

    Raises
    ------
    BadParameterError
        Naming the first parameter that is missing, malformed or out of bounds.
    """
    zoom = _zoom(args.get("z"))
    bbox = _bbox(args.get("bbox"), zoom)
    kinds_given = [v for raw in args.getlist("kind") for v in raw.split(",") if v.strip()]
    nothing = kinds_given == [NO_KIND]
    query = args.get("q") or ""
    if len(query) > 200:
        raise BadParameterError("q", "at most 200 characters")
    filters = Filters(
        kinds=() if nothing else _values(args, "kind", KINDS),
        levels=_values(args, "level", LEVELS),
        ownerships=_values(args, "ownership", OWNERSHIPS),
        ward=_unit(args, "ward"),
        district=_unit(args, "old_district"),
    )
    near = _near(args.get("near")) if query.strip() else None
    return View(zoom, bbox, filters, nothing, query.strip(), near)


def shown(snapshot: Registry, view: View) -> np.ndarray:
    """Which institutions the map shows under the view's filters and search: the same as the
    page's list (:func:`~ioc_app.services.registry_search.find`)."""
    if view.nothing:
        return np.zeros(len(snapshot), dtype=bool)
    if not view.query:
        return snapshot.mask(view.filters)
    found = find(snapshot, view.query, view.filters, near=view.near)
    keep = np.zeros(len(snapshot), dtype=bool)
    keep[snapshot.positions(found.match_ids or [])] = True
    return keep


def encode(snapshot: Registry, view: View) -> bytes:
    """The view as GeoJSON: clusters (``cluster``, ``point_count``, ``expansion_zoom``) and
    single institutions with the point layer's properties; ``total`` counts both."""
    found = cluster_points(
        snapshot.lon, snapshot.lat, zoom=view.zoom, bbox=view.bbox, keep=shown(snapshot, view)
    )
    names = [f"c{view.zoom}-{cell}" for cell in found.cell.tolist()]
    features = cluster_features(
        found.lon,
        found.lat,
        counts=found.count,
        names=names,
        expansion_zoom=found.expansion_zoom,
    )
    features += snapshot.point_features(np.sort(found.singles))
    return feature_collection(features, zoom=view.zoom, total=found.total)


def clusters_gzip(snapshot: Registry, view: View) -> tuple[bytes, str]:
    """The gzipped answer for ``view`` and its ETag (built once per snapshot and view)."""
    data = snapshot.view(view, lambda: gzip_bytes(encode(snapshot, view)))
    return data, f"{snapshot.fingerprint}-clusters-{view.etag}"
