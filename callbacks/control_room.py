"""Callbacks of the control room: tiles, alerts and freshness (patched in place on refresh),
the choropleth and its legend, drill-down clicks, the URL and the wall screen's rotation."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date, datetime
from typing import Any

from dash import ClientsideFunction, Input, Output, Patch, State, ctx, no_update

from analytics.classify import METHODS
from analytics.kpis import MAP_KPIS
from callbacks import control_room_export
from callbacks.control_room_alerts import word_alert
from callbacks.control_room_export import ACCESS
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.fmt import fmt_number, school_year_label
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

CALLBACKS = CallbackRegistry(control_room_export.CALLBACKS)
JS = "iocControlRoom"  # window.dash_clientside.iocControlRoom, in assets/control_room.js
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
    estimated: dict[str, int],
) -> tuple[Any, dict[str, Any]]:
    """The tiles as a full list, a Patch of the changed tiles, or no_update."""
    groups = tile_groups(tiles)
    shape = [[group, [tile["key"] for tile in items]] for group, items in groups]
    texts = {tile["key"]: tile_texts(tile, lang) for tile in tiles}
    signature = {
        "shape": shape,
        "texts": texts,
        "lang": lang,
        "coverage": coverage,
        "estimated": estimated,
    }
    if not previous or any(
        previous.get(key) != signature[key] for key in ("shape", "lang", "coverage", "estimated")
    ):
        return tiles_panel(tiles, lang, coverage, estimated), signature
    patch, changed = Patch(), False
    for g, (_group, items) in enumerate(groups):
        for i, tile in enumerate(items):
            if previous["texts"].get(tile["key"]) != texts[tile["key"]]:
                patch[g]["props"]["children"][1]["props"]["children"][i] = kpi_tile(tile, lang)
                changed = True
    return (patch if changed else no_update), signature


@CALLBACKS.callback(
    ACCESS,
    Output(ids.CR_TILES, "children"),
    Output(ids.CR_ALERTS, "children"),
    Output(ids.CR_FRESHNESS, "children"),
    Output(ids.CR_SUBTITLE, "children"),
    Output(ids.CR_UPDATED, "children"),
    Output(ids.CR_YEAR, "options"),
    Output(ids.CR_YEAR, "value"),
    Output(ids.CR_SIGNATURE, "data"),
    inputs=dict(
        _tick=Input(ids.CR_REFRESH, "n_intervals"),
        year=Input(ids.CR_YEAR, "value"),
    ),
    state=dict(
        previous=State(ids.CR_SIGNATURE, "data"),
        rotate_disabled=State(ids.CR_ROTATE, "disabled"),
    ),
)
def refresh_summary(
    _tick: Any, year: Any, previous: dict[str, Any] | None, rotate_disabled: bool | None
) -> tuple[Any, ...]:
    """Page load, a minute passed or another year → tiles, alerts, freshness (changed parts)."""
    lang = current_language()
    if _tick and ctx.triggered_id == ids.CR_REFRESH:  # the wall's refresh (a forgeable claim)
        audit.record_periodic("read", "control_room", audit.describe(year=year))
    else:
        audit.record("read", "control_room", audit.describe(year=year))
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
    tiles, tile_signature = _tiles_output(
        found["tiles"], lang, previous.get("tiles"), coverage, found["estimated"]
    )
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


@CALLBACKS.callback(
    ACCESS,
    Output(ids.CR_UNITS_LAYER, "hideout"),
    Output(ids.CR_UNITS_LAYER, "url"),
    Output(ids.CR_LEGEND, "children"),
    Output(ids.CR_RANKING, "children"),
    inputs=dict(
        year=Input(ids.CR_YEAR, "value"),
        kpi=Input(ids.CR_KPI, "value"),
        method=Input(ids.CR_METHOD, "value"),
        k=Input(ids.CR_CLASSES, "value"),
        geo=Input(ids.CR_GEO, "value"),
        _tick=Input(ids.CR_REFRESH, "n_intervals"),
    ),
    state=dict(hideout=State(ids.CR_UNITS_LAYER, "hideout")),
)
def update_map(
    year: Any, kpi: str, method: str, k: Any, geo: str, _tick: Any, hideout: dict[str, Any] | None
) -> tuple[Any, ...]:
    """Indicator, classification or boundaries changed → map colours, legend, ranking."""
    lang = current_language()
    # Values come from the client: anything unknown falls back to the page's defaults (the
    # cached layer is keyed on them, so unchecked values would also grow the cache).
    kpi = kpi if kpi in MAP_KPIS else "pupils"
    method = method if method in METHODS else "quantile"
    geo = geo if geo in ("ward", "old_district") else "ward"
    k = min(max(int(k), 2), 7) if isinstance(k, int | float) and math.isfinite(k) else 5
    filters = audit.describe(year=year, kpi=kpi, geo=geo)
    if _tick and ctx.triggered_id == ids.CR_REFRESH:  # the wall's refresh (a forgeable claim)
        audit.record_periodic("read", "control_room/map", filters)
    else:
        audit.record("read", "control_room/map", filters)
    version = data.version()
    chosen = data.pick_year(version, year)
    colours = PALETTES[k]
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


CALLBACKS.clientside(
    ClientsideFunction(JS, "urlSync"),
    Output(ids.URL, "search", allow_duplicate=True),
    Input(ids.CR_YEAR, "value"),
    Input(ids.CR_KPI, "value"),
    Input(ids.CR_METHOD, "value"),
    Input(ids.CR_CLASSES, "value"),
    Input(ids.CR_GEO, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "unitClick"),
    Output(ids.URL, "href", allow_duplicate=True),
    Input(ids.CR_UNITS_LAYER, "clickData"),
    State(ids.CR_GEO, "value"),
    State(ids.CR_YEAR, "value"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "schoolClick"),
    Output(ids.URL, "href", allow_duplicate=True),
    Input(ids.CR_SCHOOLS_LAYER, "clickData"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "hover"),
    Output(ids.CR_HOVER, "children"),
    Input(ids.CR_UNITS_LAYER, "hoverData"),
    State(ids.CR_UNITS_LAYER, "hideout"),
    State(ids.CR_HOVER, "children"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "rotate"),
    Output(ids.CR_VIEWS, "className"),
    Input(ids.CR_ROTATE, "n_intervals"),
    State(ids.CR_VIEWS, "className"),
    prevent_initial_call=True,
)


def register(app: Any) -> None:
    """Wire this page's callbacks (its exports' too) into ``app``."""
    CALLBACKS.register(app)
