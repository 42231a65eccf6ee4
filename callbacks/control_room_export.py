"""The control room's exports: the indicator on the map for every area, and every alert."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from dash import Input, Output, State, ctx, no_update

from analytics.kpis import MAP_KPIS
from callbacks.common import export_frame
from callbacks.control_room_alerts import word_alert
from ioc_app.core import ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.guard import Access
from ioc_app.core.i18n import current_language, t
from ioc_app.services import indicators as data

#: Who may call the control room's callbacks (callbacks.control_room wires these with its own).
ACCESS = Access.of("leadership")
CALLBACKS = CallbackRegistry()
#: Columns of the file, in order.
COLUMNS = ["unit_id", "code", "name_vi", "name_en", "kpi", "school_year", "value", "estimate"]


def map_frame(year: int, kpi: str, geo: str) -> pd.DataFrame:
    """Every area of ``geo`` with the value of ``kpi`` in ``year`` (missing when unknown);
    ``estimate`` marks figures carried through the crosswalk into split units."""
    layer = data.map_layer(data.version(), year, geo, kpi, "quantile", 5)
    frame = pd.DataFrame(layer["rows"], columns=[*COLUMNS[:4], "value", "estimate"])
    return frame.assign(kpi=kpi, school_year=year)[COLUMNS]


@CALLBACKS.callback(
    ACCESS,
    Output(ids.CR_DOWNLOAD, "data"),
    inputs=dict(
        _csv=Input(ids.CR_EXPORT_CSV, "n_clicks"),
        _xlsx=Input(ids.CR_EXPORT_XLSX, "n_clicks"),
    ),
    state=dict(
        year=State(ids.CR_YEAR, "value"),
        kpi=State(ids.CR_KPI, "value"),
        geo=State(ids.CR_GEO, "value"),
    ),
    prevent_initial_call=True,
)
def export_map(_csv: Any, _xlsx: Any, year: Any, kpi: Any, geo: Any) -> Any:
    """Export buttons → the map's indicator by area (audited by ``export_frame``)."""
    if ctx.triggered_id not in (ids.CR_EXPORT_CSV, ids.CR_EXPORT_XLSX):
        return no_update
    chosen = data.pick_year(data.version(), year)
    if chosen is None or kpi not in MAP_KPIS or geo not in ("ward", "old_district"):
        return no_update
    fmt = "xlsx" if ctx.triggered_id == ids.CR_EXPORT_XLSX else "csv"
    return export_frame(map_frame(chosen, kpi, geo), f"{kpi}_{geo}_{chosen}", fmt)


def alerts_frame(year: int, lang: str) -> pd.DataFrame:
    """Every alert of school ``year``, most serious first, worded as on the page, with the
    page that acts on it."""
    version = data.version()
    found = data.summary(version, year, date.today())
    ref = data.reference(version)
    rows = [word_alert(alert, ref, found["tasks"], year, lang) for alert in found["alerts"]]
    frame = pd.DataFrame(rows, columns=["rule", "severity", "subject", "why", "href"])
    return frame.assign(
        school_year=year,
        alert=[t(f"cr.alert.title.{rule}", lang) for rule in frame["rule"]],
    )[["school_year", "rule", "alert", "severity", "subject", "why", "href"]].rename(
        columns={"href": "link"}
    )


@CALLBACKS.callback(
    ACCESS,
    Output(ids.CR_ALERTS_DOWNLOAD, "data"),
    Input(ids.CR_ALERTS_CSV, "n_clicks"),
    Input(ids.CR_ALERTS_XLSX, "n_clicks"),
    State(ids.CR_YEAR, "value"),
    prevent_initial_call=True,
)
def export_alerts(_csv: Any, _xlsx: Any, year: Any) -> Any:
    """Alert export buttons → every alert of the year (audited by ``export_frame``)."""
    if ctx.triggered_id not in (ids.CR_ALERTS_CSV, ids.CR_ALERTS_XLSX):
        return no_update
    chosen = data.pick_year(data.version(), year)
    if chosen is None:
        return no_update
    fmt = "xlsx" if ctx.triggered_id == ids.CR_ALERTS_XLSX else "csv"
    return export_frame(alerts_frame(chosen, current_language()), f"alerts_{chosen}", fmt)
