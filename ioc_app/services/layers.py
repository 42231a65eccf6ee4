"""Map layers that signed-in pages load by URL: area outlines and institution points, gzipped.

Cached per data version, so a new ingestion batch serves new layers.
"""

from __future__ import annotations

import gzip

import orjson

from data_access.queries import registry
from ioc_app.core.warehouse import cache, engine

TIMEOUT = 6 * 3600


@cache.memoize(timeout=TIMEOUT)
def units_payload(data_version: str, kind: str) -> bytes:
    """Gzipped GeoJSON of the units of ``kind`` (ids and names only), per data version."""
    return gzip.compress(orjson.dumps(registry.unit_features(engine(), kind)), 6, mtime=0)


@cache.memoize(timeout=TIMEOUT)
def schools_payload(data_version: str, ward_code: str | None) -> bytes:
    """Gzipped GeoJSON points of the located institutions (of one 2025 ward, or all)."""
    points = registry.school_points(engine(), ward_code=ward_code)
    return gzip.compress(orjson.dumps(points), 6, mtime=0)
