"""Callbacks of /plan's reports cards: punctuality by unit, kind and 2025 ward (with export),
themes of the quarter, the Phụ lục II workbook. Same access as the page's other callbacks;
wired with them (``callbacks.plan`` includes this registry)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from dash import Input, Output, State, ctx, dash_table, dcc, html, no_update

from analytics.plan_progress import quarter_label
from callbacks.common import export_frame
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.fmt import fmt_date, fmt_number
from ioc_app.core.guard import Access, principal
from ioc_app.core.i18n import current_language, pick, t
from ioc_app.core.vocabulary import KIND_NAMES
from ioc_app.services import plan as plan_data
from ioc_app.services import quarter_reports as data
from ioc_app.services import reports as rules
from ioc_app.services.indicators import version
from layouts.common import data_table, notice

ACCESS = Access.of("leadership", "department")
CALLBACKS = CallbackRegistry()
#: Reports listed under a theme before "… and N more".
LISTED = 20


def report_link(quarter: str, reporter: str) -> str:
    """The /report page of one reporter's report for ``quarter``."""
    return "/report?" + urlencode({"quarter": quarter, "unit": reporter})


def _quarter(quarter: Any) -> str:
    """The page's quarter as sent (forgeable), checked."""
    return data.checked_quarter(quarter)


def _kind_table(by_kind: pd.DataFrame, lang: str) -> Any:
    rows = [
        {
            "kind": pick(*KIND_NAMES[row.kind], lang)
            if row.kind in KIND_NAMES
            else t(f"pr.kind.{row.kind}", lang),
            **{state: fmt_number(getattr(row, state), "count", lang) for state in data.STATES},
            "expected": fmt_number(row.expected, "count", lang),
            "share": fmt_number(row.on_time_share, "share", lang),
        }
        for row in by_kind.itertuples()
    ]
    columns = [("kind", t("pr.col.kind", lang))]
    columns += [(state, t(f"pr.state.{state}", lang)) for state in data.STATES]
    columns += [("expected", t("pr.col.expected", lang))]
    columns += [("share", t("pr.col.on_time_share", lang))]
    return data_table(rows, columns, caption=t("pr.by_kind", lang))


def _unit_table(units: pd.DataFrame, lang: str) -> Any:
    names = plan_data.unit_names(version())
    rows = [
        {
            "unit": pick(*names[row.reporter], lang) if row.reporter in names else row.name,
            "state": ("⚠ " if row.state in ("late", "missing", "returned") else "")
            + t(f"pr.state.{row.state}", lang),
            "submitted": fmt_date(row.submitted_at, lang),
        }
        for row in units.itertuples()
    ]
    columns = [(key, t(f"pr.col.{key}", lang)) for key in ("unit", "state", "submitted")]
    return data_table(rows, columns, caption=t("pr.by_unit", lang))


def _ward_table(wards: pd.DataFrame, lang: str) -> Any:
    if wards.empty:
        return html.P(t("pr.empty.wards", lang), className="empty-state")
    columns = [{"id": "ward", "name": t("pr.col.ward", lang)}]
    columns += [
        {"id": key, "name": t(f"pr.state.{key}", lang), "type": "numeric"} for key in data.STATES
    ]
    columns += [
        {"id": "expected", "name": t("pr.col.expected", lang), "type": "numeric"},
        {"id": "on_time_share", "name": t("pr.col.on_time_share", lang), "type": "numeric"},
    ]
    rows = wards.assign(on_time_share=(wards["on_time_share"] * 100).round(1)).to_dict("records")
    return dash_table.DataTable(
        data=rows,
        columns=columns,
        sort_action="native",
        filter_action="native",
        page_size=15,
        cell_selectable=False,
        style_table={"overflowX": "auto"},
        style_cell={
            "textAlign": "left",
            "padding": "6px 8px",
            "backgroundColor": "var(--surface)",
            "color": "var(--text)",
            "border": "1px solid var(--border)",
        },
        style_header={"fontWeight": "600", "backgroundColor": "var(--bg)"},
    )


def _view(quarter: str) -> dict[str, Any]:
    """The quarter's punctuality view, cached per data and reports version."""
    return data.punctuality_view(
        version(), data.reports_version(), quarter, data.is_overdue(quarter)
    )


def _notes(view: dict[str, Any], quarter: str, lang: str) -> list[Any]:
    if not view["generated"]:
        return []
    return [notice(t("pr.generated", lang).format(quarter=quarter_label(quarter, lang)))]


@CALLBACKS.callback(
    ACCESS,
    Output(ids.PLAN_REPORTS_NOTE, "children"),
    Output(ids.PLAN_BY_KIND, "children"),
    Output(ids.PLAN_WARDS, "children"),
    Input(ids.PLAN_QUARTER, "value"),
)
def punctuality(quarter: Any) -> tuple[Any, Any, Any]:
    """Quarter chosen → generated note, punctuality per unit and kind, schools by ward."""
    lang, quarter = current_language(), _quarter(quarter)
    audit.record("read", "plan/punctuality", audit.describe(quarter=quarter))
    view = _view(quarter)
    tables = html.Div(
        [_unit_table(view["units"], lang), _kind_table(view["kinds"], lang)],
        className="dom-grid",
    )
    return _notes(view, quarter, lang), tables, _ward_table(view["wards"], lang)


@CALLBACKS.callback(
    ACCESS,
    Output(ids.PLAN_WARDS_DOWNLOAD, "data"),
    inputs=dict(
        _csv=Input(ids.PLAN_WARDS_CSV, "n_clicks"),
        _xlsx=Input(ids.PLAN_WARDS_XLSX, "n_clicks"),
    ),
    state=dict(quarter=State(ids.PLAN_QUARTER, "value")),
    prevent_initial_call=True,
)
def export_wards(_csv: Any, _xlsx: Any, quarter: Any) -> Any:
    """Export button → the schools' punctuality by ward of the quarter (audited)."""
    if ctx.triggered_id not in (ids.PLAN_WARDS_CSV, ids.PLAN_WARDS_XLSX):
        return no_update
    quarter = _quarter(quarter)
    wards = _view(quarter)["wards"].assign(quarter=quarter)
    fmt = "xlsx" if ctx.triggered_id == ids.PLAN_WARDS_XLSX else "csv"
    return export_frame(wards, f"report_punctuality_wards_{quarter}", fmt)


def _trend(theme: Any, lang: str) -> Any:
    change = theme.units - theme.previous_units
    way = "up" if change > 0 else "down" if change < 0 else "same"
    return html.Span(
        t(f"pr.theme.{way}", lang).format(d=abs(change), before=theme.previous_units),
        className=f"plan-trend plan-trend-{way}",
    )


def _reports_list(view: data.ThemeView, quarter: str, names: dict[str, str], lang: str) -> Any:
    # Units first (by code), then schools; each with its statements in the theme.
    entries = sorted(
        view.reports.items(), key=lambda item: (rules.is_school(item[1][0]), item[1][0])
    )
    # Two components a line: a theme lists hundreds of schools, and every component costs
    # server time to build and serialise (bench/bench_plan.py).
    items = [
        html.Li(
            [
                html.A(names.get(reporter, reporter), href=report_link(quarter, reporter)),
                f" — {' / '.join(texts)}",
            ]
        )
        for _, (reporter, texts) in entries[:LISTED]
    ]
    if len(entries) > LISTED:
        items.append(html.Li(t("pr.theme.more", lang).format(n=len(entries) - LISTED)))
    return html.Details(
        [
            html.Summary(
                t("pr.theme.reports", lang).format(
                    n=fmt_number(len(entries), "count", lang), quarter=quarter_label(quarter, lang)
                )
            ),
            html.Ul(items, className="plan-theme-reports"),
        ],
        className="plan-theme-details",
    )


def _theme(view: data.ThemeView, quarter: str, names: dict[str, str], lang: str) -> Any:
    theme = view.theme
    return html.Li(
        [
            html.Div(
                [
                    html.Strong(theme.label, className="plan-theme-label"),
                    html.Span(
                        t("pr.theme.units", lang).format(n=fmt_number(theme.units, "count", lang)),
                        className="plan-theme-units",
                    ),
                    _trend(theme, lang),
                ],
                className="plan-theme-head",
            ),
            *[html.Blockquote(quote, className="plan-theme-quote") for quote in theme.quotes],
            _reports_list(view, quarter, names, lang),
        ],
        className="plan-theme",
    )


@CALLBACKS.callback(
    ACCESS,
    Output(ids.PLAN_THEMES, "children"),
    Input(ids.PLAN_QUARTER, "value"),
)
def themes(quarter: Any) -> Any:
    """Quarter chosen → its themes: label, units, trend, quotes and the reports behind them
    (quotes and reports limited to those the caller may read)."""
    lang, quarter, who = current_language(), _quarter(quarter), principal()
    audit.record("read", "plan/themes", audit.describe(quarter=quarter))
    v, rv = version(), data.reports_version()
    views = [data.visible(view, who) for view in data.themes(v, rv, quarter)]
    if not views:
        label = quarter_label(quarter, lang)
        return html.P(t("pr.theme.none", lang).format(quarter=label), className="empty-state")
    names = dict(_view(quarter)["names"])
    names.update({code: pick(*pair, lang) for code, pair in plan_data.unit_names(v).items()})
    parts: list[Any] = []
    if not rules.reads_all(who):
        parts.append(notice(t("pr.theme.own", lang)))
    parts.append(html.Ol([_theme(view, quarter, names, lang) for view in views]))
    return parts


def _workbook_units(chosen: Any) -> list[str] | None:
    """The units of the workbook (empty: all): the filter's; for a department that does not
    read every report, only its own units, as the workbook carries the units' report texts
    (None when it has none)."""
    who, known = principal(), set(plan_data.units(version()))
    listed = chosen if isinstance(chosen, list) else []
    wanted = [u for u in listed if isinstance(u, str) and u in known]
    if rules.reads_all(who):
        return wanted
    own = sorted(set(who.units) & known)
    return ([u for u in wanted if u in own] or own) or None


@CALLBACKS.callback(
    ACCESS,
    Output(ids.PLAN_WORKBOOK_DOWNLOAD, "data"),
    Input(ids.PLAN_WORKBOOK, "n_clicks"),
    State(ids.PLAN_QUARTER, "value"),
    State(ids.PLAN_UNIT, "value"),
    prevent_initial_call=True,
)
def workbook(clicks: Any, quarter: Any, units: Any) -> Any:
    """Workbook button → the Phụ lục II workbook of the quarter (audited as an export)."""
    if not clicks:
        return no_update
    lang, quarter = current_language(), _quarter(quarter)
    wanted = _workbook_units(units)
    if wanted is None:
        return no_update
    name = f"phu_luc_II_{quarter}.xlsx"
    audit.record("export", name, audit.describe(unit=",".join(wanted) or "all", lang=lang))
    return dcc.send_bytes(data.workbook(quarter, wanted, date.today(), lang=lang), name)
