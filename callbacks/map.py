"""Callbacks of /map: options, search results, details, nearest, export; the public API.

All public (the map is open to visitors). The map's clusters and points are fetched by the
browser from ``/api/v1/map/clusters`` for each view and filter (assets/map.js, ``clusters``);
these callbacks send lists, details and small layers.
"""

from __future__ import annotations

import math
from typing import Any

import dash_leaflet as dl
import numpy as np
import pandas as pd
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, no_update
from flask import abort

from callbacks.common import export_frame
from data_access.models.institutions import KINDS
from data_access.queries import institutions as queries
from data_access.queries.details import institution_details
from geo.search import normalise
from ioc_app.core import ids, ratelimit
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.guard import PUBLIC
from ioc_app.core.i18n import LANGUAGES, current_language, t
from ioc_app.core.warehouse import cache, engine
from ioc_app.services import registry as reg
from ioc_app.services.registry import RESULT_FIELDS
from ioc_app.services.registry_search import MAP_MATCH_CAP, find, listed, nearest_to
from layouts.map import NEAREST_COUNTS, RADII_KM
from layouts.map_panels import count_text, details_panel, nearest_panel, result_list
from layouts.map_texts import KIND_COLOURS

SELECTED_ZOOM = 16
#: institution.id is an INTEGER column; a larger id cannot exist (SQLite refuses to bind it)
MAX_INSTITUTION_ID = 2**31 - 1
RESULTS_SHOWN = 20
EXPORT_MAX = 100_000
CALLBACKS = CallbackRegistry()
JS = "iocMap"  # window.dash_clientside.iocMap, in assets/map.js
#: The filter controls, by the name the callbacks give them (the point layer's order too).
FILTER_CONTROLS = {
    "kinds": ids.MAP_KIND,
    "levels": ids.MAP_LEVEL,
    "ownership": ids.MAP_OWNERSHIP,
    "ward": ids.MAP_WARD,
    "district": ids.MAP_DISTRICT,
}


def _each_filter(dependency: type[Any]) -> dict[str, Any]:
    """``Input``/``State``/``Output`` of every filter control's value, by name."""
    return {name: dependency(control, "value") for name, control in FILTER_CONTROLS.items()}


def _filters(
    kinds: list[str] | None,
    levels: list[str] | None,
    ownership: str | None,
    ward: str | None,
    district: str | None,
) -> reg.Filters:
    """The filters from the page's (forgeable) values; 400 when one has the wrong type."""
    if not (
        all(value is None or isinstance(value, list) for value in (kinds, levels))
        and all(value is None or isinstance(value, str) for value in (ownership, ward, district))
    ):
        abort(400, "a filter has the wrong type")
    chosen = [k for k in (kinds or []) if k in KINDS]
    return reg.Filters.clean(
        kinds=None if len(chosen) == len(KINDS) else chosen,
        levels=levels,
        ownerships=ownership or None,
        ward=ward,
        district=district,
    )


def _query_text(query: Any) -> str:
    """The search text (at most 200 characters); 400 when the page sent something else."""
    if query is not None and not isinstance(query, str):
        abort(400, "the search text is not text")
    return (query or "").strip()[:200]


def _lang(view: dict[str, Any] | None) -> str:
    """The page's language: the one it was rendered in (a ``?lang=`` link), else the cookie's."""
    lang = view.get("lang") if isinstance(view, dict) else None
    return lang if lang in LANGUAGES else current_language()


def _near(origin: dict[str, Any] | None) -> tuple[float, float] | None:
    """The chosen point from the (user-editable) store, or None when absent or invalid."""
    try:
        lon, lat = float(origin["lon"]), float(origin["lat"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None
    ok = math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90
    return (lon, lat) if ok else None


@cache.memoize(timeout=600)
def _options() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    return queries.ward_options(engine()), queries.old_district_options(engine())


@CALLBACKS.callback(
    PUBLIC,
    Output(ids.MAP_WARD, "options"),
    Output(ids.MAP_DISTRICT, "options"),
    Output(ids.MAP_DISTRICT, "value"),
    Input(ids.MAP_WARD, "id"),
    State(ids.MAP_DISTRICT, "value"),
)
def fill_options(_: Any, district: str | None = None) -> tuple[list, list, Any]:
    """Page load → the ward and old-district choices; a district given by name in the link
    ("Quận 3", "q3") becomes its id, so that the map's own filter agrees with the list."""
    if district is not None and not isinstance(district, str):
        abort(400, "the old district is not text")
    wards, districts = _options()
    if not district or any(o["value"] == district for o in districts):
        return wards, districts, no_update
    wanted = normalise(district)
    matches = [o["value"] for o in districts if normalise(o["label"]) == wanted]
    return wards, districts, matches[0] if len(matches) == 1 else None


@CALLBACKS.callback(
    PUBLIC,
    Output(ids.MAP_RESULTS, "children"),
    Output(ids.MAP_COUNT, "children"),
    inputs=dict(
        query=Input(ids.MAP_QUERY_SENT, "data"),
        **_each_filter(Input),
        origin=Input(ids.MAP_ORIGIN, "data"),
    ),
    state=dict(view=State(ids.MAP_VIEW, "data")),
)
def update_results(
    query: str | None,
    kinds: list[str] | None,
    levels: list[str] | None,
    ownership: str | None,
    ward: str | None,
    district: str | None,
    origin: dict[str, Any] | None,
    view: dict[str, Any] | None = None,
) -> tuple[Any, str]:
    """Search text, filters or the chosen point → result list and live count (the map asks
    /api/v1/map/clusters with the same search and filters)."""
    lang = _lang(view)
    if kinds is not None and not kinds:
        return (
            result_list([], lang, empty=t("map.count.no_kind", lang)),
            t("map.count.no_kind", lang),
        )
    text = _query_text(query)
    snapshot = reg.registry(warm_index=True)
    found = find(
        snapshot,
        text,
        _filters(kinds, levels, ownership, ward, district),
        near=_near(origin),
        limit=RESULTS_SHOWN,
    )
    rows = listed(snapshot, found)
    count = count_text(found.total, len(rows), text, found.capped, lang)
    # nothing asked yet: say how to ask, above the public schools listed first
    hint = t("map.browse", lang) if not text and origin is None else None
    return result_list(rows, lang, hint=hint), count


def _highlight(details: dict[str, Any]) -> list[Any]:
    inst = details["institution"]
    if inst.get("lat") is None or inst.get("lon") is None:
        return []
    colour = KIND_COLOURS.get(inst.get("kind") or "", "#333")
    return [
        dl.CircleMarker(
            center=[inst["lat"], inst["lon"]],
            radius=15,
            pathOptions={"color": colour, "weight": 4, "fill": False},
            children=dl.Tooltip(
                inst.get("name") or "", permanent=True, direction="top", offset=[0, -14]
            ),
        )
    ]


@CALLBACKS.callback(
    PUBLIC,
    Output(ids.MAP_DETAILS, "children"),
    Output(ids.MAP_DETAILS_PANEL, "hidden"),
    Output(ids.MAP_HIGHLIGHT, "children"),
    Output(ids.MAP_MAP, "viewport"),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.MAP_VIEW, "data"),
    State(ids.MAP_MAP, "zoom"),
)
def show_details(
    selected: Any, view: dict[str, Any] | None, zoom: float | None = None
) -> tuple[Any, bool, list, Any]:
    """Selected institution → details panel, highlighted point, map flown to it."""
    lang = _lang(view)
    try:
        institution_id = int(selected) if selected is not None else None
    except (TypeError, ValueError):
        institution_id = None
    except OverflowError:  # ±Infinity: no institution, and no way the page sends it
        abort(400, "the selected institution is not a number")
    if institution_id is None:
        return [], True, [], no_update
    if abs(institution_id) > MAX_INSTITUTION_ID:  # e.g. 1e20: the column cannot hold it
        abort(400, "the selected institution is out of range")
    details = institution_details(engine(), institution_id)
    if details is None:
        return details_panel(None, lang), False, [], no_update
    inst = details["institution"]
    # on page load, a viewport given in the link wins over flying to the selection
    first_load = ctx.triggered_id is None
    keep_view = first_load and bool(view and view.get("given"))
    viewport: Any = no_update
    if not keep_view and inst.get("lat") is not None:
        closer = max(SELECTED_ZOOM, float(zoom)) if isinstance(zoom, int | float) else SELECTED_ZOOM
        viewport = {
            "center": [inst["lat"], inst["lon"]],
            "zoom": closer,
            "transition": "setView" if first_load else "flyTo",
            "options": {"duration": 0.8},
        }
    return details_panel(details, lang), False, _highlight(details), viewport


@CALLBACKS.callback(
    PUBLIC,
    Output(ids.MAP_NEAREST, "children"),
    Output(ids.MAP_ORIGIN_LAYER, "children"),
    inputs=dict(
        origin=Input(ids.MAP_ORIGIN, "data"),
        kind=Input(ids.MAP_NEAREST_KIND, "value"),
        count=Input(ids.MAP_NEAREST_N, "value"),
        radius_km=Input(ids.MAP_RADIUS, "value"),
    ),
    state=dict(view=State(ids.MAP_VIEW, "data")),
)
def update_nearest(
    origin: dict[str, Any] | None,
    kind: str | None,
    count: int | None,
    radius_km: float | None,
    view: dict[str, Any] | None = None,
) -> tuple[Any, list]:
    """Chosen point, kind, count or radius → the nearest institutions and the point drawn."""
    lang = _lang(view)
    at = _near(origin)
    if at is None:
        return nearest_panel([], None, lang), []
    radius_m = float(radius_km) * 1000 if radius_km in RADII_KM else None
    kinds = (kind,) if kind in KINDS else ()
    n = count if count in NEAREST_COUNTS else 10
    records = nearest_to(reg.registry(), at, kinds=kinds, n=n, radius_m=radius_m)
    shapes: list[Any] = [
        dl.CircleMarker(
            center=[at[1], at[0]],
            radius=8,
            pathOptions={"color": "#111", "weight": 3, "fillColor": "#ffcc4d", "fillOpacity": 1},
            children=dl.Tooltip(t("map.origin", lang)),
        )
    ]
    if radius_m:
        shapes.append(
            dl.Circle(
                center=[at[1], at[0]],
                radius=radius_m,
                pathOptions={"color": "#f5a400", "weight": 2, "fill": False, "dashArray": "6 6"},
            )
        )
    return nearest_panel(records, {"lon": at[0], "lat": at[1]}, lang), shapes


@CALLBACKS.callback(
    PUBLIC,
    Output(ids.MAP_DOWNLOAD, "data"),
    inputs=dict(
        _csv=Input(ids.MAP_EXPORT_CSV, "n_clicks"),
        _xlsx=Input(ids.MAP_EXPORT_XLSX, "n_clicks"),
    ),
    state=dict(query=State(ids.MAP_QUERY, "value"), **_each_filter(State)),
    prevent_initial_call=True,
)
def export_results(
    _csv: int | None,
    _xlsx: int | None,
    query: str | None,
    kinds: list[str] | None,
    levels: list[str] | None,
    ownership: str | None,
    ward: str | None,
    district: str | None,
) -> Any:
    """Export buttons → every matching institution (public fields) as CSV or Excel."""
    if not ctx.triggered_id:
        return no_update
    ratelimit.check_export()  # 429 past the public export limit, before any work
    fmt = "xlsx" if ctx.triggered_id == ids.MAP_EXPORT_XLSX else "csv"
    snapshot = reg.registry()
    text = _query_text(query)
    if kinds is not None and not kinds:
        positions = np.zeros(0, dtype=np.int64)
    elif text:
        mask = snapshot.mask(_filters(kinds, levels, ownership, ward, district))
        hits = snapshot.index.search(text, limit=MAP_MATCH_CAP, candidates=mask)
        positions = snapshot.positions([h.id for h in hits])
    else:
        positions = np.flatnonzero(
            snapshot.mask(_filters(kinds, levels, ownership, ward, district))
        )[:EXPORT_MAX]
    # Anonymous exports stop at IOC_EXPORT_MAX_ROWS (writing the whole registry takes seconds
    # of a worker), Excel at a fifth of it (openpyxl writes rows ~15x slower than CSV); the
    # file name then says how many of how many it holds.
    name, cap = "co_so_giao_duc", ratelimit.export_row_cap()
    if cap is not None and fmt == "xlsx":
        cap = max(1, cap // 5)
    if cap is not None and len(positions) > cap:
        name = f"co_so_giao_duc_{cap}_of_{len(positions)}"
        positions = positions[:cap]
    frame = pd.DataFrame(snapshot.records(positions), columns=list(RESULT_FIELDS))
    return export_frame(frame, name, fmt)


# The browser's side: the search pause, the clusters of the view, selection, locating,
# clearing the filters and the URL (assets/map.js).
CALLBACKS.clientside(
    ClientsideFunction(JS, "pause"),
    Output(ids.MAP_QUERY_SENT, "data"),
    Input(ids.MAP_QUERY, "value"),
    Input(ids.MAP_QUERY, "n_submit"),
    State(ids.MAP_QUERY_SENT, "data"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "clusters"),
    Output(ids.MAP_POINTS, "data"),
    Input(ids.MAP_MAP, "center"),
    Input(ids.MAP_MAP, "zoom"),
    Input(ids.MAP_QUERY_SENT, "data"),
    *_each_filter(Input).values(),
    Input(ids.MAP_ORIGIN, "data"),
    State(ids.MAP_VIEW, "data"),
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "select"),
    Output(ids.MAP_SELECTED, "data"),
    Input(ids.map_result(ALL), "n_clicks"),
    Input(ids.map_nearest_item(ALL), "n_clicks"),
    Input(ids.MAP_POINTS, "clickData"),
    Input(ids.MAP_DETAILS_CLOSE, "n_clicks"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "locate"),
    Output(ids.MAP_ORIGIN, "data"),
    Output(ids.MAP_LOCATE_STATUS, "children"),
    Input(ids.MAP_LOCATE, "n_clicks"),
    Input(ids.MAP_MAP, "clickData"),
    State(ids.MAP_VIEW, "data"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "clear"),
    *_each_filter(Output).values(),
    Input(ids.MAP_CLEAR, "n_clicks"),
    State(ids.MAP_VIEW, "data"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "writeUrl"),
    Output(ids.MAP_VIEW, "id"),
    Input(ids.MAP_QUERY, "value"),
    *_each_filter(Input).values(),
    Input(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_MAP, "center"),
    Input(ids.MAP_MAP, "zoom"),
    Input(ids.MAP_NEAREST_KIND, "value"),
    Input(ids.MAP_NEAREST_N, "value"),
    Input(ids.MAP_RADIUS, "value"),
    State(ids.MAP_VIEW, "data"),
)


def register(app: Any) -> None:
    """Wire this page's callbacks into ``app``."""
    CALLBACKS.register(app)
