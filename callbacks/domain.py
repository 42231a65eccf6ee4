"""Callbacks of /domains and /domains/<slug>: every one re-checks the slug against the caller.

The slug travels in a ``dcc.Store`` the browser can edit, so each callback and each export
looks it up again and answers 403 unless the caller supervises that domain (or leads).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from callbacks import domain_quality
from callbacks.common import export_frame
from callbacks.domain_quality import ACCESS, quality_panel
from data_access.queries.indicators import INDICATORS
from data_access.queries.status import freshness
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.figures import base_figure, empty_figure, estimate_symbols
from ioc_app.core.fmt import school_year_label
from ioc_app.core.i18n import current_language, current_theme, pick, t
from ioc_app.core.vocabulary import LEVEL_NAMES, OWNERSHIP_NAMES
from ioc_app.core.warehouse import engine
from ioc_app.services import domains as data
from ioc_app.services.indicators import pick_year, reference, school_years, version
from layouts.common import notice, page_header, system_name
from layouts.domain import freshness_line, indicator_options
from layouts.grid import grid, number_format

CALLBACKS = CallbackRegistry(domain_quality.CALLBACKS)


def _unit_names(units: list[str], lang: str) -> str:
    names = reference(version())["plan_units"]
    return ", ".join(pick(*names[code], lang) if code in names else code for code in units)


@CALLBACKS.callback(ACCESS, Output(ids.DOM_INDEX, "children"), Input(ids.DOM_INDEX, "id"))
def index_list(_: Any) -> Any:
    """Index page load → the domains this caller may open, with their divisions."""
    lang = current_language()
    rows = data.readable_domains()
    if not rows:
        return html.P(t("dom.index.none", lang), className="empty-state")
    fresh = freshness(engine()).set_index("slug")
    return html.Ul(
        [
            html.Li(
                [
                    dcc.Link(
                        pick(row["name_vi"], row["name_en"], lang), href=f"/domains/{row['slug']}"
                    ),
                    html.P(
                        [
                            html.Span(t("dom.supervised_by", lang) + ": ", className="muted"),
                            _unit_names(row["supervising_units"], lang),
                        ]
                    ),
                    freshness_line(
                        fresh.loc[row["slug"]] if row["slug"] in fresh.index else None, lang
                    ),
                ]
            )
            for row in rows
        ],
        className="dom-index",
    )


@CALLBACKS.callback(
    ACCESS,
    Output(ids.DOM_HEADER, "children"),
    Output(ids.DOM_YEAR, "options"),
    Output(ids.DOM_YEAR, "value"),
    Output(ids.DOM_INDICATOR, "options"),
    Output(ids.DOM_INDICATOR, "value"),
    Output(ids.DOM_AREA, "options"),
    Output(ids.DOM_AREA, "value"),
    inputs=dict(slug=Input(ids.DOM_SLUG, "data"), geo=Input(ids.DOM_GEO, "value")),
    state=dict(
        year=State(ids.DOM_YEAR, "value"),
        key=State(ids.DOM_INDICATOR, "value"),
        area=State(ids.DOM_AREA, "value"),
    ),
)
def setup(slug: Any, geo: str, year: Any, key: Any, area: Any) -> tuple[Any, ...]:
    """Domain page load or boundaries changed → heading, years, indicators, areas."""
    row = data.authorised(slug)
    lang = current_language()
    v = version()
    chosen = pick_year(v, year)
    years = [{"label": school_year_label(y), "value": y} for y in reversed(school_years(v))]
    indicators = indicator_options(row["id"], lang)
    key = key if key in [o["value"] for o in indicators] else indicators[0]["value"]
    units = data.area_options(v, geo)
    areas = [{"label": t("dom.area.all", lang), "value": "all"}] + [
        {"label": pick(u["name"], u["name_en"], lang), "value": u["id"]}
        for u in units.to_dict("records")
    ]
    area = area if area in {o["value"] for o in areas} else "all"
    header = html.Div(
        [
            page_header(pick(row["name_vi"], row["name_en"], lang), None, generated=True),
            html.Div(
                [
                    html.Span(
                        [
                            html.Strong(t("dom.supervised_by", lang) + ": "),
                            _unit_names(row["supervising_units"], lang),
                        ]
                    ),
                    html.Span(
                        [
                            html.Strong(t("dom.source", lang) + ": "),
                            system_name(row["source_system"], lang),
                        ]
                    ),
                    html.Span(t("dom.refresh", lang).format(days=row["refresh_days"])),
                ],
                className="dom-meta",
            ),
        ]
    )
    return header, years, chosen, indicators, key, areas, area


def _figure(frame: Any, title: str, lang: str) -> go.Figure:
    layout = {"margin": {"t": 40}, "title": {"text": title, "font": {"size": 14}}}
    if frame.empty:
        return empty_figure(lang, current_theme(), t("dom.empty", lang), **layout)
    figure = base_figure(
        lang,
        current_theme(),
        xaxis={"dtick": 1, "title": t("dom.year", lang)},
        showlegend=False,
        **layout,
    )
    estimate = frame["estimate"].astype(bool).to_numpy()
    late = frame[data.ESTIMATED].astype(int).to_numpy()
    hover = ["" if n == 0 else "<br>" + t("dom.series.hover_late", lang).format(n=n) for n in late]
    figure.add_scatter(
        x=frame["school_year"].to_numpy(),
        y=frame["value"].to_numpy(),
        customdata=hover,
        mode="lines+markers",
        line={"color": "#0b5cad", "width": 3},
        marker={"size": 9, "symbol": estimate_symbols(estimate, late > 0)},
        hovertemplate="%{x}: %{y:,.2f}%{customdata}<extra></extra>",
    )
    notes = []
    if estimate.any():
        notes.append("○ " + t("dom.series.estimate", lang))
    if late.any():
        years = "; ".join(
            t("dom.series.late_year", lang).format(year=school_year_label(int(y)), n=int(n))
            for y, n in zip(frame["school_year"], late, strict=True)
            if n
        )
        notes.append(t("dom.series.late", lang).format(years=years))
    for rank, text in enumerate(notes):
        figure.add_annotation(
            text=text,
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0,
            y=1.08 + 0.07 * rank,
            xanchor="left",
            font={"size": 11},
        )
    return figure


def _grid(frame: pd.DataFrame, domain_id: int, year: int, lang: str) -> Any:
    """The table by area (see :mod:`layouts.grid`)."""
    kinds = {i.key: i.kind for i in INDICATORS[domain_id]}
    rows = frame.assign(
        estimate=frame["estimate"].map(lambda e: t("dom.yes", lang) if e else "")
    ).drop(columns="unit_id")
    rows = rows.astype(object).where(rows.notna(), None)
    columns = [{"id": "area", "name": t("dom.col.area", lang), "type": "text"}]
    columns += [
        {
            "id": key,
            "name": t(f"dom.ind.{key}", lang),
            "type": "numeric",
            "format": number_format(0 if kind == "count" else 1, " %" if kind == "percent" else ""),
        }
        for key, kind in kinds.items()
    ]
    columns.append({"id": "estimate", "name": t("dom.col.estimate", lang), "type": "text"})
    columns.append(
        {
            "id": data.ESTIMATED,
            "name": t("dom.col.estimated_schools", lang),
            "type": "numeric",
            "format": number_format(0, ""),
        }
    )
    return html.Div(
        [
            html.P(f"{t('dom.table', lang)} · {school_year_label(year)}", className="muted"),
            grid(rows.to_dict("records"), columns, lang, first_column="area"),
        ]
    )


def _table_frame(
    row: dict[str, Any], year: Any, geo: str, level: str, ownership: str, lang: str
) -> tuple[Any, int | None]:
    v = version()
    chosen = pick_year(v, year)
    areas = data.by_area(v, row["id"], geo, level or "all", ownership or "all")
    if chosen is None:
        return areas.iloc[0:0], None
    return data.table(areas, row["id"], chosen, reference(v)["units"], lang), chosen


@CALLBACKS.callback(
    ACCESS,
    Output(ids.DOM_SERIES, "figure"),
    Output(ids.DOM_TABLE, "children"),
    Output(ids.DOM_QUALITY, "children"),
    inputs=dict(
        year=Input(ids.DOM_YEAR, "value"),
        geo=Input(ids.DOM_GEO, "value"),
        area=Input(ids.DOM_AREA, "value"),
        level=Input(ids.DOM_LEVEL, "value"),
        ownership=Input(ids.DOM_OWNERSHIP, "value"),
        key=Input(ids.DOM_INDICATOR, "value"),
    ),
    state=dict(slug=State(ids.DOM_SLUG, "data")),
)
def show(
    year: Any, geo: str, area: Any, level: Any, ownership: Any, key: Any, slug: Any
) -> tuple[Any, Any, Any]:
    """Any filter changed → the series, the table by area and the quality panel."""
    row = data.authorised(slug)
    audit.record(
        "read",
        f"domains/{row['slug']}",
        audit.describe(
            year=year, geo=geo, area=area, level=level, ownership=ownership, indicator=key
        ),
    )
    lang = current_language()
    v = version()
    geo = geo if geo in ("ward", "old_district") else "ward"
    areas = data.by_area(v, row["id"], geo, level or "all", ownership or "all")
    item = data.indicator(row["id"], key)
    line = data.series(areas, row["id"], item.key, area or "all")
    figure = _figure(line, t(f"dom.ind.{item.key}", lang), lang)
    frame, chosen = _table_frame(row, year, geo, level, ownership, lang)
    if chosen is None or frame.empty:
        return figure, notice(t("dom.empty", lang)), notice(t("dom.empty", lang))
    table = _grid(frame, row["id"], chosen, lang)
    report = data.quality_report(v, row["id"], chosen, geo, item.key)
    return figure, table, quality_panel(report, reference(v)["units"], lang)


@CALLBACKS.callback(
    ACCESS,
    Output(ids.DOM_DOWNLOAD, "data"),
    inputs=dict(
        _csv=Input(ids.DOM_EXPORT_CSV, "n_clicks"),
        _xlsx=Input(ids.DOM_EXPORT_XLSX, "n_clicks"),
    ),
    state=dict(
        year=State(ids.DOM_YEAR, "value"),
        geo=State(ids.DOM_GEO, "value"),
        level=State(ids.DOM_LEVEL, "value"),
        ownership=State(ids.DOM_OWNERSHIP, "value"),
        slug=State(ids.DOM_SLUG, "data"),
    ),
    prevent_initial_call=True,
)
def export(
    _csv: Any, _xlsx: Any, year: Any, geo: str, level: Any, ownership: Any, slug: Any
) -> Any:
    """Export button → the table by area as CSV or Excel (audited)."""
    from flask import abort

    from layouts.domain import GEOGRAPHIES

    row = data.authorised(slug)
    if ctx.triggered_id not in (ids.DOM_EXPORT_CSV, ids.DOM_EXPORT_XLSX):
        return no_update
    # The filters are keys of cached views: check them before anything is computed or cached.
    level, ownership = level or "all", ownership or "all"
    if not (
        isinstance(geo, str)
        and geo in GEOGRAPHIES
        and isinstance(level, str)
        and (level == "all" or level in LEVEL_NAMES)
        and isinstance(ownership, str)
        and (ownership == "all" or ownership in OWNERSHIP_NAMES)
    ):
        abort(400, "unknown geography, level or ownership")
    frame, chosen = _table_frame(row, year, geo, level, ownership, current_language())
    fmt = "xlsx" if ctx.triggered_id == ids.DOM_EXPORT_XLSX else "csv"
    name = f"{row['slug']}_{chosen or 'none'}_{geo}"
    return export_frame(frame.rename(columns={"unit_id": "unit"}), name, fmt)


CALLBACKS.clientside(
    ClientsideFunction("iocDomain", "urlSync"),  # assets/domain.js
    Output(ids.URL, "search", allow_duplicate=True),
    Input(ids.DOM_YEAR, "value"),
    Input(ids.DOM_GEO, "value"),
    Input(ids.DOM_AREA, "value"),
    Input(ids.DOM_LEVEL, "value"),
    Input(ids.DOM_OWNERSHIP, "value"),
    Input(ids.DOM_INDICATOR, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)


def register(app: Any) -> None:
    """Wire the index and domain pages' callbacks (the quality worklist's too) into ``app``."""
    CALLBACKS.register(app)
