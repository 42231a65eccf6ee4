"""Callbacks of /dx: the DX index of schools for leadership and the divisions.

Every server callback is declared with :data:`ACCESS` through the guard, which refuses
other roles before the callback runs (and again inside it).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import ClientsideFunction, Input, Output, State, ctx, html, no_update

from analytics import dx_index, dx_next_level
from callbacks.common import export_frame
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.fmt import school_year_label
from ioc_app.core.guard import Access
from ioc_app.core.i18n import current_language, pick, t
from ioc_app.core.vocabulary import OWNERSHIP_NAMES
from ioc_app.services import dx as data
from ioc_app.services.indicators import reference, version
from layouts import dx_panels as panels
from layouts import dx_tables as tables
from layouts.common import notice, page_header
from layouts.dx import EDU_LEVELS, GEOGRAPHIES
from layouts.dx_plan import closest_table

ACCESS = Access.of("leadership", "department")
CALLBACKS = CallbackRegistry()
#: Rows of the schools table sent to the page (the export holds them all).
SHOWN = 5000
EXPORT_COLUMNS = [
    "school_year",
    "institution_id",
    "name",
    "ward_code",
    "ward",
    "area",
    "edu_level",
    "ownership",
    "status",
    "self_group1",
    "self_group2",
    "reviewed_group1",
    "reviewed_group2",
    "mandatory_met",
    "level",
    "published_on",
    "generated",
]


def _geo(geo: Any) -> str:
    return geo if geo in GEOGRAPHIES else "ward"


def _choice(value: Any, allowed: Any) -> str:
    return value if isinstance(value, str) and value in allowed else "all"


@CALLBACKS.callback(
    ACCESS,
    Output(ids.DX_HEADER, "children"),
    Output(ids.DX_YEAR, "options"),
    Output(ids.DX_YEAR, "value"),
    Output(ids.DX_AREA, "options"),
    Output(ids.DX_AREA, "value"),
    Output(ids.DX_CRITERIA, "children"),
    Input(ids.DX_GEO, "value"),
    State(ids.DX_YEAR, "value"),
    State(ids.DX_AREA, "value"),
)
def setup(geo: Any, year: Any, area: Any) -> tuple[Any, ...]:
    """Page load or boundaries changed → heading, school years, areas and the criteria."""
    lang = current_language()
    v = version()
    geo = _geo(geo)
    chosen = data.pick_year(v, year)
    years = [{"label": school_year_label(y), "value": y} for y in reversed(data.years(v))]
    units = data.area_options(v, geo)
    areas = [{"label": t("dx.area.all", lang), "value": "all"}] + [
        {"label": pick(u["name"], u["name_en"], lang), "value": u["id"]}
        for u in units.to_dict("records")
    ]
    area = area if area in {o["value"] for o in areas} else "all"
    generated = bool(years) and bool(data.schools(v, geo)["generated"].any())
    header = page_header(t("dx.title", lang), t("dx.subtitle", lang), generated=generated)
    return (header, years, chosen, areas, area, panels.criteria_panel(data.criteria(v), lang))


def _selection(
    year: Any, geo: Any, area: Any, level: Any, ownership: Any
) -> tuple[pd.DataFrame, int | None, str]:
    """Every year's schools after the filters, the school year shown, the geography."""
    v = version()
    geo = _geo(geo)
    chosen = data.pick_year(v, year)
    if chosen is None:
        return pd.DataFrame(columns=[*dx_index.SCHOOL_COLUMNS, "area"]), None, geo
    rows = data.selection(
        v,
        geo,
        edu_level=_choice(level, EDU_LEVELS),
        ownership=_choice(ownership, OWNERSHIP_NAMES),
        area=area if isinstance(area, str) else "all",
    )
    return rows, chosen, geo


@CALLBACKS.callback(
    ACCESS,
    Output(ids.DX_SUMMARY, "children"),
    Output(ids.DX_LEVELS, "figure"),
    Output(ids.DX_FUNNEL, "figure"),
    Output(ids.DX_GROUPS, "figure"),
    Output(ids.DX_TREND, "figure"),
    Output(ids.DX_RANKING, "children"),
    Output(ids.DX_SCHOOLS, "children"),
    inputs=dict(
        year=Input(ids.DX_YEAR, "value"),
        geo=Input(ids.DX_GEO, "value"),
        area=Input(ids.DX_AREA, "value"),
        level=Input(ids.DX_LEVEL, "value"),
        ownership=Input(ids.DX_OWNERSHIP, "value"),
    ),
)
def show(year: Any, geo: Any, area: Any, level: Any, ownership: Any) -> tuple[Any, ...]:
    """Any filter changed → key figures, the four charts, the ranking and the schools."""
    lang = current_language()
    filters = audit.describe(year=year, geo=geo, area=area, level=level, ownership=ownership)
    audit.record("read", "dx", filters)
    rows, chosen, geo = _selection(year, geo, area, level, ownership)
    if chosen is None:
        empty = panels.empty_figure(lang)
        return (
            notice(t("dx.empty.none", lang)),
            empty,
            empty,
            empty,
            empty,
            _empty(lang),
            _empty(lang),
        )
    label = school_year_label(chosen)
    now = rows[rows["school_year"] == chosen]
    trend = (
        panels.trend_figure(dx_index.trend(rows), lang)
        if not rows.empty
        else panels.empty_figure(lang)
    )
    if now.empty:
        text = t("dx.empty.filters", lang).format(year=label)
        empty = panels.empty_figure(lang, text)
        return notice(text), empty, empty, empty, trend, _empty(lang), _empty(lang)
    counts, stages = dx_index.level_counts(now), dx_index.funnel(now)
    sent = now[now["stage"] != dx_index.NOT_ASSESSED]
    summary = panels.summary(counts, stages, int(sent["generated"].sum()), len(sent), lang)
    units = reference(version())["units"]
    ranking = tables.ranking_table(dx_index.ranking(now), units, geo, chosen, lang)
    if sent.empty:
        text = t("dx.empty.year", lang).format(year=label, expected=stages["expected"])
        empty = panels.empty_figure(lang, text)
        return (
            html.Div([notice(text), summary]),
            empty,
            panels.funnel_figure(stages, lang),
            empty,
            trend,
            ranking,
            _schools(now, units, geo, lang),
        )
    return (
        summary,
        panels.levels_figure(counts, lang),
        panels.funnel_figure(stages, lang),
        panels.groups_figure(dx_index.group_scores(sent), lang),
        trend,
        ranking,
        _schools(now, units, geo, lang),
    )


@CALLBACKS.callback(
    ACCESS,
    Output(ids.DX_CLOSEST, "children"),
    inputs=dict(
        year=Input(ids.DX_YEAR, "value"),
        geo=Input(ids.DX_GEO, "value"),
        area=Input(ids.DX_AREA, "value"),
        level=Input(ids.DX_LEVEL, "value"),
        ownership=Input(ids.DX_OWNERSHIP, "value"),
    ),
)
def closest(year: Any, geo: Any, area: Any, level: Any, ownership: Any) -> Any:
    """Any filter changed → the schools of the selection closest to their next level."""
    rows, chosen, _ = _selection(year, geo, area, level, ownership)
    if chosen is None:
        return _empty(current_language())
    now = rows[rows["school_year"] == chosen]
    return closest_table(dx_next_level.closest(now, limit=10), current_language())


def _empty(lang: str) -> Any:
    return html.P(t("empty.no_data", lang), className="empty-state")


def _schools(now: pd.DataFrame, units: pd.DataFrame, geo: str, lang: str) -> Any:
    ordered = now.sort_values(["ward_id", "name", "institution_id"])
    table = tables.schools_table(ordered.head(SHOWN), units, geo, lang, EDU_LEVELS)
    if len(ordered) <= SHOWN:
        return table
    return html.Div(
        [
            html.P(t("dx.shown", lang).format(shown=SHOWN, total=len(ordered)), className="muted"),
            table,
        ]
    )


def export_rows(now: pd.DataFrame, units: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The schools of one year as exported: codes and names of the units, raw scores."""

    def name(unit: Any) -> Any:
        if unit in units.index:
            return pick(units.loc[unit, "name"], units.loc[unit, "name_en"], lang)
        return unit

    out = now.sort_values(["ward_id", "name", "institution_id"]).copy()
    out["ward_code"] = out["ward_id"].map(units["code"])
    out["ward"] = out["ward_id"].map(name)
    out["area"] = out["area"].map(name)
    out["status"] = out["status"].where(out["status"].notna(), "not_submitted")
    return out[EXPORT_COLUMNS].reset_index(drop=True)


@CALLBACKS.callback(
    ACCESS,
    Output(ids.DX_DOWNLOAD, "data"),
    inputs=dict(
        _csv=Input(ids.DX_EXPORT_CSV, "n_clicks"),
        _xlsx=Input(ids.DX_EXPORT_XLSX, "n_clicks"),
    ),
    state=dict(
        year=State(ids.DX_YEAR, "value"),
        geo=State(ids.DX_GEO, "value"),
        area=State(ids.DX_AREA, "value"),
        level=State(ids.DX_LEVEL, "value"),
        ownership=State(ids.DX_OWNERSHIP, "value"),
    ),
    prevent_initial_call=True,
)
def export(
    _csv: Any, _xlsx: Any, year: Any, geo: Any, area: Any, level: Any, ownership: Any
) -> Any:
    """Export button → the schools of the chosen year and filters as CSV or Excel
    (audited)."""
    if ctx.triggered_id not in (ids.DX_EXPORT_CSV, ids.DX_EXPORT_XLSX):
        return no_update
    rows, chosen, geo = _selection(year, geo, area, level, ownership)
    now = rows[rows["school_year"] == chosen] if chosen is not None else rows
    frame = export_rows(now, reference(version())["units"], current_language())
    fmt = "xlsx" if ctx.triggered_id == ids.DX_EXPORT_XLSX else "csv"
    return export_frame(frame, f"dx_{chosen or 'none'}_{geo}", fmt)


CALLBACKS.clientside(
    ClientsideFunction("iocDx", "urlSync"),  # assets/dx.js
    Output(ids.URL, "search", allow_duplicate=True),
    Input(ids.DX_YEAR, "value"),
    Input(ids.DX_GEO, "value"),
    Input(ids.DX_AREA, "value"),
    Input(ids.DX_LEVEL, "value"),
    Input(ids.DX_OWNERSHIP, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)


def register(app: Any) -> None:
    """Wire the DX page's callbacks into ``app``."""
    CALLBACKS.register(app)
