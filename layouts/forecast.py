"""/forecast: enrolment forecasts by area and level, the model's track record, seat gaps by
ward and scenario levers (planners and leadership).

The layout is pure: the URL's parameters (``area, level, h, mig, norm, add, addyear``) set
the controls; every figure arrives through callbacks/forecast.py, and the ward polygons by
URL from ``/forecast/wards.geojson``.
"""

from __future__ import annotations

from typing import Any

import dash_leaflet as dl
from dash import dcc, html
from flask import current_app, has_app_context

from analytics.forecast.levels import DEFAULT_CLASS_SIZE
from ioc_app.core import ids
from ioc_app.core.i18n import current_language, t
from ioc_app.services.forecast_state import (
    LEVELS,
    MAX_ADDED,
    MAX_HORIZON,
    NORM_RANGE,
    ViewState,
    read_state,
)
from layouts.common import CHOROPLETH_HOVER, CHOROPLETH_STYLE, page_header
from layouts.forecast_texts import level_name

WARDS_URL = "/forecast/wards.geojson"
#: The mainland of the merged city (Côn Đảo, 180 km offshore, is reached by panning).
BOUNDS = [[10.33, 106.35], [11.52, 107.62]]
CENTER = [10.92, 106.98]  # dash-leaflet compares the view with ``center`` even with bounds


def _field(
    label_key: str, control: Any, control_id: str, lang: str, *, help_key: str | None = None
) -> Any:
    parts = [html.Label(t(label_key, lang), htmlFor=control_id), control]
    if help_key:
        parts.append(html.Small(t(help_key, lang), className="muted fc-help"))
    return html.Div(parts, className="fc-field")


def _controls(state: ViewState, lang: str) -> Any:
    area_options = [{"label": state.area, "value": state.area}] if state.area else []
    year_options = (
        [{"label": str(state.added_year), "value": state.added_year}] if state.added_year else []
    )
    dropdown_labels = {"search": t("fc.area.placeholder", lang)}
    choose = html.Div(
        [
            _field(
                "fc.area",
                dcc.Dropdown(
                    id=ids.FC_AREA,
                    options=area_options,
                    value=state.area,
                    clearable=False,
                    searchable=True,
                    placeholder=t("fc.city", lang),
                    labels=dropdown_labels,
                    className="fc-area",
                ),
                ids.FC_AREA,
                lang,
            ),
            html.Fieldset(
                [
                    html.Legend(t("fc.level", lang)),
                    dcc.RadioItems(
                        id=ids.FC_LEVEL,
                        value=state.level,
                        inline=True,
                        options=[{"label": level_name(lv, lang), "value": lv} for lv in LEVELS],
                        className="fc-radio",
                    ),
                ],
                className="fc-field fc-fieldset",
            ),
            html.Div(
                [
                    html.Span(
                        t("fc.horizon", lang), className="fc-label", **{"aria-hidden": "true"}
                    ),
                    dcc.Slider(
                        id=ids.FC_HORIZON,
                        min=1,
                        max=MAX_HORIZON,
                        step=1,
                        value=state.horizon,
                        marks={h: str(h) for h in range(1, MAX_HORIZON + 1)},
                        className="fc-slider",
                    ),
                ],
                className="fc-field fc-wide",
                role="group",
                **{"aria-label": t("fc.horizon", lang)},
            ),
        ],
        className="fc-controls",
        role="group",
        **{"aria-label": t("fc.controls", lang)},
    )
    levers = html.Fieldset(
        [
            html.Legend(t("fc.levers", lang)),
            html.Div(
                [
                    html.Span(
                        t("fc.migration", lang), className="fc-label", **{"aria-hidden": "true"}
                    ),
                    dcc.Slider(
                        id=ids.FC_MIGRATION,
                        min=-3,
                        max=3,
                        step=0.1,
                        value=state.migration,
                        marks={v: f"{v:+d}" if v else "0" for v in range(-3, 4)},
                        className="fc-slider",
                    ),
                    html.Small(t("fc.migration.help", lang), className="muted fc-help"),
                ],
                className="fc-field fc-wide",
                role="group",
                **{"aria-label": t("fc.migration", lang)},
            ),
            _field(
                "fc.norm",
                dcc.Input(
                    id=ids.FC_NORM,
                    type="number",
                    min=NORM_RANGE[0],
                    max=NORM_RANGE[1],
                    step=1,
                    value=state.norm,
                    debounce=True,
                    placeholder=str(int(DEFAULT_CLASS_SIZE[state.level])),
                    className="fc-input",
                ),
                ids.FC_NORM,
                lang,
                help_key="fc.norm.help",
            ),
            _field(
                "fc.added",
                dcc.Input(
                    id=ids.FC_ADDED,
                    type="number",
                    min=0,
                    max=MAX_ADDED,
                    step=1,
                    value=state.added or None,
                    debounce=True,
                    placeholder="0",
                    className="fc-input",
                ),
                ids.FC_ADDED,
                lang,
                help_key="fc.added.help",
            ),
            _field(
                "fc.added_year",
                dcc.Dropdown(
                    id=ids.FC_ADDED_YEAR,
                    options=year_options,
                    value=state.added_year,
                    clearable=True,
                    searchable=False,
                    className="fc-year",
                ),
                ids.FC_ADDED_YEAR,
                lang,
            ),
        ],
        className="fc-levers",
    )
    return html.Div([choose, levers], className="fc-panel card")


def _tiles() -> list[Any]:
    """A tile layer only when IOC_TILE_URL is set: the ward polygons are the offline map."""
    url = current_app.config.get("IOC_TILE_URL", "") if has_app_context() else ""
    if not url:
        return []
    return [dl.TileLayer(url=url, attribution=current_app.config.get("IOC_TILE_ATTRIBUTION", ""))]


def _map(lang: str) -> Any:
    # The polygons' URL comes with the first colours (callbacks/forecast.py): dash-leaflet
    # drops a hideout that changes while a layer is loading.
    wards = dl.GeoJSON(
        id=ids.FC_WARDS_LAYER,
        url=None,
        style=CHOROPLETH_STYLE,
        hoverStyle=CHOROPLETH_HOVER,
        hideout={"classes": {}, "colors": [], "labels": {}, "selected": []},
    )
    return html.Div(
        [
            dl.Map(
                [*_tiles(), wards],
                id=ids.FC_MAP,
                center=CENTER,
                zoom=9,
                bounds=BOUNDS,
                className="fc-leaflet",
                attributionControl=bool(_tiles()),
            ),
            html.P(
                t("fc.map.hover", lang),
                id=ids.FC_HOVER,
                className="fc-hover",
                **{"aria-live": "polite"},
            ),
            html.P(t("fc.map.tap", lang), className="tap-hint"),
        ],
        className="fc-map-wrap",
        role="region",
        **{"aria-label": t("fc.map.label", lang)},
    )


def _section(title_key: str, children: list[Any], lang: str, extra: str = "") -> Any:
    return html.Section(
        [html.H2(t(title_key, lang)), *children],
        className=f"card fc-section {extra}".strip(),
        **{"aria-label": t(title_key, lang)},
    )


def layout(**params: Any) -> Any:
    """The forecast page; the URL's parameters set the controls (see :func:`read_state`)."""
    lang = current_language()
    state = read_state(**params)
    live = {"aria-live": "polite"}
    forecast = _section(
        "fc.section.forecast",
        [
            dcc.Loading(
                dcc.Graph(
                    id=ids.FC_CHART,
                    className="fc-chart",
                    config={"displaylogo": False, "responsive": True},
                    figure={"data": [], "layout": {"height": 380}},
                ),
                delay_show=200,
            ),
            html.P(t("fc.chart.label", lang), className="sr-only"),
            html.Div(id=ids.FC_SUMMARY, className="fc-summary", **live),
            html.Div(id=ids.FC_NOTES, className="fc-notes"),
        ],
        lang,
        "fc-forecast",
    )
    accuracy = _section(
        "fc.section.accuracy",
        [
            html.Div(id=ids.FC_ACCURACY, **live),
            html.Div(id=ids.FC_GSO, className="fc-gso"),
        ],
        lang,
        "fc-accuracy",
    )
    gaps = _section(
        "fc.section.gaps",
        [
            html.H3(id=ids.FC_MAP_TITLE, className="fc-map-title"),
            html.Div(
                [
                    _map(lang),
                    html.Div(
                        [
                            html.Div(id=ids.FC_LEGEND, className="fc-legend"),
                            dcc.Loading(
                                html.Div(id=ids.FC_WORST, className="fc-worst"), delay_show=200
                            ),
                        ],
                        className="fc-map-side",
                    ),
                ],
                className="fc-map-grid",
            ),
        ],
        lang,
        "fc-gaps",
    )
    export = _section(
        "fc.section.export",
        [
            html.Div(
                [
                    html.Button(
                        t("fc.export.table_csv", lang), id=ids.FC_EXPORT_CSV, className="button"
                    ),
                    html.Button(
                        t("fc.export.table_xlsx", lang), id=ids.FC_EXPORT_XLSX, className="button"
                    ),
                    html.Button(
                        t("fc.export.gaps_csv", lang), id=ids.FC_GAPS_CSV, className="button"
                    ),
                    html.Button(
                        t("fc.export.gaps_xlsx", lang), id=ids.FC_GAPS_XLSX, className="button"
                    ),
                ],
                className="fc-exports",
            ),
            dcc.Download(id=ids.FC_DOWNLOAD),
        ],
        lang,
        "fc-export",
    )
    return html.Div(
        [
            page_header(t("fc.title", lang), t("fc.subtitle", lang), generated=True),
            html.P(t("fc.real", lang), className="notice notice-warning fc-real"),
            _controls(state, lang),
            html.Div(id=ids.FC_STATUS, **live),
            html.Div([forecast, accuracy], className="fc-grid"),
            gaps,
            export,
        ],
        id=ids.FC_ROOT,
        className="forecast-page",
    )
