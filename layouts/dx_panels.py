"""Charts, key figures and tables of /dx, built from computed results (no data access)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import html

from analytics.dx_index import GROUPS, LEVELS, STAGES
from data_access.reference.dx import NOTE as NOTE_4725
from data_access.reference.dx import SET_CODE
from ioc_app.core import figures
from ioc_app.core.figures import base_figure
from ioc_app.core.fmt import fmt_number, school_year_label
from ioc_app.core.i18n import current_theme, pick, t
from layouts.common import data_table

COLOURS = {
    "1": "#c0392b",
    "2": "#e6a23c",
    "3": "#2e8b57",
    "unpublished": "#8e9aaf",
    "not_assessed": "#cfd4da",
}
GROUP_COLOURS = {"self": "#9ecae1", "reviewed": "#0b5cad"}


def figure(lang: str, **layout: Any) -> go.Figure:
    """An empty figure in the page's theme and the reader's number convention."""
    return base_figure(
        lang, current_theme(), **{"legend": {"orientation": "h", "y": -0.2}, **layout}
    )


def empty_figure(lang: str, text: str | None = None) -> go.Figure:
    """A figure that says why it is empty."""
    return figures.empty_figure(lang, current_theme(), text or t("dx.empty.chart", lang))


def levels_figure(counts: dict[str, int], lang: str) -> go.Figure:
    """Schools at each published level, then the ones without a published level."""
    keys = [*(str(level) for level in LEVELS), "unpublished", "not_assessed"]
    out = figure(lang, showlegend=False, yaxis={"title": t("dx.schools_count", lang)})
    out.add_bar(
        x=[t(f"dx.level.{k}", lang) for k in keys],
        y=[counts[k] for k in keys],
        marker={"color": [COLOURS[k] for k in keys]},
        text=[counts[k] for k in keys],
        textposition="auto",
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
    return out


def funnel_figure(stages: dict[str, int], lang: str) -> go.Figure:
    """Expected → self-assessed → reviewed → published."""
    out = figure(lang, showlegend=False, margin={"l": 140, "r": 20, "t": 20, "b": 20})
    out.add_trace(
        go.Funnel(
            y=[t(f"dx.stage.{s}", lang) for s in STAGES],
            x=[stages[s] for s in STAGES],
            textinfo="value+percent initial",
            marker={"color": "#0b5cad"},
        )
    )
    return out


def groups_figure(scores: pd.DataFrame, lang: str) -> go.Figure:
    """Mean self-assessed and reviewed score of each criteria group (0–100)."""
    out = figure(
        lang,
        barmode="group",
        yaxis={"range": [0, 100]},
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": y,
                "y1": y,
                "line": {"dash": "dot", "width": 1, "color": "#888"},
            }
            for y in (50, 75)
        ],
    )
    names = [t(f"dx.group.{g}", lang) for g in GROUPS]
    for kind in ("self", "reviewed"):
        values = [None if pd.isna(v) else round(float(v), 1) for v in scores[kind]]
        out.add_bar(
            x=names,
            y=values,
            name=t(f"dx.score.{kind}", lang),
            marker={"color": GROUP_COLOURS[kind]},
            text=values,
            textposition="auto",
            hovertemplate="%{x}: %{y:.1f}<extra></extra>",
        )
    return out


def trend_figure(rows: pd.DataFrame, lang: str) -> go.Figure:
    """Share of published schools at each level, per school year (stacked)."""
    out = figure(
        lang,
        barmode="stack",
        yaxis={"tickformat": ".0%", "range": [0, 1], "title": t("dx.share", lang)},
        xaxis={"type": "category"},
    )
    years = [school_year_label(int(y)) for y in rows["school_year"]]
    for level in LEVELS:
        shares = [None if pd.isna(v) else float(v) for v in rows[f"share{level}"]]
        out.add_bar(
            x=years,
            y=shares,
            name=t(f"dx.level.{level}", lang),
            marker={"color": COLOURS[str(level)]},
            customdata=rows[f"level{level}"].tolist(),
            hovertemplate="%{x}: %{y:.1%} (%{customdata})<extra></extra>",
        )
    return out


def summary(
    counts: dict[str, int], stages: dict[str, int], generated: int, total: int, lang: str
) -> Any:
    """Key figures of the year and, when some assessments are generated, a note saying so."""
    published = sum(counts[str(level)] for level in LEVELS)
    upper = counts["2"] + counts["3"]
    tiles = [
        ("dx.tile.expected", fmt_number(stages["expected"], "count", lang)),
        ("dx.tile.published", fmt_number(published, "count", lang)),
        ("dx.tile.level2plus", fmt_number(upper / published if published else None, "share", lang)),
        ("dx.tile.not_assessed", fmt_number(stages["not_submitted"], "count", lang)),
    ]
    parts: list[Any] = [
        html.Div(
            [
                html.Div(
                    [
                        html.Div(t(label, lang), className="cr-tile-label"),
                        html.Div(value, className="cr-tile-value"),
                    ],
                    className="cr-tile",
                )
                for label, value in tiles
            ],
            className="cr-tile-row",
        )
    ]
    parts.append(
        html.P(
            t("dx.funnel.note", lang).format(
                missing=fmt_number(stages["not_submitted"], "count", lang),
                returned=fmt_number(stages["returned"], "count", lang),
            ),
            className="muted",
        )
    )
    if generated:
        parts.append(
            html.P(
                [
                    html.Span(t("data.generated_badge", lang), className="badge badge-generated"),
                    " ",
                    t("dx.generated_note", lang).format(generated=generated, total=total),
                ]
            )
        )
    parts.append(html.P(t("dx.level.note", lang), className="muted"))
    return html.Div(parts)


#: The notes of known criteria sets in both languages (the warehouse stores one, in English).
CRITERIA_NOTES = {
    SET_CODE: (
        "Nguồn thứ cấp: nhóm 1 cộng đủ 100 điểm, nhóm 2 chỉ 90 (có lẽ thiếu một tiêu chí 10 "
        "điểm). Mức theo từng nhóm: dưới 50 → mức 1, 50–75 → mức 2, trên 75 → mức 3; mức chung "
        "lấy mức thấp hơn của hai nhóm (cách hiểu thận trọng). Tổng điểm nhóm 2 được quy về "
        "thang 0–100 theo 90 điểm đã liệt kê. Tiêu chí bắt buộc (0 điểm) tính 1 khi đạt, 0 khi "
        "không đạt.",
        NOTE_4725,
    )
}


def criteria_panel(rows: list[dict[str, Any]], lang: str) -> Any:
    """The criteria sets loaded in the warehouse, their groups and points, and their notes."""
    if not rows:
        return html.P(t("empty.no_data", lang), className="empty-state")
    parts: list[Any] = []
    for code in dict.fromkeys(r["code"] for r in rows):
        mine = [r for r in rows if r["code"] == code]
        first = mine[0]
        groups = [
            {
                "group": t(f"dx.group.{int(r['group'])}", lang)
                if r["group"] in (1, 2)
                else str(r["group"]),
                "criteria": r["criteria"],
                "mandatory": r["mandatory"],
                "points": fmt_number(r["max_points"], "count", lang),
            }
            for r in mine
            if r["group"] is not None
        ]
        parts += [
            html.H3(f"{first['title']} ({code})"),
            html.Div(
                data_table(
                    groups,
                    [
                        (k, t(f"dx.col.{k}", lang))
                        for k in ("group", "criteria", "mandatory", "points")
                    ],
                ),
                className="table-wrap",
            ),
            html.P(
                pick(*CRITERIA_NOTES[code], lang)
                if code in CRITERIA_NOTES
                else first["note"] or "",
                className="muted wrap-anywhere",
            ),
            html.P(first["source"] or "", className="muted wrap-anywhere"),
        ]
    return html.Div(parts)
