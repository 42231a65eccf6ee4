"""The forecast page's ward polygons, served by URL (gzipped, cached per data version)."""

from __future__ import annotations

import gzip
from typing import Any

import orjson
from flask import Blueprint, Response, request

from callbacks.forecast_data import version
from data_access.models import WARD_2025
from data_access.queries import registry
from ioc_app.guard import Access, route_access
from ioc_app.warehouse import cache, engine

ACCESS = Access.of("leadership", "planner")
blueprint = Blueprint("forecast", __name__)


@cache.memoize(timeout=6 * 3600)
def _wards_payload(data_version: str) -> bytes:
    # names and ids only; the page never renders a property as HTML
    return gzip.compress(orjson.dumps(registry.unit_features(engine(), WARD_2025)), 6, mtime=0)


@blueprint.route("/forecast/wards.geojson")
@route_access(ACCESS)
def wards_layer() -> Any:
    """GeoJSON of the 2025 wards (ids and names), gzipped when the client accepts it."""
    payload = _wards_payload(version())
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = Response(payload, mimetype="application/geo+json")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(gzip.decompress(payload), mimetype="application/geo+json")
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
