"""Public, anonymous ``/api/v1`` endpoints of the school map: layers, search, nearest, details.

Every endpoint is declared PUBLIC, rate-limited, and returns only allow-listed public fields.
Registered by ``callbacks.map.register`` through :func:`init_app`.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Flask, Response, abort, request

from data_access.queries.details import institution_details
from ioc_app import domain_api, dx_api, plan_api
from ioc_app.core.guard import PUBLIC, route_access
from ioc_app.core.ratelimit import limiter, public_limit
from ioc_app.core.responses import geojson_response, json_error, json_response
from ioc_app.core.warehouse import engine
from ioc_app.services import map_clusters
from ioc_app.services import registry as reg
from ioc_app.services.registry_search import find, listed, nearest_to

PREFIX = "/api/v1"
OPENAPI_PATH = f"{PREFIX}/openapi.json"
blueprint = Blueprint("public_api", __name__, url_prefix=PREFIX)
#: institution.id is an INTEGER column: a larger id cannot exist (SQLite refuses to bind it).
MAX_INSTITUTION_ID = 2**31 - 1
#: The widest search radius of /nearest, in metres.
MAX_RADIUS_M = 200_000


def _json(payload: Any, status: int = 200, *, max_age: int = 0) -> Response:
    return json_response(payload, status, public=True, max_age=max_age)


def _bad_request(message: str) -> Response:
    return json_error(400, "bad_request", message, public=True)


@blueprint.route("/map/points.geojson")
@route_access(PUBLIC)
@limiter.limit(public_limit)
def map_points() -> Response:
    """Every open institution as one point layer (public fields, names HTML-escaped)."""
    snapshot = reg.registry(warm_index=True)
    return geojson_response(
        snapshot.points_gzip(), etag=f"{snapshot.fingerprint}-points", public=True
    )


#: How long a browser keeps a view's clusters before revalidating them by ETag.
CLUSTERS_MAX_AGE = 60


@blueprint.route("/map/clusters")
@route_access(PUBLIC)
@limiter.limit(public_limit)
def map_clusters_view() -> Response:
    """Clusters and single institutions of one zoom and box, under the map's filters."""
    try:
        view = map_clusters.parse_view(request.args)
    except map_clusters.BadParameterError as exc:
        return _bad_request(str(exc))
    snapshot = reg.registry(warm_index=True)
    payload, etag = map_clusters.clusters_gzip(snapshot, view)
    return geojson_response(payload, etag=etag, public=True, max_age=CLUSTERS_MAX_AGE)


@blueprint.route("/map/wards.geojson")
@route_access(PUBLIC)
@limiter.limit(public_limit)
def map_wards() -> Response:
    """The 168 wards of 2025 as polygons: the map's offline basemap."""
    return geojson_response(
        reg.wards_gzip(), etag=f"{reg.registry().fingerprint}-wards", public=True
    )


def _filters() -> reg.Filters:
    args = request.args
    return reg.Filters.clean(
        kinds=",".join(args.getlist("kind")),
        levels=",".join(args.getlist("level")),
        ownerships=",".join(args.getlist("ownership")),
        ward=args.get("ward"),
        district=args.get("old_district"),
    )


def _point(text: str | None, name: str) -> tuple[float, float] | None:
    """``lon,lat`` → a checked pair (None when absent); abort 400 when malformed."""
    if not text:
        return None
    try:
        lon, lat = (float(v) for v in text.split(","))
    except ValueError:
        abort(_bad_request(f"{name} must be 'lon,lat' in degrees"))
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        abort(_bad_request(f"{name} is outside the valid range"))
    return lon, lat


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(_bad_request(f"{name} must be an integer"))
    return max(low, min(value, high))


@blueprint.route("/search")
@route_access(PUBLIC)
@limiter.limit(public_limit)
def search() -> Response:
    """Ranked, diacritic- and typo-tolerant name search within optional filters."""
    query = (request.args.get("q") or "")[:200]
    near = _point(request.args.get("near"), "near")
    limit = _int("limit", 20, 1, reg.MAX_LIMIT)
    snapshot = reg.registry()
    found = find(snapshot, query, _filters(), near=near, limit=limit, count_up_to=limit + 1)
    total = None if query.strip() else found.total  # exact only when counting is free
    return _json(
        {
            "query": query,
            "count": len(found.positions),
            "more": found.more,
            "total": total,
            "results": listed(snapshot, found),
        }
    )


@blueprint.route("/nearest")
@route_access(PUBLIC)
@limiter.limit(public_limit)
def nearest() -> Response:
    """The N nearest institutions (of some kinds) to a point, with distances in metres."""
    lon, lat = request.args.get("lon"), request.args.get("lat")
    at = _point(f"{lon},{lat}", "lon/lat") if lon and lat else None
    if at is None:
        return _bad_request("lon and lat are required")
    radius = request.args.get("radius_m")
    try:
        radius_m = float(radius) if radius else None
    except ValueError:
        return _bad_request("radius_m must be a number")
    if radius_m is not None and not (0 <= radius_m <= MAX_RADIUS_M):
        return _bad_request(f"radius_m must be between 0 and {MAX_RADIUS_M}")
    kinds = reg.Filters.clean(kinds=",".join(request.args.getlist("kind"))).kinds
    rows = nearest_to(
        reg.registry(), at, kinds=kinds, n=_int("n", 10, 1, reg.MAX_LIMIT), radius_m=radius_m
    )
    return _json({"at": {"lon": at[0], "lat": at[1]}, "count": len(rows), "results": rows})


@blueprint.route("/institutions/<int:institution_id>")
@route_access(PUBLIC)
@limiter.limit(public_limit)
def institution(institution_id: int) -> Response:
    """Public details of one institution (404 when unknown or closed)."""
    if institution_id > MAX_INSTITUTION_ID:  # no such row: the column could not hold it
        return _json({"error": "not_found", "message": "no such open institution"}, 404)
    details = institution_details(engine(), institution_id)
    if details is None:
        return _json({"error": "not_found", "message": "no such open institution"}, 404)
    return _json(details, max_age=60)


@route_access(PUBLIC)
@limiter.limit(public_limit)
def openapi() -> Response:
    """The OpenAPI 3.1 document of the public endpoints."""
    return _json(openapi_document(), max_age=300)


def _parameter(
    name: str,
    description: str,
    schema: dict[str, Any],
    *,
    where: str = "query",
    required: bool = False,
) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema,
    }


_TEXT = {"type": "string"}
_FILTERS = [
    _parameter("kind", "Institution kinds, comma-separated or repeated", _TEXT),
    _parameter("level", "School levels, comma-separated or repeated", _TEXT),
    _parameter("ownership", "public, private, foreign", _TEXT),
    _parameter("ward", "A 2025 ward id, e.g. W27139", _TEXT),
    _parameter("old_district", "An old district (before 2025): id (OD770) or name (Quận 3)", _TEXT),
]
_RESULT = {"type": "object", "properties": {f: {} for f in reg.RESULT_FIELDS}}
_LIMIT = {"type": "integer", "minimum": 1, "maximum": reg.MAX_LIMIT}
#: ``lon,lat`` within the valid ranges (-180–180, -90–90), as ``_point`` accepts it.
_LON_LAT = (
    r"^-?(180(\.0+)?|(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]+)?),"
    r"-?(90(\.0+)?|[0-8]?[0-9](\.[0-9]+)?)$"
)

#: Four comma-separated numbers (``west,south,east,north``), as ``map_clusters`` reads them.
_BBOX = r"^(-?[0-9]+(\.[0-9]+)?,){3}-?[0-9]+(\.[0-9]+)?$"


def _degrees(bound: int) -> dict[str, Any]:
    return {"type": "number", "minimum": -bound, "maximum": bound}


def _get(
    summary: str,
    parameters: list[dict[str, Any]],
    content: str = "application/json",
    schema: dict[str, Any] | None = None,
    not_found: str | None = None,
) -> dict[str, Any]:
    ok = {"description": "OK", "content": {content: {"schema": schema or {"type": "object"}}}}
    responses = {
        "200": ok,
        "400": {"description": "Bad parameters"},
        "429": {"description": "Rate limit exceeded"},
    }
    if not_found:
        responses["404"] = {"description": not_found}
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def openapi_paths() -> dict[str, Any]:
    """The ``paths`` of the public map endpoints (for merging into a wider API document)."""
    return {
        f"{PREFIX}/map/points.geojson": _get(
            "All open institutions as a GeoJSON point layer (gzip, ETag)",
            [],
            "application/geo+json",
        ),
        f"{PREFIX}/map/clusters": _get(
            "Clusters and single institutions of one zoom and bounding box (gzip, ETag)",
            [
                _parameter(
                    "z",
                    f"Zoom level, 0–{map_clusters.MAX_ZOOM}",
                    {"type": "integer", "minimum": 0, "maximum": map_clusters.MAX_ZOOM},
                    required=True,
                ),
                _parameter(
                    "bbox",
                    "west,south,east,north in degrees (west < east, south < north); at most "
                    f"{map_clusters.MAX_SPAN_PX} pixels a side at z",
                    {"type": "string", "pattern": _BBOX},
                    required=True,
                ),
                _parameter("kind", "Institution kinds, comma-separated; 'none' for none", _TEXT),
                *_FILTERS[1:],
                _parameter("q", "Only the institutions this search finds (as /search)", _TEXT),
                _parameter("near", "lon,lat: with q, nearer matches first", _TEXT),
            ],
            "application/geo+json",
        ),
        f"{PREFIX}/map/wards.geojson": _get(
            "The 168 wards of 2025 as GeoJSON polygons", [], "application/geo+json"
        ),
        f"{PREFIX}/search": _get(
            "Search institutions by name (Vietnamese-aware)",
            [
                _parameter("q", "Search text", _TEXT),
                *_FILTERS,
                _parameter(
                    "near",
                    "lon,lat in degrees: nearer first among equal matches",
                    {"type": "string", "pattern": _LON_LAT},
                ),
                _parameter("limit", f"At most this many results (1–{reg.MAX_LIMIT})", _LIMIT),
            ],
            schema={
                "type": "object",
                "properties": {
                    "query": _TEXT,
                    "count": {"type": "integer"},
                    "more": {"type": "boolean"},
                    "total": {
                        "type": ["integer", "null"],
                        "description": "Exact number of matches without q; null with q",
                    },
                    "results": {"type": "array", "items": _RESULT},
                },
            },
        ),
        f"{PREFIX}/nearest": _get(
            "Nearest institutions to a point",
            [
                _parameter("lon", "Longitude (WGS 84)", _degrees(180), required=True),
                _parameter("lat", "Latitude (WGS 84)", _degrees(90), required=True),
                _parameter("kind", "Institution kinds", _TEXT),
                _parameter("n", f"How many (1–{reg.MAX_LIMIT})", _LIMIT),
                _parameter(
                    "radius_m",
                    "Only within this distance in metres",
                    {"type": "number", "minimum": 0, "maximum": MAX_RADIUS_M},
                ),
            ],
        ),
        f"{PREFIX}/institutions/{{institution_id}}": _get(
            "Public details of one institution",
            [
                _parameter(
                    "institution_id",
                    "Institution id",
                    {"type": "integer", "minimum": 1, "maximum": MAX_INSTITUTION_ID},
                    where="path",
                    required=True,
                )
            ],
            not_found="No such open institution",
        ),
    }


def openapi_document() -> dict[str, Any]:
    """A complete OpenAPI 3.1 document: :func:`openapi_paths`, itself and the signed-in
    endpoints of :mod:`ioc_app.domain_api`, the report and DX APIs (with their bearer
    security scheme)."""
    paths = openapi_paths()
    paths[OPENAPI_PATH] = _get("This document", [])
    paths.update(domain_api.openapi_paths())
    paths.update(plan_api.openapi_paths())
    paths.update(dx_api.openapi_paths())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "HCMC education — API",
            "version": "1.0.0",
            "description": "The map's endpoints are public, anonymous and rate-limited, "
            "with public fields only; school-level figures are generated "
            "unless a source says so. Endpoints marked with bearerAuth "
            "need an API token (or a session) of a permitted role.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": domain_api.SECURITY_SCHEMES,
            "schemas": {
                **plan_api.openapi_schemas(),
                **dx_api.openapi_schemas(),
                **domain_api.openapi_schemas(),
            },
        },
    }


def init_app(server: Flask) -> None:
    """Register the public endpoints (and the OpenAPI document, unless already served)."""
    if blueprint.name not in server.blueprints:
        server.register_blueprint(blueprint)
    if not any(rule.rule == OPENAPI_PATH for rule in server.url_map.iter_rules()):
        server.add_url_rule(OPENAPI_PATH, "public_api_openapi", openapi)
