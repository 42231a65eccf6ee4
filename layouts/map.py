"""/map: the public school map — search, filters, details and nearest (anonymous, phone-first).

The layout is pure: the URL's parameters set its initial state, the ward polygons come by URL
from ``/api/v1/map/wards.geojson``, the clusters and institutions of the current view from
``/api/v1/map/clusters`` (fetched by assets/map.js for each view, filter and search) and
everything else arrives through callbacks.
"""

from __future__ import annotations

import math
from typing import Any

import dash_leaflet as dl
from dash import dcc, html
from flask import current_app, has_app_context

from data_access.models.institutions import KINDS, LEVELS, OWNERSHIPS
from ioc_app.core import ids
from ioc_app.core.i18n import LANGUAGES, current_language, current_theme, t
from layouts.common import page_header
from layouts.map_texts import KIND_COLOURS, KIND_LABELS, LEVEL_LABELS, OWNERSHIP_LABELS, label

CLUSTERS_URL = "/api/v1/map/clusters"
WARDS_URL = "/api/v1/map/wards.geojson"
DEFAULT_CENTER = (10.85, 106.75)  # lat, lon: the merged city without Côn Đảo
DEFAULT_ZOOM = 10
NEAREST_COUNTS = (5, 10, 20)
RADII_KM = (1, 2, 5, 10)


def _js(name: str) -> dict[str, str]:
    """A reference to a function of assets/map.js for dash-leaflet."""
    return {"variable": f"iocMap.{name}"}


def _number(text: Any, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def _listed(text: Any, allowed: tuple[str, ...]) -> list[str]:
    wanted = set(str(text or "").split(","))
    return [v for v in allowed if v in wanted]


def parse_state(params: dict[str, Any]) -> dict[str, Any]:
    """The page state from URL parameters (unknown or malformed values are ignored)."""
    kinds = _listed(params.get("kind"), KINDS) if "kind" in params else list(KINDS)
    if params.get("kind") == "none":
        kinds = []
    lat, lon = _number(params.get("lat"), -90, 90), _number(params.get("lon"), -180, 180)
    zoom = _number(params.get("z"), 3, 18)
    selected = _number(params.get("id"), 1, 2**31)
    radius = _number(params.get("r"), 0.1, 100)
    count = _number(params.get("n"), 1, 50)
    return {
        "query": str(params.get("q") or "")[:200],
        "kinds": kinds,
        "levels": _listed(params.get("level"), LEVELS),
        "ownership": params.get("own") if params.get("own") in OWNERSHIPS else "",
        "ward": str(params.get("ward") or "")[:16] or None,
        "district": str(params.get("district") or "")[:60] or None,
        "selected": int(selected) if selected else None,
        "center": [lat, lon] if lat is not None and lon is not None else list(DEFAULT_CENTER),
        "zoom": int(zoom) if zoom else DEFAULT_ZOOM,
        "view_given": lat is not None and lon is not None,
        "nearest_kind": params.get("nk") if params.get("nk") in KINDS else "",
        "nearest_n": int(count) if count else 10,
        "radius_km": radius,
    }


def _tiles() -> list[Any]:
    """A tile layer only when IOC_TILE_URL is set: the ward polygons are the offline basemap."""
    url = current_app.config.get("IOC_TILE_URL", "") if has_app_context() else ""
    if not url:
        return []
    return [
        dl.TileLayer(
            id=ids.MAP_TILES,
            url=url,
            attribution=current_app.config.get("IOC_TILE_ATTRIBUTION", ""),
        )
    ]


def _kind_legend(state: dict[str, Any], lang: str) -> Any:
    options = [
        {
            "label": html.Span(
                [
                    html.Span(className="map-swatch", style={"background": KIND_COLOURS[k]}),
                    label(KIND_LABELS, k, lang),
                ]
            ),
            "value": k,
        }
        for k in KINDS
    ]
    return html.Fieldset(
        [
            html.Legend(t("map.filter.kind", lang)),
            dcc.Checklist(
                id=ids.MAP_KIND,
                options=options,
                value=state["kinds"],
                className="map-kinds",
                inputClassName="map-check",
            ),
        ],
        className="map-field",
    )


def _dropdown_labels(lang: str) -> dict[str, str]:
    return {
        "search": t("map.dropdown.search", lang),
        "no_options_found": t("map.dropdown.none", lang),
        "clear_selection": t("map.dropdown.clear", lang),
    }


def _filters(state: dict[str, Any], lang: str) -> Any:
    level_options = [{"label": label(LEVEL_LABELS, v, lang), "value": v} for v in LEVELS]
    ownership_options = [{"label": t("map.filter.ownership.all", lang), "value": ""}] + [
        {"label": label(OWNERSHIP_LABELS, v, lang), "value": v} for v in OWNERSHIPS
    ]
    # the selected ward/district is an option already, so its label shows before options load
    ward = [{"label": state["ward"], "value": state["ward"]}] if state["ward"] else []
    district = (
        [{"label": state["district"], "value": state["district"]}] if state["district"] else []
    )
    opened = any(
        (
            state["levels"],
            state["ownership"],
            state["ward"],
            state["district"],
            len(state["kinds"]) != len(KINDS),
        )
    )
    return html.Details(
        [
            html.Summary(t("map.filters", lang)),
            _kind_legend(state, lang),
            html.Div(
                [
                    html.Label(t("map.filter.level", lang), htmlFor=ids.MAP_LEVEL),
                    dcc.Dropdown(
                        id=ids.MAP_LEVEL,
                        options=level_options,
                        value=state["levels"],
                        multi=True,
                        placeholder=t("map.filter.level.all", lang),
                        labels=_dropdown_labels(lang),
                    ),
                ],
                className="map-field",
            ),
            html.Fieldset(
                [
                    html.Legend(t("map.filter.ownership", lang)),
                    dcc.RadioItems(
                        id=ids.MAP_OWNERSHIP,
                        options=ownership_options,
                        value=state["ownership"],
                        className="map-radios",
                        inputClassName="map-check",
                    ),
                ],
                className="map-field",
            ),
            html.Div(
                [
                    html.Label(t("map.filter.ward", lang), htmlFor=ids.MAP_WARD),
                    dcc.Dropdown(
                        id=ids.MAP_WARD,
                        options=ward,
                        value=state["ward"],
                        placeholder=t("map.filter.ward.all", lang),
                        labels=_dropdown_labels(lang),
                    ),
                ],
                className="map-field",
            ),
            html.Div(
                [
                    html.Label(t("map.filter.district", lang), htmlFor=ids.MAP_DISTRICT),
                    dcc.Dropdown(
                        id=ids.MAP_DISTRICT,
                        options=district,
                        value=state["district"],
                        placeholder=t("map.filter.district.all", lang),
                        labels=_dropdown_labels(lang),
                    ),
                ],
                className="map-field",
            ),
            html.Button(
                t("map.filter.clear", lang), id=ids.MAP_CLEAR, type="button", className="button"
            ),
        ],
        className="map-panel map-filters",
        open=opened,
    )


def _map(state: dict[str, Any], theme: str, lang: str) -> Any:
    # Clustered on the server for the current view; assets/map.js (``clusters``) fetches
    # them on load, after every move or zoom and on every filter or search change.
    points = dl.GeoJSON(
        id=ids.MAP_POINTS,
        pointToLayer=_js("pointToLayer"),
        hideout={"colours": KIND_COLOURS},
    )
    wards = dl.GeoJSON(
        id=ids.MAP_WARDS, url=WARDS_URL, style=_js("wardStyle"), hideout={"dark": theme == "dark"}
    )
    tiles = _tiles()
    canvas = dl.MapContainer(
        [
            *tiles,
            wards,
            points,
            dl.LayerGroup(id=ids.MAP_ORIGIN_LAYER),
            dl.LayerGroup(id=ids.MAP_HIGHLIGHT),
        ],
        id=ids.MAP_MAP,
        center=state["center"],
        zoom=state["zoom"],
        minZoom=7,
        maxZoom=18,
        className="map-canvas",
        attributionControl=bool(tiles),
    )
    return html.Div(
        canvas, className="map-frame", role="region", **{"aria-label": t("map.map.label", lang)}
    )


def _nearest(state: dict[str, Any], lang: str) -> Any:
    kinds = [{"label": t("map.nearest.kind.all", lang), "value": ""}] + [
        {"label": label(KIND_LABELS, k, lang), "value": k} for k in KINDS
    ]
    counts = [{"label": str(n), "value": n} for n in NEAREST_COUNTS]
    radii = [{"label": t("map.nearest.radius.any", lang), "value": 0}] + [
        {"label": f"{r} km", "value": r} for r in RADII_KM
    ]
    radius = state["radius_km"] if state["radius_km"] in RADII_KM else 0
    return html.Section(
        [
            html.H2(t("map.nearest", lang)),
            html.P(t("map.nearest.hint", lang), className="muted"),
            html.Button(
                t("map.nearest.locate", lang),
                id=ids.MAP_LOCATE,
                type="button",
                className="button button-primary",
            ),
            html.P(id=ids.MAP_LOCATE_STATUS, role="status", className="muted"),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label(t("map.nearest.kind", lang), htmlFor=ids.MAP_NEAREST_KIND),
                            dcc.Dropdown(
                                id=ids.MAP_NEAREST_KIND,
                                options=kinds,
                                value=state["nearest_kind"],
                                clearable=False,
                                searchable=False,
                            ),
                        ],
                        className="map-field",
                    ),
                    html.Div(
                        [
                            html.Label(t("map.nearest.n", lang), htmlFor=ids.MAP_NEAREST_N),
                            dcc.Dropdown(
                                id=ids.MAP_NEAREST_N,
                                options=counts,
                                value=state["nearest_n"]
                                if state["nearest_n"] in NEAREST_COUNTS
                                else 10,
                                clearable=False,
                                searchable=False,
                            ),
                        ],
                        className="map-field",
                    ),
                    html.Div(
                        [
                            html.Label(t("map.nearest.radius", lang), htmlFor=ids.MAP_RADIUS),
                            dcc.Dropdown(
                                id=ids.MAP_RADIUS,
                                options=radii,
                                value=radius,
                                clearable=False,
                                searchable=False,
                            ),
                        ],
                        className="map-field",
                    ),
                ],
                className="map-row",
            ),
            dcc.Loading(html.Div(id=ids.MAP_NEAREST, **{"aria-live": "polite"}), delay_show=400),
        ],
        className="map-panel map-nearest",
    )


def layout(**params: Any) -> Any:
    """The page; ``params`` are the URL's (q, kind, level, own, ward, district, id, lat, lon,
    z, nk, n, r) so that a copied link reproduces the view."""
    lang = params.get("lang") if params.get("lang") in LANGUAGES else current_language()
    state = parse_state(params)
    texts = {key: t(f"map.locate.{key}", lang) for key in ("busy", "denied", "ok")}
    return html.Div(
        [
            page_header(t("map.title", lang), t("map.subtitle", lang), generated=True),
            html.Section(
                [
                    html.Label(t("map.search.label", lang), htmlFor=ids.MAP_QUERY),
                    # No dcc debounce: Dash 4's debounced Input moves the caret back under load and
                    # scrambles fast typing; the pause is taken in a clientside callback instead.
                    dcc.Input(
                        id=ids.MAP_QUERY,
                        type="search",
                        value=state["query"],
                        debounce=False,
                        placeholder=t("map.search.placeholder", lang),
                        autoComplete="off",
                        spellCheck=False,
                        maxLength=200,
                        className="map-query",
                    ),
                    dcc.Store(id=ids.MAP_QUERY_SENT, data=state["query"]),
                    html.P(
                        id=ids.MAP_COUNT,
                        role="status",
                        className="map-count",
                        **{"aria-live": "polite", "aria-atomic": "true"},
                    ),
                ],
                className="map-panel map-search",
                role="search",
            ),
            _filters(state, lang),
            _map(state, current_theme(), lang),
            html.Section(
                [
                    html.H2(t("map.results", lang)),
                    dcc.Loading(html.Div(id=ids.MAP_RESULTS), delay_show=400),
                    html.Div(
                        [
                            html.Button(
                                t("export.csv", lang),
                                id=ids.MAP_EXPORT_CSV,
                                type="button",
                                className="button",
                            ),
                            html.Button(
                                t("export.xlsx", lang),
                                id=ids.MAP_EXPORT_XLSX,
                                type="button",
                                className="button",
                            ),
                        ],
                        className="map-row",
                        role="group",
                        **{"aria-label": t("map.export", lang)},
                    ),
                    dcc.Download(id=ids.MAP_DOWNLOAD),
                ],
                className="map-panel map-results",
            ),
            html.Section(
                [
                    html.Div(
                        [
                            html.H2(t("map.details", lang)),
                            html.Button(
                                t("map.details.close", lang),
                                id=ids.MAP_DETAILS_CLOSE,
                                type="button",
                                className="button",
                            ),
                        ],
                        className="map-row map-details-head",
                    ),
                    dcc.Loading(
                        html.Div(id=ids.MAP_DETAILS, **{"aria-live": "polite"}), delay_show=400
                    ),
                ],
                id=ids.MAP_DETAILS_PANEL,
                className="map-panel map-details",
                hidden=state["selected"] is None,
            ),
            _nearest(state, lang),
            dcc.Store(id=ids.MAP_SELECTED, data=state["selected"]),
            dcc.Store(id=ids.MAP_ORIGIN),
            dcc.Store(
                id=ids.MAP_VIEW,
                data={
                    "given": state["view_given"],
                    "texts": texts,
                    "kinds": list(KINDS),
                    "lang": lang,
                    "clusters": CLUSTERS_URL,
                },
            ),
        ],
        id=ids.MAP_ROOT,
        className="map-page",
    )
