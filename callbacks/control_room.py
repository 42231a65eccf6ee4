"""Callbacks of the control room: tiles, alerts and freshness (patched in place on refresh),
the choropleth and its legend, drill-down clicks, the URL and the wall screen's rotation."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from dash import Input, Output, Patch, State, ctx, no_update

from callbacks import control_room_export
from callbacks.control_room_alerts import word_alert
from ioc_app.core import audit, ids
from ioc_app.core.fmt import fmt_number, school_year_label
from ioc_app.core.guard import Access, clientside_callback, guarded_callback
from ioc_app.core.i18n import current_language, pick, t
from ioc_app.services import indicators as data
from layouts.common import system_name
from layouts.control_room import units_url
from layouts.control_room_panels import (
    MISSING_COLOUR,
    PALETTES,
    alerts_panel,
    freshness_panel,
    kpi_tile,
    legend,
    ranking,
    tile_groups,
    tile_texts,
    tiles_panel,
)

ACCESS = Access.of("leadership")
ALERTS_PER_RULE = 3
KIOSK_ALERTS_PER_RULE = 2
RANKING_SHOWN = 10
MAP_KIND = {
    "pupil_teacher_ratio": "ratio",
    "class_size": "ratio",
    "class_size_vs_norm": "percent",
    "staffing_vs_norm": "percent",
    "dx_level3_share": "percent",
}


def _digest(value: Any) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _freshness_rows(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    shaped = []
    for row in rows:
        status = (
            "cr.fresh.never"
            if row["last_load"] is None
            else "cr.fresh.stale"
            if row["stale"]
            else "cr.fresh.ok"
        )
        shaped.append(
            {
                "domain": pick(row["name_vi"], row["name_en"], lang),
                "last_load": row["last_load"] or "—",
                "age_days": row["age_days"],
                "refresh_days": row["refresh_days"],
                "coverage": fmt_number(row["coverage"], "share", lang),
                "source_system": system_name(row["source_system"], lang),
                "status": t(status, lang),
            }
        )
    return shaped


def _tiles_output(
    tiles: list[dict[str, Any]],
    lang: str,
    previous: dict[str, Any] | None,
    coverage: dict[str, float | None],
) -> tuple[Any, dict[str, Any]]:
    """The tiles as a full list, a Patch of the changed tiles, or no_update."""
    groups = tile_groups(tiles)
    shape = [[group, [tile["key"] for tile in items]] for group, items in groups]
    texts = {tile["key"]: tile_texts(tile, lang) for tile in tiles}
    signature = {"shape": shape, "texts": texts, "lang": lang, "coverage": coverage}
    if (
        not previous
        or previous.get("shape") != shape
        or previous.get("lang") != lang
        or previous.get("coverage") != coverage
    ):
        return tiles_panel(tiles, lang, coverage), signature
    patch, changed = Patch(), False
    for g, (_group, items) in enumerate(groups):
        for i, tile in enumerate(items):
            if previous["texts"].get(tile["key"]) != texts[tile["key"]]:
                patch[g]["props"]["children"][1]["props"]["children"][i] = kpi_tile(tile, lang)
                changed = True
    return (patch if changed else no_update), signature


def refresh_summary(
    _tick: Any, year: Any, previous: dict[str, Any] | None, rotate_disabled: bool | None
) -> tuple[Any, ...]:
    """Page load, a minute passed or another year → tiles, alerts, freshness (changed parts)."""
    lang = current_language()
    if not _tick or ctx.triggered_id != ids.CR_REFRESH:  # a view, not the wall's refresh
        audit.record("read", "control_room", f"year={year}")
    kiosk = rotate_disabled is False
    version = data.version()
    chosen = data.pick_year(version, year)
    years = data.school_years(version)
    options = [{"label": school_year_label(y), "value": y} for y in reversed(years)]
    previous = previous or {}
    updated = t("cr.updated", lang).format(time=datetime.now().strftime("%H:%M"))
    if chosen is None:
        empty = tiles_panel([], lang)
        return (
            empty,
            alerts_panel([], lang),
            freshness_panel([], lang),
            "",
            updated,
            options,
            None,
            {"lang": lang},
        )
    found = data.summary(version, chosen, date.today())
    ref = data.reference(version)
    coverage = {row["slug"]: row["coverage"] for row in found["freshness"]}
    tiles, tile_signature = _tiles_output(found["tiles"], lang, previous.get("tiles"), coverage)
    per_rule = KIOSK_ALERTS_PER_RULE if kiosk else ALERTS_PER_RULE
    worded = [word_alert(a, ref, found["tasks"], chosen, lang) for a in found["alerts"]]
    alerts_digest = _digest([worded, per_rule, lang])
    alerts = (
        no_update
        if previous.get("alerts") == alerts_digest
        else alerts_panel(worded, lang, per_rule=per_rule)
    )
    fresh_rows = _freshness_rows(found["freshness"], lang)
    fresh_digest = _digest(fresh_rows)
    fresh = (
        no_update if previous.get("fresh") == fresh_digest else freshness_panel(fresh_rows, lang)
    )
    subtitle = t("cr.subtitle", lang).format(
        year=school_year_label(chosen), previous=school_year_label(chosen - 1)
    )
    signature = {
        "tiles": tile_signature,
        "alerts": alerts_digest,
        "fresh": fresh_digest,
        "lang": lang,
    }
    return (
        tiles,
        alerts,
        fresh,
        subtitle,
        updated,
        no_update if previous.get("options") == _digest(options) else options,
        chosen if year != chosen else no_update,
        {**signature, "options": _digest(options)},
    )


def update_map(
    year: Any, kpi: str, method: str, k: Any, geo: str, _tick: Any, hideout: dict[str, Any] | None
) -> tuple[Any, ...]:
    """Indicator, classification or boundaries changed → map colours, legend, ranking."""
    lang = current_language()
    version = data.version()
    chosen = data.pick_year(version, year)
    k = int(k or 5)
    colours = PALETTES[min(max(k, 2), 7)]
    if chosen is None:
        return no_update, units_url(geo), ranking([], "count", lang), ranking([], "count", lang)
    layer = data.map_layer(version, chosen, geo, kpi, method, k)
    kind = MAP_KIND.get(kpi, "count")
    colours = PALETTES[max(len(layer["edges"]) - 1, 2)] if layer["edges"] else colours
    labels, names, rows = {}, {}, []
    for row in layer["rows"]:
        name = pick(row["name_vi"], row["name_en"], lang)
        names[row["unit_id"]] = name
        estimate = f" ({t('cr.estimate', lang)})" if row["estimate"] else ""
        labels[row["unit_id"]] = f"{name}: {fmt_number(row['value'], kind, lang)}{estimate}"
        if row["value"] is not None:
            href = f"/ward/{row['code']}?year={chosen}" if geo == "ward" else None
            rows.append(
                {"name": name, "value": row["value"], "estimate": row["estimate"], "href": href}
            )
    rows.sort(key=lambda r: r["value"], reverse=True)
    new_hideout = {
        "classes": layer["classes"],
        "colors": colours,
        "missing": MISSING_COLOUR,
        "estimates": [r["unit_id"] for r in layer["rows"] if r["estimate"]],
        "labels": labels,
        "names": names,
        "geo": geo,
    }
    if hideout == new_hideout:
        return no_update, no_update, no_update, no_update
    shown_colours = colours[: max(len(layer["edges"]) - 1, 0)]
    key_legend = legend(
        layer["edges"],
        shown_colours,
        kind,
        lang,
        title=t(f"cr.map.{kpi}", lang),
        estimates=bool(new_hideout["estimates"]),
    )
    return (new_hideout, units_url(geo), key_legend, ranking(rows[:RANKING_SHOWN], kind, lang))


URL_SYNC = """function(year, kpi, method, k, geo, search) {
    const params = new URLSearchParams(search || '');
    const set = (key, value) => { if (value === null || value === undefined || value === '')
        { params.delete(key); } else { params.set(key, value); } };
    set('year', year); set('kpi', kpi); set('method', method); set('k', k); set('geo', geo);
    const next = '?' + params.toString();
    return next === (search || '') ? window.dash_clientside.no_update : next;
}"""
UNIT_CLICK = """function(feature, geo, year) {
    if (!feature || !feature.properties || geo !== 'ward') {
        return window.dash_clientside.no_update; }
    return '/ward/' + encodeURIComponent(feature.properties.code) + (year ? '?year=' + year : '');
}"""
SCHOOL_CLICK = """function(feature) {
    if (!feature || !feature.properties || feature.properties.cluster) {
        return window.dash_clientside.no_update; }
    return '/school/' + encodeURIComponent(feature.properties.id);
}"""
HOVER = """function(feature, hideout, current) {
    if (!feature || !hideout || !hideout.labels) { return window.dash_clientside.no_update; }
    const text = hideout.labels[feature.id] || (feature.properties && feature.properties.name);
    return text || window.dash_clientside.no_update;
}"""
ROTATE = """function(n, current) {
    const views = 4;
    const index = ((n || 0) % views);
    return 'cr-views view-' + index;
}"""


def register(app: Any) -> None:
    """Wire this page's callbacks and its map-layer routes into ``app``."""
    control_room_export.register(app, ACCESS)
    guarded_callback(
        app,
        ACCESS,
        Output(ids.CR_TILES, "children"),
        Output(ids.CR_ALERTS, "children"),
        Output(ids.CR_FRESHNESS, "children"),
        Output(ids.CR_SUBTITLE, "children"),
        Output(ids.CR_UPDATED, "children"),
        Output(ids.CR_YEAR, "options"),
        Output(ids.CR_YEAR, "value"),
        Output(ids.CR_SIGNATURE, "data"),
        Input(ids.CR_REFRESH, "n_intervals"),
        Input(ids.CR_YEAR, "value"),
        State(ids.CR_SIGNATURE, "data"),
        State(ids.CR_ROTATE, "disabled"),
    )(refresh_summary)
    guarded_callback(
        app,
        ACCESS,
        Output(ids.CR_UNITS_LAYER, "hideout"),
        Output(ids.CR_UNITS_LAYER, "url"),
        Output(ids.CR_LEGEND, "children"),
        Output(ids.CR_RANKING, "children"),
        Input(ids.CR_YEAR, "value"),
        Input(ids.CR_KPI, "value"),
        Input(ids.CR_METHOD, "value"),
        Input(ids.CR_CLASSES, "value"),
        Input(ids.CR_GEO, "value"),
        Input(ids.CR_REFRESH, "n_intervals"),
        State(ids.CR_UNITS_LAYER, "hideout"),
    )(update_map)
    clientside_callback(
        app,
        URL_SYNC,
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.CR_YEAR, "value"),
        Input(ids.CR_KPI, "value"),
        Input(ids.CR_METHOD, "value"),
        Input(ids.CR_CLASSES, "value"),
        Input(ids.CR_GEO, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    clientside_callback(
        app,
        UNIT_CLICK,
        Output(ids.URL, "href", allow_duplicate=True),
        Input(ids.CR_UNITS_LAYER, "clickData"),
        State(ids.CR_GEO, "value"),
        State(ids.CR_YEAR, "value"),
        prevent_initial_call=True,
    )
    clientside_callback(
        app,
        SCHOOL_CLICK,
        Output(ids.URL, "href", allow_duplicate=True),
        Input(ids.CR_SCHOOLS_LAYER, "clickData"),
        prevent_initial_call=True,
    )
    clientside_callback(
        app,
        HOVER,
        Output(ids.CR_HOVER, "children"),
        Input(ids.CR_UNITS_LAYER, "hoverData"),
        State(ids.CR_UNITS_LAYER, "hideout"),
        State(ids.CR_HOVER, "children"),
        prevent_initial_call=True,
    )
    clientside_callback(
        app,
        ROTATE,
        Output(ids.CR_VIEWS, "className"),
        Input(ids.CR_ROTATE, "n_intervals"),
        State(ids.CR_VIEWS, "className"),
        prevent_initial_call=True,
    )
