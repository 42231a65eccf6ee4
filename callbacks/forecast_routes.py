"""The forecast page's ward polygons, served by URL (gzipped, cached per data version)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from callbacks.common import geojson_response, units_payload
from callbacks.forecast_data import version
from data_access.models import WARD_2025
from ioc_app.guard import Access, route_access

ACCESS = Access.of("leadership", "planner")
blueprint = Blueprint("forecast", __name__)


@blueprint.route("/forecast/wards.geojson")
@route_access(ACCESS)
def wards_layer() -> Any:
    """GeoJSON of the 2025 wards (ids and names), gzipped when the client accepts it."""
    return geojson_response(units_payload(version(), WARD_2025))
