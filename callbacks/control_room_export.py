"""The control room's export: the indicator on the map, for every area, as CSV or Excel."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, Output, State, ctx, no_update

from analytics.kpis import MAP_KPIS
from callbacks import control_room_data as data
from callbacks.common import export_frame
from ioc_app import ids
from ioc_app.guard import Access, guarded_callback

#: Columns of the file, in order.
COLUMNS = ["unit_id", "code", "name_vi", "name_en", "kpi", "school_year", "value", "estimate"]


def map_frame(year: int, kpi: str, geo: str) -> pd.DataFrame:
    """Every area of ``geo`` with the value of ``kpi`` in ``year`` (missing when unknown);
    ``estimate`` marks figures carried through the crosswalk into split units."""
    layer = data.map_layer(data.version(), year, geo, kpi, "quantile", 5)
    frame = pd.DataFrame(layer["rows"], columns=[*COLUMNS[:4], "value", "estimate"])
    return frame.assign(kpi=kpi, school_year=year)[COLUMNS]


def export_map(_csv: Any, _xlsx: Any, year: Any, kpi: Any, geo: Any) -> Any:
    """Export buttons → the map's indicator by area (audited by ``export_frame``)."""
    if ctx.triggered_id not in (ids.CR_EXPORT_CSV, ids.CR_EXPORT_XLSX):
        return no_update
    chosen = data.pick_year(data.version(), year)
    if chosen is None or kpi not in MAP_KPIS or geo not in ("ward", "old_district"):
        return no_update
    fmt = "xlsx" if ctx.triggered_id == ids.CR_EXPORT_XLSX else "csv"
    return export_frame(map_frame(chosen, kpi, geo), f"{kpi}_{geo}_{chosen}", fmt)


def register(app: Any, access: Access) -> None:
    """Wire the export into ``app`` for the control room's callers."""
    guarded_callback(
        app,
        access,
        Output(ids.CR_DOWNLOAD, "data"),
        Input(ids.CR_EXPORT_CSV, "n_clicks"),
        Input(ids.CR_EXPORT_XLSX, "n_clicks"),
        State(ids.CR_YEAR, "value"),
        State(ids.CR_KPI, "value"),
        State(ids.CR_GEO, "value"),
        prevent_initial_call=True,
    )(export_map)
