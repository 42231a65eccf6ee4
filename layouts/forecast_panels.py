"""Building blocks the forecast page's callbacks fill in: summary, accuracy tables, seat-gap
legend and list (pure: they format what they are given)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from ioc_app.core import ids
from ioc_app.core.fmt import fmt_number, fmt_share, school_year_label
from ioc_app.core.i18n import t
from layouts.forecast_texts import GSO_TRACK_RECORD, band_coverage, level_name

#: Seat-gap classes from large surplus to large shortage (ColorBrewer RdBu, reversed).
GAP_COLOURS = ["#2166ac", "#92c5de", "#f2efe6", "#f4a582", "#b2182b"]
MISSING_COLOUR = "#9aa3ad"
FEW_CHECKS = 30


def _figure_item(label: str, value: str, detail: str | None = None, *, tone: str = "") -> Any:
    return html.Div(
        [
            html.Dt(label),
            html.Dd(
                [
                    html.Strong(value, className=tone),
                    *([html.Br(), html.Small(detail)] if detail else []),
                ]
            ),
        ],
        className="fc-figure",
    )


def summary(table: pd.DataFrame, *, norm: float, lang: str) -> Any:
    """The target year in figures: pupils with band, seats, shortage or spare seats."""
    future = table[table["period"] == "forecast"]
    past = table[table["period"] == "history"]
    if future.empty:
        return html.P(t("empty.no_data", lang), className="empty-state")
    row = future.iloc[-1]
    gap = float(row["seat_gap"])
    short = gap > 0
    items = [
        _figure_item(
            t("fc.sum.pupils", lang),
            fmt_number(row["forecast"], "count", lang),
            t("fc.sum.band", lang).format(
                low=fmt_number(row["lower"], "count", lang),
                high=fmt_number(row["upper"], "count", lang),
            ),
        ),
        _figure_item(
            t("fc.sum.seats", lang),
            fmt_number(row["seats"], "count", lang),
            t("fc.sum.rooms", lang).format(
                rooms=fmt_number(row["classrooms"], "count", lang),
                norm=fmt_number(norm, "count", lang),
            ),
        ),
        _figure_item(
            t("fc.sum.short" if short else "fc.sum.spare", lang),
            fmt_number(abs(gap), "count", lang),
            t("fc.sum.short_rooms", lang).format(
                rooms=fmt_number(row["classrooms_short"], "count", lang)
            )
            if short
            else None,
            tone="fc-short" if short else "fc-spare",
        ),
    ]
    observed = None
    if len(past):
        last = past.iloc[-1]
        observed = html.P(
            t("fc.sum.last", lang).format(
                year=school_year_label(last["year"]),
                pupils=fmt_number(last["pupils"], "count", lang),
            ),
            className="muted fc-observed",
        )
    return html.Div(
        [
            html.H3(t("fc.sum.year", lang).format(year=school_year_label(row["year"]))),
            html.Dl(items, className="fc-figures"),
            observed,
        ]
    )


def notes(items: list[str], engine_notes: list[str], lang: str) -> Any:
    """The page's notes, with the engine's own (English) notes folded away."""
    children: list[Any] = [html.Ul([html.Li(item) for item in items], className="fc-note-list")]
    if engine_notes:
        children.append(
            html.Details(
                [
                    html.Summary(t("fc.note.engine", lang)),
                    html.Ul([html.Li(note, lang="en") for note in engine_notes]),
                ]
            )
        )
    return children


def _mape_table(rows: list[tuple[Any, ...]], lang: str, *, caption: str, counts: bool) -> Any:
    columns = ["fc.acc.col.h", "fc.acc.col.model", "fc.acc.col.persistence", "fc.acc.col.drift"] + (
        ["fc.acc.col.n"] if counts else []
    )
    head = html.Thead(html.Tr([html.Th(t(key, lang), scope="col") for key in columns]))
    body = []
    for row in rows:
        horizon, model, persistence, drift = row[:4]
        best = min(v for v in (persistence, drift) if v == v)
        cells = [
            html.Th(str(int(horizon)), scope="row"),
            html.Td(
                fmt_number(model, "ratio", lang), className="fc-win" if model <= best else "fc-lose"
            ),
            html.Td(fmt_number(persistence, "ratio", lang)),
            html.Td(fmt_number(drift, "ratio", lang)),
        ]
        if counts:
            cells.append(html.Td(fmt_number(row[4], "count", lang)))
        body.append(html.Tr(cells))
    return html.Div(
        html.Table([html.Caption(caption), head, html.Tbody(body)], className="data-table fc-mape"),
        className="table-wrap",
    )


def accuracy_panel(
    table: pd.DataFrame, *, kind_name: str, level: str, origins: tuple[int, ...], lang: str
) -> Any:
    """MAPE by horizon of the model against persistence and drift, with a plain verdict."""
    if table.empty or not origins:
        return html.P(t("fc.acc.empty", lang), className="empty-state")
    rows = list(
        table[["horizon", "model", "persistence", "drift", "n"]].itertuples(index=False, name=None)
    )
    wins = int((table["ratio"] < 1).sum())
    total = len(table)
    verdict = (t("fc.acc.better", lang) if wins == total else t("fc.acc.worse", lang)).format(
        k=wins if wins == total else total - wins, n=total
    )
    what = t("fc.acc.what", lang).format(
        first=min(origins),
        last=max(origins),
        kind=kind_name,
        level=level_name(level, lang, inline=True),
    )
    parts = [
        html.P(what, className="muted"),
        _mape_table(rows, lang, caption=t("fc.acc.caption", lang), counts=True),
        html.P(verdict, className="fc-verdict"),
    ]
    fewest = int(table["n"].min())
    if fewest < FEW_CHECKS:
        parts.append(html.P(t("fc.acc.few", lang).format(n=fewest), className="muted"))
    return html.Div(parts)


def gso_panel(level: str, lang: str) -> Any:
    """The engine's track record on official data (GSO, 56 provinces), folded."""
    return html.Details(
        [
            html.Summary(t("fc.gso.title", lang)),
            html.P(
                t("fc.gso.what", lang).format(level=level_name(level, lang, inline=True)),
                className="muted",
            ),
            _mape_table(
                GSO_TRACK_RECORD[level], lang, caption=t("fc.acc.caption", lang), counts=False
            ),
            html.P(t("fc.gso.bands", lang).format(coverage=band_coverage(lang))),
            html.P(t("fc.gso.source", lang), className="muted fc-source"),
        ],
        open=False,
    )


def legend(lang: str) -> Any:
    """The seat-gap map's key."""
    items = [
        html.Li(
            [
                html.Span(className="fc-swatch", style={"background": colour}),
                t(f"fc.legend.{i}", lang),
            ]
        )
        for i, colour in enumerate(GAP_COLOURS)
    ]
    items.reverse()  # shortage first, as in the list below
    items.append(
        html.Li(
            [
                html.Span(className="fc-swatch", style={"background": MISSING_COLOUR}),
                t("fc.legend.none", lang),
            ]
        )
    )
    return html.Ul(items, className="fc-legend-list")


def worst_list(rows: list[dict[str, Any]], lang: str, *, capacity_year: str) -> Any:
    """The wards with the largest shortages; each name is a button that chooses the ward."""
    title = html.H3(t("fc.worst.title", lang))
    if not rows:
        return html.Div([title, html.P(t("fc.worst.none", lang), className="empty-state")])
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(f"fc.worst.col.{key}", lang), scope="col")
                for key in ("ward", "pupils", "seats", "gap", "rooms")
            ]
        )
    )
    body = [
        html.Tr(
            [
                html.Th(
                    html.Button(
                        row["name"],
                        id=ids.fc_worst_item(row["area_code"]),
                        className="fc-link",
                        title=t("fc.worst.pick", lang).format(name=row["name"]),
                    ),
                    scope="row",
                ),
                html.Td(
                    fmt_number(row["forecast"], "count", lang),
                    title=t("fc.worst.band", lang).format(
                        low=fmt_number(row["lower"], "count", lang),
                        high=fmt_number(row["upper"], "count", lang),
                    ),
                ),
                html.Td(fmt_number(row["seats"], "count", lang)),
                html.Td(
                    [
                        fmt_number(row["seat_gap"], "count", lang),
                        html.Small(
                            f" {fmt_share(row['gap_share'], lang, signed=True)}", className="muted"
                        ),
                    ]
                ),
                html.Td(fmt_number(row["classrooms_short"], "count", lang)),
            ]
        )
        for row in rows
    ]
    parts = [
        title,
        html.Div(
            html.Table([head, html.Tbody(body)], className="data-table fc-worst-table"),
            className="table-wrap",
        ),
    ]
    if any(not row["seats"] for row in rows):
        parts.append(
            html.P(t("fc.worst.no_seats", lang).format(year=capacity_year), className="muted")
        )
    return html.Div(parts)
