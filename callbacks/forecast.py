"""Callbacks of /forecast: choices → chart, summary, backtest, seat-gap map and list; exports;
the URL, map clicks and the shortage list choose the area."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, html, no_update

from analytics import forecast_service as service
from analytics.forecast import page_support as support
from callbacks.common import export_frame
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.fmt import fmt_number, fmt_share, school_year_label
from ioc_app.core.guard import Access
from ioc_app.core.i18n import current_language, current_theme, pick, t
from ioc_app.services import forecasts as data
from ioc_app.services.forecast_state import read_state
from layouts import forecast_chart as chart
from layouts import forecast_panels as panels
from layouts.common import notice
from layouts.forecast import WARDS_URL
from layouts.forecast_texts import KIND_NAMES, band_coverage, level_name

ACCESS = Access.of("leadership", "planner")
WORST_SHOWN = 10
CALLBACKS = CallbackRegistry()
JS = "iocForecast"  # window.dash_clientside.iocForecast, in assets/forecast.js
CONTROLS = (
    ids.FC_AREA,
    ids.FC_LEVEL,
    ids.FC_HORIZON,
    ids.FC_MIGRATION,
    ids.FC_NORM,
    ids.FC_ADDED,
    ids.FC_ADDED_YEAR,
)
#: The parameter of update_view and export_table that each control fills.
CONTROL_NAMES = ("area", "level", "horizon", "migration", "norm", "added", "added_year")


def _name(view: data.View, area: str, lang: str) -> str:
    if area == view.city:
        return t("fc.city", lang)
    vi, en = view.names.get(area, (area, area))
    return pick(vi, en, lang)


@CALLBACKS.callback(
    ACCESS,
    Output(ids.FC_AREA, "options"),
    Output(ids.FC_ADDED_YEAR, "options"),
    Output(ids.FC_ADDED_YEAR, "placeholder"),
    Input(ids.FC_ROOT, "id"),
)
def area_options(_root: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """Page load → the areas to choose from, the years new classrooms may open in, and the
    year they open in when none is chosen (the first forecast year, shown in the empty box)."""
    lang = current_language()
    version = data.version()
    ref = data.reference(version)
    last_year = data.last_year(version)
    names = ref["names"]

    def label(unit: str) -> str:
        return pick(*names.get(unit, (unit, unit)), lang)

    wards = sorted(ref["wards"], key=label)
    districts = sorted(ref["districts"], key=label)
    options = [{"label": t("fc.city", lang), "value": ref["city"]}]
    options += [{"label": label(w), "value": w} for w in wards]
    options += [{"label": f"{label(d)} {t('fc.former', lang)}", "value": d} for d in districts]
    years = (
        []
        if last_year is None
        else [
            {"label": school_year_label(y), "value": y}
            for y in range(last_year + 1, last_year + service.MAX_HORIZON + 1)
        ]
    )
    return options, years, years[0]["label"] if years else ""


def _notes(view: data.View, lang: str) -> tuple[list[str], list[str]]:
    items = [t("fc.note.history", lang)]
    breaks = support.boundary_breaks(view.run.notes).get(view.area)
    if breaks:
        items.append(
            t("fc.note.breaks", lang).format(
                years=", ".join(school_year_label(y) for y in sorted(breaks))
            )
        )
    items.append(t("fc.note.band", lang).format(coverage=band_coverage(lang)))
    if view.state.horizon > service.BACKTEST_HORIZON:
        items.append(t("fc.note.beyond", lang))
    items.append(t("fc.note.capacity", lang).format(year=school_year_label(view.run.last_year)))
    if view.kind != service.WARD and (view.state.migration or view.state.added):
        items.append(t("fc.note.map_levers", lang).format(n=len(view.lever_wards)))
    if view.unreported:
        missing, expected = view.unreported
        items.append(
            t("fc.note.unreported", lang).format(
                year=school_year_label(view.run.last_year),
                missing=missing,
                expected=expected,
            )
        )
    estimated = _estimated_years(view.table, lang)
    if estimated:
        items.append(t("fc.note.estimated", lang).format(years=estimated))
    items.append(t("fc.note.population", lang))
    engine_notes = [note for note in view.run.notes if "boundary change" not in note]
    return items, engine_notes


def _estimated_years(table: pd.DataFrame, lang: str) -> str:
    """ "2025–2026: 3 schools estimated (≈ 1,200 pupils); …" for the history years whose sum
    holds estimated late reports (empty when none does)."""
    past = table[(table["period"] == "history") & (table["estimated_schools"].fillna(0) > 0)]
    return "; ".join(
        t("fc.note.estimated_year", lang).format(
            year=school_year_label(int(row.year)),
            n=int(row.estimated_schools),
            pupils=fmt_number(row.estimated_pupils, "count", lang),
        )
        for row in past.itertuples()
    )


def _map_outputs(view: data.View, lang: str) -> tuple[dict[str, Any], Any]:
    classes, labels = {}, {}
    rows = []
    for row in view.gaps.to_dict("records"):
        area = row["area_code"]
        name = _name(view, area, lang)
        classes[area] = int(row["gap_class"])
        labels[area] = t("fc.map.tip", lang).format(
            name=name,
            gap=fmt_number(row["seat_gap"], "count", lang, signed=True),
            share=fmt_share(row["gap_share"], lang, signed=True),
        )
        if row["seat_gap"] > 0 and len(rows) < WORST_SHOWN:
            rows.append({**row, "name": name})
    hideout = {
        "classes": classes,
        "colors": panels.GAP_COLOURS,
        "missing": panels.MISSING_COLOUR,
        "labels": labels,
        "selected": view.lever_wards if view.kind != service.CITY else [],
    }
    last = view.run.last_year
    return hideout, panels.worst_list(rows, lang, capacity_year=school_year_label(last))


@CALLBACKS.callback(
    ACCESS,
    Output(ids.FC_STATUS, "children"),
    Output(ids.FC_CHART, "figure"),
    Output(ids.FC_SUMMARY, "children"),
    Output(ids.FC_NOTES, "children"),
    Output(ids.FC_ACCURACY, "children"),
    Output(ids.FC_GSO, "children"),
    Output(ids.FC_MAP_TITLE, "children"),
    Output(ids.FC_WARDS_LAYER, "hideout"),
    Output(ids.FC_WARDS_LAYER, "url"),
    Output(ids.FC_LEGEND, "children"),
    Output(ids.FC_WORST, "children"),
    Output(ids.FC_NORM, "placeholder"),
    inputs={
        name: Input(control, "value") for name, control in zip(CONTROL_NAMES, CONTROLS, strict=True)
    },
)
def update_view(
    area: Any, level: Any, horizon: Any, migration: Any, norm: Any, added: Any, added_year: Any
) -> tuple[Any, ...]:
    """A choice or a lever changed → status, chart, summary, notes, backtest, map and list."""
    lang = current_language()
    theme = current_theme()
    state = read_state(
        area=area, level=level, h=horizon, mig=migration, norm=norm, add=added, addyear=added_year
    )
    audit.record(
        "read",
        "forecast",
        audit.describe(area=state.area, level=state.level, horizon=state.horizon),
    )
    view = data.compute_view(state)
    if view is None:
        empty = html_empty(lang)
        return (
            notice(t("fc.empty", lang), kind="warning"),
            chart.empty_figure(lang, theme),
            empty,
            None,
            empty,
            panels.gso_panel(state.level, lang),
            None,
            no_update,
            WARDS_URL,
            panels.legend(lang),
            None,
            _norm_hint(state.level),
        )
    name = _name(view, view.area, lang)
    status = []
    if view.unknown_area:
        status.append(
            notice(t("fc.unknown_area", lang).format(area=view.unknown_area), kind="warning")
        )
    if view.table["period"].eq("forecast").sum() == 0:
        status.append(
            notice(
                t("fc.no_level", lang).format(
                    area=name, level=level_name(state.level, lang, inline=True)
                ),
                kind="info",
            )
        )
    title = t("fc.chart.title", lang).format(area=name, level=level_name(state.level, lang))
    figure = chart.forecast_figure(
        view.table, title=title, theme=theme, lang=lang, show_baseline=bool(state.migration)
    )
    items, engine_notes = _notes(view, lang)
    accuracy = panels.accuracy_panel(
        view.accuracy,
        kind_name=pick(*KIND_NAMES[view.kind], lang),
        level=state.level,
        origins=view.run.origins,
        lang=lang,
    )
    map_title = t("fc.map.title", lang).format(
        level=level_name(state.level, lang), year=school_year_label(view.target_year)
    )
    hideout, worst = _map_outputs(view, lang)
    return (
        status or None,
        figure,
        panels.summary(view.table, norm=view.norm, lang=lang),
        panels.notes(items, engine_notes, lang),
        accuracy,
        panels.gso_panel(state.level, lang),
        map_title,
        hideout,
        WARDS_URL,
        panels.legend(lang),
        worst,
        _norm_hint(state.level),
    )


def _norm_hint(level: str) -> str:
    return str(int(support.norm_for(level, None)))


def html_empty(lang: str) -> Any:
    """The empty state shared by the panels when there is nothing to forecast."""
    return html.P(t("empty.no_data", lang), className="empty-state")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text)[:40]


@CALLBACKS.callback(
    ACCESS,
    Output(ids.FC_DOWNLOAD, "data"),
    inputs=dict(
        csv_clicks=Input(ids.FC_EXPORT_CSV, "n_clicks"),
        xlsx_clicks=Input(ids.FC_EXPORT_XLSX, "n_clicks"),
        gaps_csv=Input(ids.FC_GAPS_CSV, "n_clicks"),
        gaps_xlsx=Input(ids.FC_GAPS_XLSX, "n_clicks"),
    ),
    state={
        name: State(control, "value") for name, control in zip(CONTROL_NAMES, CONTROLS, strict=True)
    },
    prevent_initial_call=True,
)
def export_table(
    csv_clicks: Any,
    xlsx_clicks: Any,
    gaps_csv: Any,
    gaps_xlsx: Any,
    area: Any,
    level: Any,
    horizon: Any,
    migration: Any,
    norm: Any,
    added: Any,
    added_year: Any,
) -> Any:
    """An export button → the forecast table or the seat gaps by ward, as CSV or Excel."""
    trigger = ctx.triggered_id
    if trigger is None or not any((csv_clicks, xlsx_clicks, gaps_csv, gaps_xlsx)):
        return no_update
    state = read_state(
        area=area, level=level, h=horizon, mig=migration, norm=norm, add=added, addyear=added_year
    )
    view = data.compute_view(state)
    if view is None:
        return no_update
    lang = current_language()
    fmt_kind = "xlsx" if trigger in (ids.FC_EXPORT_XLSX, ids.FC_GAPS_XLSX) else "csv"
    if trigger in (ids.FC_EXPORT_CSV, ids.FC_EXPORT_XLSX):
        frame = view.table.copy()
        frame.insert(0, "area_code", view.area)
        frame.insert(1, "area_name", _name(view, view.area, lang))
        frame.insert(2, "level", state.level)
        frame["class_size_norm"] = view.norm
        frame["migration_change_pct"] = state.migration
        name = f"forecast_{_slug(view.area)}_{state.level}"
    else:
        frame = view.gaps.copy()
        frame.insert(1, "area_name", [_name(view, a, lang) for a in frame["area_code"]])
        frame.insert(2, "level", state.level)
        frame.insert(3, "year", view.target_year)
        frame["class_size_norm"] = view.norm
        frame = frame.replace([float("inf")], pd.NA)
        name = f"seat_gaps_{state.level}_{view.target_year}"
    return export_frame(frame.round(3), name, fmt_kind)


# The URL leaves out the defaults (assets/forecast.js holds them; a test checks them against
# ViewState), so the page's own first render does not rewrite its URL.
CALLBACKS.clientside(
    ClientsideFunction(JS, "urlSync"),
    Output(ids.URL, "search", allow_duplicate=True),
    *[Input(control, "value") for control in CONTROLS],
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "pickArea"),
    Output(ids.FC_AREA, "value"),
    Input(ids.FC_WARDS_LAYER, "clickData"),
    Input(ids.fc_worst_item(ALL), "n_clicks"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    ClientsideFunction(JS, "hover"),
    Output(ids.FC_HOVER, "children"),
    Input(ids.FC_WARDS_LAYER, "hoverData"),
    State(ids.FC_WARDS_LAYER, "hideout"),
    prevent_initial_call=True,
)


def register(app: Any) -> None:
    """Wire this page's callbacks into ``app``."""
    CALLBACKS.register(app)
