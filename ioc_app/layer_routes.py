"""Map layers of the control room, ward and forecast pages, served by URL (gzipped, cached)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, request

from data_access.models import OLD_DISTRICT, WARD_2025
from ioc_app.core.guard import SIGNED_IN, Access, route_access
from ioc_app.core.responses import geojson_response
from ioc_app.services import forecasts, indicators
from ioc_app.services.layers import schools_payload, units_payload

control_room = Blueprint("control_room", __name__)
forecast = Blueprint("forecast", __name__)
LAYER_KINDS = (WARD_2025, OLD_DISTRICT)
FORECAST_ACCESS = Access.of("leadership", "planner")


@control_room.route("/control-room/units/<kind>.geojson")
@route_access(SIGNED_IN)
def units_layer(kind: str) -> Any:
    """GeoJSON of the 2025 wards or the old districts (names and ids only)."""
    if kind not in LAYER_KINDS:
        abort(404)
    return geojson_response(units_payload(indicators.version(), kind))


@control_room.route("/control-room/schools.geojson")
@route_access(SIGNED_IN)
def schools_layer() -> Any:
    """GeoJSON points of the located institutions (``?ward_code=…`` for one 2025 ward)."""
    code = request.args.get("ward_code") or None
    if code is not None and (len(code) > 8 or not code.isalnum()):
        abort(400)
    return geojson_response(schools_payload(indicators.version(), code))


@forecast.route("/forecast/wards.geojson")
@route_access(FORECAST_ACCESS)
def wards_layer() -> Any:
    """GeoJSON of the 2025 wards (ids and names), gzipped when the client accepts it."""
    return geojson_response(units_payload(forecasts.version(), WARD_2025))


def init_app(server: Flask) -> None:
    """Register the layer routes."""
    server.register_blueprint(control_room)
    server.register_blueprint(forecast)
