"""/: the leadership control room (KPIs, choropleth, alerts, freshness) and its wall screen."""

from __future__ import annotations

from typing import Any

import dash_leaflet as dl
from dash import dcc, html
from flask import current_app, has_app_context

import layouts.control_room_texts  # noqa: F401  (registers the cr.* texts of this page)
from analytics.classify import METHODS
from analytics.kpis import MAP_KPIS
from ioc_app.core import ids
from ioc_app.core.i18n import current_language, t
from ioc_app.core.vocabulary import GEOGRAPHIES, geography_options, linked_year_options
from layouts.common import CHOROPLETH_HOVER, CHOROPLETH_STYLE, export_actions, page_header

NS = "iocControl"
DEFAULT_KPI = "class_size_vs_norm"
DEFAULT_METHOD = "natural_breaks"
DEFAULT_CLASSES = 5
REFRESH_MS = 60_000
#: The mainland of the merged city (Côn Đảo, 180 km south, is reached by zooming out).
CENTER = [10.80, 106.90]
MAINLAND = [[10.35, 106.35], [11.25, 107.60]]


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


def _choice(value: Any, allowed: tuple[str, ...] | list[str], default: str) -> str:
    return value if value in allowed else default


def units_url(geo: str) -> str:
    """Where the map layer of ``geo`` units is served (ioc_app.layer_routes)."""
    return f"/control-room/units/{geo}.geojson"


def leaflet_map(
    map_id: str,
    layer_id: str,
    url: str | None,
    *,
    schools_id: str | None,
    schools_url: str | None,
    lang: str,
    data: Any = None,
    interactive: bool = True,
    schools_checked: bool = False,
    fit: bool = False,
) -> Any:
    """An offline-capable map: unit polygons as the base, tiles only when configured."""
    children: list[Any] = []
    tile_url = current_app.config.get("IOC_TILE_URL", "") if has_app_context() else ""
    if tile_url:
        children.append(
            dl.TileLayer(
                url=tile_url, attribution=current_app.config.get("IOC_TILE_ATTRIBUTION", "")
            )
        )
    units = dl.GeoJSON(
        id=layer_id,
        url=url,
        data=data,
        zoomToBounds=fit,
        style=CHOROPLETH_STYLE,
        hoverStyle=CHOROPLETH_HOVER,
        hideout={"classes": {}, "colors": [], "estimates": [], "values": {}, "names": {}},
        interactive=interactive,
    )
    overlays = [dl.Overlay(units, name=t("cr.layer.units", lang), checked=True)]
    if schools_id:
        overlays.append(
            dl.Overlay(
                dl.GeoJSON(
                    id=schools_id,
                    url=schools_url,
                    cluster=True,
                    zoomToBoundsOnClick=True,
                    superClusterOptions={"radius": 60, "maxZoom": 15},
                    pointToLayer={"variable": f"{NS}.schoolPoint"},
                    clusterToLayer={"variable": f"{NS}.schoolCluster"},
                ),
                name=t("cr.layer.schools", lang),
                checked=schools_checked,
            )
        )
    children.append(dl.LayersControl(overlays, position="topright"))
    return dl.Map(
        children,
        id=map_id,
        center=CENTER,
        zoom=9,
        bounds=MAINLAND,
        className="cr-leaflet",
        attributionControl=bool(tile_url),
        scrollWheelZoom=interactive,
        dragging=interactive,
        zoomControl=interactive,
        keyboard=interactive,
    )


def _controls(year: str | None, kpi: str, method: str, classes: int, geo: str, lang: str) -> Any:
    def field(label_key: str, control: Any, control_id: str) -> Any:
        return html.Div(
            [html.Label(t(label_key, lang), htmlFor=control_id), control], className="cr-field"
        )

    year_value = int(year) if year and str(year).isdigit() else None
    return html.Div(
        [
            field(
                "cr.year",
                dcc.Dropdown(
                    id=ids.CR_YEAR,
                    value=year_value,
                    options=linked_year_options(year_value),
                    clearable=False,
                    searchable=False,
                ),
                ids.CR_YEAR,
            ),
            field(
                "cr.kpi",
                dcc.Dropdown(
                    id=ids.CR_KPI,
                    value=kpi,
                    clearable=False,
                    options=[{"label": t(f"cr.map.{key}", lang), "value": key} for key in MAP_KPIS],
                ),
                ids.CR_KPI,
            ),
            field(
                "cr.method",
                dcc.Dropdown(
                    id=ids.CR_METHOD,
                    value=method,
                    clearable=False,
                    searchable=False,
                    options=[{"label": t(f"cr.method.{m}", lang), "value": m} for m in METHODS],
                ),
                ids.CR_METHOD,
            ),
            field(
                "cr.classes",
                dcc.Dropdown(
                    id=ids.CR_CLASSES,
                    value=classes,
                    clearable=False,
                    searchable=False,
                    options=[{"label": str(k), "value": k} for k in range(3, 8)],
                ),
                ids.CR_CLASSES,
            ),
            field(
                "cr.geo",
                dcc.RadioItems(
                    id=ids.CR_GEO,
                    value=geo,
                    inline=True,
                    options=geography_options(lang),
                ),
                ids.CR_GEO,
            ),
        ],
        className="cr-controls",
        role="group",
        **{"aria-label": t("cr.map.label", lang)},
    )


def _section(title_key: str, body: Any, lang: str, *, extra: str = "") -> Any:
    return html.Section(
        [html.H2(t(title_key, lang)), body],
        className=f"cr-view card {extra}".strip(),
        **{"aria-label": t(title_key, lang)},
    )


def layout(
    *,
    year: str | None = None,
    kpi: str | None = None,
    method: str | None = None,
    k: str | None = None,
    geo: str | None = None,
    kiosk: str | None = None,
    rotate: str | None = None,
    **_params: Any,
) -> Any:
    """The control room; ``?kiosk=1&rotate=30`` turns it into the rotating wall screen."""
    lang = current_language()
    wall = kiosk in ("1", "true", "yes")
    kpi = _choice(kpi, list(MAP_KPIS), DEFAULT_KPI)
    method = _choice(method, METHODS, DEFAULT_METHOD)
    geo = _choice(geo, GEOGRAPHIES, "ward")
    classes = _int(k, DEFAULT_CLASSES, 3, 7)
    seconds = _int(rotate, 30, 3, 600)
    live = {"aria-live": "polite"}
    map_section = _section(
        "cr.section.map",
        html.Div(
            [
                html.Div(
                    [
                        leaflet_map(
                            ids.CR_MAP,
                            ids.CR_UNITS_LAYER,
                            units_url(geo),
                            schools_id=ids.CR_SCHOOLS_LAYER,
                            schools_url="/control-room/schools.geojson",
                            lang=lang,
                            interactive=not wall,
                        ),
                        html.P(
                            t("cr.map.hover", lang), id=ids.CR_HOVER, className="cr-hover", **live
                        ),
                        html.P(t("cr.map.tap", lang), className="tap-hint"),
                    ],
                    className="cr-map-wrap",
                    role="region",
                    **{"aria-label": t("cr.map.label", lang)},
                ),
                html.Div(
                    [
                        html.Div(id=ids.CR_LEGEND, className="cr-legend"),
                        html.Div(id=ids.CR_RANKING, className="cr-ranking-wrap"),
                        html.Div(
                            export_actions(
                                ids.CR_EXPORT_CSV, ids.CR_EXPORT_XLSX, ids.CR_DOWNLOAD, lang
                            ),
                            className="cr-export",
                            title=t("cr.export.title", lang),
                        ),
                    ],
                    className="cr-map-side",
                ),
            ],
            className="cr-map-grid",
        ),
        lang,
        extra="cr-view-map",
    )
    views = html.Div(
        [
            _section(
                "cr.section.kpis",
                html.Div(id=ids.CR_TILES, className="cr-tiles", **live),
                lang,
                extra="cr-view-kpis",
            ),
            map_section,
            _section(
                "cr.section.alerts",
                html.Div(
                    [
                        html.Div(id=ids.CR_ALERTS, **live),
                        html.Div(
                            export_actions(
                                ids.CR_ALERTS_CSV, ids.CR_ALERTS_XLSX, ids.CR_ALERTS_DOWNLOAD, lang
                            ),
                            className="cr-export",
                            title=t("cr.alerts.export", lang),
                        ),
                    ]
                ),
                lang,
                extra="cr-view-alerts",
            ),
            _section(
                "cr.section.freshness",
                html.Div(id=ids.CR_FRESHNESS, className="table-wrap"),
                lang,
                extra="cr-view-freshness",
            ),
        ],
        id=ids.CR_VIEWS,
        className="cr-views view-0",
    )
    header = page_header(t("cr.title", lang), None, generated=True)
    return html.Div(
        [
            header,
            html.P(id=ids.CR_SUBTITLE, className="muted cr-subtitle"),
            html.P(id=ids.CR_UPDATED, className="cr-updated muted", **live),
            _controls(year, kpi, method, classes, geo, lang),
            views,
            dcc.Interval(id=ids.CR_REFRESH, interval=REFRESH_MS),
            dcc.Interval(id=ids.CR_ROTATE, interval=seconds * 1000, disabled=not wall),
            dcc.Store(id=ids.CR_SIGNATURE),
        ],
        id=ids.CR_ROOT,
        className="control-room kiosk theme-dark" if wall else "control-room",
        **{"data-kiosk": "1" if wall else "0"},
    )
