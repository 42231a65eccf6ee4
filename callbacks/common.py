"""Helpers shared by callbacks: audited CSV/Excel exports as ``dcc.Download`` payloads."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from dash import dcc

from data_access.spreadsheet import neutralise_frame
from ioc_app.core import audit

FORMATS = ("csv", "xlsx")
BOM = "\ufeff"


def export_frame(frame: pd.DataFrame, name: str, fmt: str = "csv") -> dict[str, Any]:
    """A ``dcc.Download`` payload of ``frame`` as CSV (UTF-8 with BOM, for Excel) or XLSX.

    The export is written to the audit log with its row count.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    audit.record("export", f"{name}.{fmt}", f"{len(frame)} rows")
    # Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets an apostrophe.
    frame = neutralise_frame(frame)
    if fmt == "csv":
        # The byte-order mark tells Excel the file is UTF-8 (without it, Vietnamese
        # diacritics open garbled).
        return dcc.send_string(BOM + frame.to_csv(index=False), f"{name}.csv")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=name[:31])
    return dcc.send_bytes(buffer.getvalue(), f"{name}.xlsx")
