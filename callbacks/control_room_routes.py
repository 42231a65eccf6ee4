"""Map layers of the control room and the ward pages, served by URL (gzipped, cached)."""

from __future__ import annotations

import gzip
from typing import Any

import orjson
from flask import Blueprint, abort, request

from callbacks.common import geojson_response, units_payload
from callbacks.control_room_data import version
from data_access.models import OLD_DISTRICT, WARD_2025
from data_access.queries import registry
from ioc_app.guard import SIGNED_IN, route_access
from ioc_app.warehouse import cache, engine

blueprint = Blueprint("control_room", __name__)
LAYER_KINDS = (WARD_2025, OLD_DISTRICT)


@cache.memoize(timeout=6 * 3600)
def _schools_payload(data_version: str, ward_code: str | None) -> bytes:
    return gzip.compress(orjson.dumps(registry.school_points(engine(), ward_code=ward_code)), 6)


@blueprint.route("/control-room/units/<kind>.geojson")
@route_access(SIGNED_IN)
def units_layer(kind: str) -> Any:
    """GeoJSON of the 2025 wards or the old districts (names and ids only)."""
    if kind not in LAYER_KINDS:
        abort(404)
    return geojson_response(units_payload(version(), kind))


@blueprint.route("/control-room/schools.geojson")
@route_access(SIGNED_IN)
def schools_layer() -> Any:
    """GeoJSON points of the located institutions (``?ward_code=…`` for one 2025 ward)."""
    code = request.args.get("ward_code") or None
    if code is not None and (len(code) > 8 or not code.isalnum()):
        abort(400)
    return geojson_response(_schools_payload(version(), code))
