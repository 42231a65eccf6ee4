"""The one way the app answers in JSON and in gzipped GeoJSON (API routes and map layers)."""

from __future__ import annotations

import gzip
from typing import Any

import orjson
from flask import Response, request


def json_response(
    payload: Any, status: int = 200, *, public: bool = False, max_age: int = 0
) -> Response:
    """``payload`` as JSON (orjson; non-string keys allowed).

    Public answers may be cached for ``max_age`` seconds; anything else is ``no-store`` (and
    ``private`` when it is not public, so no shared cache keeps a signed-in answer).
    """
    response = Response(
        orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS),
        status=status,
        mimetype="application/json",
    )
    if public and max_age:
        response.headers["Cache-Control"] = f"public, max-age={max_age}"
    else:
        response.headers["Cache-Control"] = "no-store" if public else "private, no-store"
    return response


def json_error(status: int, error: str, message: str, *, public: bool = False) -> Response:
    """A JSON error body ``{"error", "message"}`` with ``status``."""
    return json_response({"error": error, "message": message}, status, public=public)


def geojson_response(
    payload: bytes, *, etag: str | None = None, public: bool = False, max_age: int = 0
) -> Response:
    """Send pre-gzipped GeoJSON: as is when the client accepts gzip, else decompressed.

    With ``etag`` the layer is revalidated on every use (``no-cache``), or after ``max_age``
    seconds when given, and a matching ``If-None-Match`` gets 304 without a body; without it
    a signed-in layer is kept for five minutes by the browser only.
    """
    if etag is not None and request.if_none_match.contains(etag):
        response = Response(status=304)
    elif "gzip" in request.accept_encodings:
        response = Response(payload, mimetype="application/geo+json")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(gzip.decompress(payload), mimetype="application/geo+json")
    if etag is not None:
        response.set_etag(etag)
        fresh = f"max-age={max_age}" if max_age else "no-cache"
        response.headers["Cache-Control"] = f"{'public' if public else 'private'}, {fresh}"
    else:
        response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Vary"] = "Accept-Encoding"
    return response
