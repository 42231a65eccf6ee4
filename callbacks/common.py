"""Helpers shared by callbacks: audited CSV/Excel exports, gzipped GeoJSON layers."""

from __future__ import annotations

import gzip
import io
from typing import Any

import orjson
import pandas as pd
from dash import dcc
from flask import Response, request

from data_access.queries import registry
from ioc_app import audit
from ioc_app.warehouse import cache, engine

FORMATS = ("csv", "xlsx")
BOM = "\ufeff"


def export_frame(frame: pd.DataFrame, name: str, fmt: str = "csv") -> dict[str, Any]:
    """A ``dcc.Download`` payload of ``frame`` as CSV (UTF-8 with BOM, for Excel) or XLSX.

    The export is written to the audit log with its row count.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    audit.record("export", f"{name}.{fmt}", f"{len(frame)} rows")
    if fmt == "csv":
        # The byte-order mark tells Excel the file is UTF-8 (without it, Vietnamese
        # diacritics open garbled).
        return dcc.send_string(BOM + frame.to_csv(index=False), f"{name}.csv")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=name[:31])
    return dcc.send_bytes(buffer.getvalue(), f"{name}.xlsx")


@cache.memoize(timeout=6 * 3600)
def units_payload(data_version: str, kind: str) -> bytes:
    """Gzipped GeoJSON of the units of ``kind`` (ids and names only), per data version."""
    return gzip.compress(orjson.dumps(registry.unit_features(engine(), kind)), 6, mtime=0)


def geojson_response(payload: bytes) -> Response:
    """Send gzipped GeoJSON as is when the client accepts gzip, else decompressed."""
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = Response(payload, mimetype="application/geo+json")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(gzip.decompress(payload), mimetype="application/geo+json")
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
