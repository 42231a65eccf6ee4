"""Callbacks of /plan: filters from the URL, tiles, chart, task table, report punctuality,
exports; leadership and departments only (the guard refuses everyone else first)."""

from __future__ import annotations

import math
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
from dash import ClientsideFunction, Input, Output, State, ctx, dash_table, html, no_update

from analytics import plan_progress as progress
from analytics.plan_progress import quarter_label
from callbacks import plan_reports
from callbacks.common import export_frame
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.figures import base_figure, empty_figure
from ioc_app.core.fmt import fmt_date, fmt_number
from ioc_app.core.guard import Access, principal
from ioc_app.core.i18n import current_language, current_theme, pick, t
from ioc_app.services import plan as data
from ioc_app.services.plan import version
from layouts.common import notice

ACCESS = Access.of("leadership", "department")
CALLBACKS = CallbackRegistry(plan_reports.CALLBACKS)
COLOURS = {"done": "#1a7f37", "on_track": "#0b5cad", "late": "#c62828", "not_started": "#8c959f"}


def plan_link(**filters: Any) -> str:
    """A link to /plan with these filters (empty values left out)."""
    query = urlencode({key: value for key, value in filters.items() if value})
    return "/plan" + (f"?{query}" if query else "")


@CALLBACKS.callback(
    ACCESS,
    Output(ids.PLAN_QUARTER, "options"),
    Output(ids.PLAN_QUARTER, "value"),
    Output(ids.PLAN_UNIT, "options"),
    Output(ids.PLAN_UNIT, "value"),
    Input(ids.PLAN_PARAMS, "data"),
)
def setup(params: Any) -> tuple[Any, Any, Any, Any]:
    """Page load → quarters and units to choose from; the URL's choice, else the running
    quarter and the caller's own units (a department's)."""
    params = params if isinstance(params, dict) else {}
    lang, v, today = current_language(), version(), date.today()
    quarters = data.quarters(v, today)
    quarter = params.get("quarter")
    quarter = quarter if quarter in quarters else progress.quarter_of(today)
    names = data.unit_names(v)
    known = data.units(v)
    unit_options = [
        {"label": f"{code} — {pick(*names[code], lang)}" if code in names else code, "value": code}
        for code in known
    ]
    wanted = params.get("unit")
    if not isinstance(wanted, str):
        chosen = sorted(set(principal().units) & set(known))
    else:
        chosen = [code for code in wanted.split(",") if code in known]
    return (
        [{"label": quarter_label(q, lang), "value": q} for q in reversed(quarters)],
        quarter,
        unit_options,
        chosen,
    )


def _tiles(counts: dict[str, int], lang: str) -> list[Any]:
    return [
        html.Div(
            [
                html.Span(t(f"plan.state.{state}", lang), className="cr-tile-label"),
                html.Span(fmt_number(counts[state], "count", lang), className="cr-tile-value"),
            ],
            className=f"cr-tile plan-tile plan-tile-{state}",
            **{"data-key": state},
        )
        for state in progress.STATES
    ]


def _chart(by_quarter: pd.DataFrame, lang: str) -> go.Figure:
    margin = {"l": 40, "r": 10, "t": 10, "b": 40}
    if by_quarter.empty or not by_quarter[list(progress.STATES)].to_numpy().any():
        return empty_figure(lang, current_theme(), t("plan.empty.tasks", lang), margin=margin)
    figure = base_figure(
        lang,
        current_theme(),
        barmode="stack",
        margin=margin,
        legend={"orientation": "h", "y": -0.2},
        yaxis={"title": t("plan.chart.y", lang)},
    )
    labels = [quarter_label(q, lang) for q in by_quarter["quarter"]]
    most = int(by_quarter[list(progress.STATES)].sum(axis=1).max())
    figure.update_yaxes(tick0=0, dtick=max(1, math.ceil(most / 6)))  # whole tasks only
    for state in progress.STATES:
        figure.add_bar(
            x=labels,
            y=by_quarter[state].tolist(),
            name=t(f"plan.state.{state}", lang),
            marker_color=COLOURS[state],
        )
    return figure


def _task_rows(
    table: pd.DataFrame, names: dict[str, tuple[str, str]], lang: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows, tips = [], []
    for row in table.itertuples():
        rows.append(
            {
                "code": row.code,
                "kind": t(f"plan.kind.{row.kind}", lang),
                "title": pick(row.title_vi, row.title_en, lang),
                "leads": ", ".join(row.leads),
                "due": fmt_date(row.due, lang),
                "state": t(f"plan.state.{row.state}", lang),
                "state_key": row.state,
                "percent": None if pd.isna(row.percent) else float(row.percent),
                "quarter": quarter_label(row.quarter, lang)
                if isinstance(row.quarter, str)
                else "—",
            }
        )
        tips.append(
            {"leads": "; ".join(pick(*names[c], lang) if c in names else c for c in row.leads)}
        )
    return rows, tips


def _task_table(table: pd.DataFrame, lang: str) -> Any:
    if table.empty:
        return html.P(t("plan.empty.tasks", lang), className="empty-state")
    rows, tips = _task_rows(table, data.unit_names(version()), lang)
    columns = [
        {"id": key, "name": t(f"plan.col.{key}", lang)}
        for key in ("code", "kind", "title", "leads", "due", "state")
    ]
    columns += [
        {"id": "percent", "name": t("plan.col.percent", lang), "type": "numeric"},
        {"id": "quarter", "name": t("plan.col.quarter", lang)},
    ]
    return dash_table.DataTable(
        data=rows,
        columns=columns,
        sort_action="native",
        page_action="none",
        tooltip_data=tips,
        tooltip_delay=300,
        tooltip_duration=None,
        cell_selectable=False,
        style_table={"maxHeight": "560px", "overflowY": "auto", "overflowX": "auto"},
        style_cell={
            "whiteSpace": "normal",
            "textAlign": "left",
            "padding": "6px 8px",
            "fontFamily": "system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif",
            "fontSize": "14px",
            "backgroundColor": "var(--surface)",
            "color": "var(--text)",
            "border": "1px solid var(--border)",
        },
        style_header={"fontWeight": "600", "backgroundColor": "var(--bg)"},
        style_cell_conditional=[
            {"if": {"column_id": "title"}, "minWidth": "320px"},
            {"if": {"column_id": "percent"}, "textAlign": "right"},
        ],
        style_data_conditional=[
            {
                "if": {"filter_query": '{state_key} = "late"', "column_id": "state"},
                "color": "var(--error)",
                "fontWeight": "600",
            }
        ],
    )


def _punctuality(
    frame: pd.DataFrame,
    quarter: str,
    due_on: date,
    any_sent: bool,
    filters: dict[str, Any],
    lang: str,
) -> Any:
    label = quarter_label(quarter, lang)
    if frame.empty and any_sent:
        return html.P(
            t("plan.empty.unit_reports", lang).format(quarter=label), className="empty-state"
        )
    if frame.empty:
        parts = [
            html.P(
                t("plan.empty.reports", lang).format(quarter=label, due=fmt_date(due_on, lang)),
                className="empty-state",
            )
        ]
        earlier = progress.previous_quarter(quarter)
        if earlier in data.quarters(version(), date.today()):
            # A plain link: the router renders on a new path, and this one stays on /plan.
            parts.append(
                html.A(
                    t("plan.see_quarter", lang).format(quarter=quarter_label(earlier, lang)),
                    href=plan_link(quarter=earlier, **filters),
                )
            )
        return html.Div(parts)
    names = data.unit_names(version())
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(f"plan.col.{key}", lang), scope="col")
                for key in ("unit", "due", "submitted", "punctual", "record")
            ]
        )
    )
    body = []
    for row in frame.itertuples():
        state = t(f"plan.report.{row.state}", lang)
        if row.days_late is not None and not pd.isna(row.days_late):
            state = state.format(days=int(row.days_late))
        flagged = row.state in ("late", "missing")
        body.append(
            html.Tr(
                [
                    html.Td(
                        pick(*names[row.unit_code], lang)
                        if row.unit_code in names
                        else row.unit_code
                    ),
                    html.Td(fmt_date(row.due_on, lang)),
                    html.Td(fmt_date(row.submitted_at, lang)),
                    html.Td(
                        ("⚠ " if flagged else "") + state,
                        className="plan-flag" if flagged else None,
                    ),
                    html.Td(t("plan.record", lang).format(on_time=row.on_time, due=row.due_count)),
                ],
                className="plan-late" if flagged else None,
            )
        )
    return html.Table(
        [
            html.Caption(t("plan.punctuality.caption", lang).format(quarter=label)),
            head,
            html.Tbody(body),
        ],
        className="data-table plan-punctuality",
    )


def _note(view: dict[str, Any], quarter: str, lang: str) -> Any:
    parts = [
        t("plan.judged_on", lang).format(
            quarter=quarter_label(quarter, lang), day=fmt_date(view["judged_on"], lang)
        )
    ]
    if view["generated"]:
        parts.append(t("plan.generated", lang))
    notes = [notice(" ".join(parts))]
    if view["reported"] == 0 and view["counts"] and sum(view["counts"].values()):
        notes.append(
            notice(
                t("plan.empty.progress", lang).format(quarter=quarter_label(quarter, lang)),
                kind="warning",
            )
        )
    return notes


@CALLBACKS.callback(
    ACCESS,
    Output(ids.PLAN_TILES, "children"),
    Output(ids.PLAN_NOTE, "children"),
    Output(ids.PLAN_CHART, "figure"),
    Output(ids.PLAN_TABLE, "children"),
    Output(ids.PLAN_PUNCTUALITY, "children"),
    inputs=dict(
        quarter=Input(ids.PLAN_QUARTER, "value"),
        units=Input(ids.PLAN_UNIT, "value"),
        state=Input(ids.PLAN_STATUS, "value"),
        kind=Input(ids.PLAN_KIND, "value"),
    ),
)
def show(quarter: Any, units: Any, state: Any, kind: Any) -> tuple[Any, ...]:
    """Any filter changed → tiles, note, chart, task table and report punctuality."""
    lang, today = current_language(), date.today()
    quarter, units, state, kind = data.clean(quarter, units, state, kind, today)
    audit.record(
        "read",
        "plan",
        audit.describe(quarter=quarter, unit=",".join(units), status=state, kind=kind),
    )
    view = data.view(quarter, units, state, kind, today)
    filters = {
        "unit": ",".join(units) or "all",
        "status": state if state != "all" else None,
        "kind": kind if kind != "all" else None,
    }
    return (
        _tiles(view["counts"], lang),
        _note(view, quarter, lang),
        _chart(view["by_quarter"], lang),
        _task_table(view["table"], lang),
        _punctuality(
            view["punctuality"], quarter, view["due_on"], view["quarter_rows"] > 0, filters, lang
        ),
    )


@CALLBACKS.callback(
    ACCESS,
    Output(ids.PLAN_DOWNLOAD, "data"),
    inputs=dict(
        _csv=Input(ids.PLAN_EXPORT_CSV, "n_clicks"),
        _xlsx=Input(ids.PLAN_EXPORT_XLSX, "n_clicks"),
    ),
    state=dict(
        quarter=State(ids.PLAN_QUARTER, "value"),
        units=State(ids.PLAN_UNIT, "value"),
        state=State(ids.PLAN_STATUS, "value"),
        kind=State(ids.PLAN_KIND, "value"),
    ),
    prevent_initial_call=True,
)
def export(_csv: Any, _xlsx: Any, quarter: Any, units: Any, state: Any, kind: Any) -> Any:
    """Export button → the task table of the current filters as CSV or Excel (audited)."""
    if ctx.triggered_id not in (ids.PLAN_EXPORT_CSV, ids.PLAN_EXPORT_XLSX):
        return no_update
    today = date.today()
    quarter, units, state, kind = data.clean(quarter, units, state, kind, today)
    table = data.view(quarter, units, state, kind, today)["table"]
    frame = table.assign(lead_units=table["leads"].map(";".join), last_quarter=table["quarter"])[
        [
            "kind",
            "code",
            "title_vi",
            "title_en",
            "lead_units",
            "due",
            "state",
            "status",
            "percent",
            "last_quarter",
        ]
    ]
    fmt = "xlsx" if ctx.triggered_id == ids.PLAN_EXPORT_XLSX else "csv"
    return export_frame(frame, f"plan_{quarter}", fmt)


CALLBACKS.clientside(
    ClientsideFunction("iocPlan", "urlSync"),  # assets/plan.js
    Output(ids.URL, "search", allow_duplicate=True),
    Input(ids.PLAN_QUARTER, "value"),
    Input(ids.PLAN_UNIT, "value"),
    Input(ids.PLAN_STATUS, "value"),
    Input(ids.PLAN_KIND, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)


def register(app: Any) -> None:
    """Wire the plan page's callbacks into ``app``."""
    CALLBACKS.register(app)
