"""Text responses go out gzipped when the client accepts it; static bundles are compressed
once per process and cached by browsers for a year (their URLs carry a fingerprint).

Dash serves its component bundles (about 1.6 MB of JavaScript on /map) uncompressed; on a
phone over 4G that is most of the page's wait. bench/bench_wire.py measures the bytes.
"""

from __future__ import annotations

import gzip
from threading import Lock

from flask import Flask, Response, request

COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "image/svg+xml",
)
MIN_BYTES = 1024
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
#: Compressed static files, by path and content length (a new file means a new entry).
_STATIC: dict[tuple[str, int], bytes] = {}
_LOCK = Lock()


def _compressible(response: Response) -> bool:
    return (
        response.status_code == 200
        and "Content-Encoding" not in response.headers
        and (response.mimetype or "").startswith(COMPRESSIBLE)
    )


def _static_gzip(path: str, data: bytes) -> bytes:
    key = (path, len(data))
    found = _STATIC.get(key)
    if found is None:
        found = gzip.compress(data, 9, mtime=0)
        with _LOCK:
            _STATIC[key] = found
    return found


def compress(response: Response) -> Response:
    """``after_request``: gzip a text response the client accepts gzip for."""
    if not _compressible(response):
        return response
    response.vary.add("Accept-Encoding")
    static = request.path.startswith(STATIC_PREFIXES)
    if static and "max-age=31536000" in (response.headers.get("Cache-Control") or ""):
        # Dash's fingerprinted bundle URLs change with every release: never revalidate.
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    if "gzip" not in request.accept_encodings:
        return response
    source = response.response
    response.direct_passthrough = False  # static files come as a file wrapper
    data = response.get_data()
    if hasattr(source, "close"):
        source.close()  # the file the wrapper read
    if len(data) < MIN_BYTES:
        return response
    body = _static_gzip(request.path, data) if static else gzip.compress(data, 6, mtime=0)
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    return response


def init_app(server: Flask) -> None:
    """Compress every text response of ``server``."""
    server.after_request(compress)
