"""Pieces of the control room built from plain data: KPI tiles, legend, ranking, alerts,
freshness (pure: callbacks pass the figures in)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

import layouts.control_room_texts  # noqa: F401  (registers the cr.* texts of these panels)
from ioc_app.core.fmt import fmt_number
from ioc_app.core.i18n import t
from layouts.common import data_table

GROUP_ORDER = ("institutions", "pupils", "teachers", "class_size", "facilities", "dx", "plan")
KIND_OF_GROUP = {"class_size": "ratio", "dx": "share"}
#: Sequential palette (ColorBrewer YlOrRd, colour-blind safe) by number of classes.
PALETTES = {
    2: ["#ffeda0", "#f03b20"],
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
    6: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
    7: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
}
MISSING_COLOUR = "#9aa3ad"


def tile_kind(key: str) -> str:
    """How a tile's value is formatted (count, ratio or share)."""
    if key == "teachers.pupil_ratio":
        return "ratio"
    return KIND_OF_GROUP.get(key.split(".", 1)[0], "count")


def tile_texts(tile: dict[str, Any], lang: str) -> dict[str, str]:
    """The words and numbers shown on one tile (also its change signature)."""
    kind = tile.get("kind") or tile_kind(tile["key"])
    value, previous = tile["value"], tile["previous"]
    label = tile.get("label") or t(f"cr.kpi.{tile['key']}", lang)
    texts = {"label": label, "value": fmt_number(value, kind, lang)}
    delta = None if value is None or previous is None else value - previous
    if delta is None:
        texts["delta"] = "" if tile["group"] == "plan" else t("cr.no_previous", lang)
        texts["trend"] = "flat"
    else:
        arrow = "▲" if delta > 0 else "▼" if delta < 0 else "■"
        shown = fmt_number(abs(delta), kind if kind != "share" else "share", lang)
        texts["delta"] = f"{arrow} {shown} · " + t("cr.previous", lang).format(
            value=fmt_number(previous, kind, lang)
        )
        better = tile.get("better")
        good = (delta > 0 and better == "up") or (delta < 0 and better == "down")
        bad = (delta < 0 and better == "up") or (delta > 0 and better == "down")
        texts["trend"] = "good" if good else "bad" if bad else "flat"
    norm = tile.get("norm")
    texts["norm"] = (
        "" if norm is None else t("cr.norm", lang).format(norm=fmt_number(norm, "count", lang))
    )
    texts["over"] = "over" if norm is not None and value is not None and value > norm else ""
    return texts


def kpi_tile(tile: dict[str, Any], lang: str) -> Any:
    """One tile: label, value, change against last year, norm."""
    texts = tile_texts(tile, lang)
    parts = [
        html.Span(texts["label"], className="cr-tile-label"),
        html.Span(texts["value"], className=f"cr-tile-value {texts['over']}".strip()),
        html.Span(texts["delta"], className=f"cr-tile-delta trend-{texts['trend']}"),
    ]
    if texts["norm"]:
        parts.append(html.Span(texts["norm"], className="cr-tile-norm"))
    return html.Div(parts, className="cr-tile", **{"data-key": tile["key"]})


def tile_groups(tiles: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Tiles grouped in reading order."""
    groups: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUP_ORDER}
    for tile in tiles:
        groups.setdefault(tile["group"], []).append(tile)
    return [(group, items) for group, items in groups.items() if items]


#: The data domain whose reports a group of tiles sums (its coverage is shown beside it).
GROUP_DOMAIN = {
    "pupils": "students",
    "class_size": "students",
    "teachers": "staff",
    "facilities": "facilities",
}


def group_title(
    group: str,
    coverage: dict[str, float | None],
    lang: str,
    estimated: dict[str, int] | None = None,
) -> Any:
    """``HỌC SINH · 95,2 % cơ sở đã báo cáo · 12 trường ước tính``: a sum over reports says
    how many came in and how many late ones it estimated."""
    domain = GROUP_DOMAIN.get(group, "")
    share = coverage.get(domain)
    title = [t(f"cr.group.{group}", lang)]
    if share is not None:
        title.append(
            html.Span(
                " · " + t("cr.group.coverage", lang).format(share=fmt_number(share, "share", lang)),
                className="cr-group-coverage" + (" cr-group-gap" if share < 0.95 else ""),
            )
        )
    late = (estimated or {}).get(domain)
    if late:
        title.append(
            html.Span(
                " · " + t("cr.group.estimated", lang).format(n=fmt_number(late, "count", lang)),
                className="cr-group-coverage",
            )
        )
    return html.H3(title, className="cr-group-title")


def tiles_panel(
    tiles: list[dict[str, Any]],
    lang: str,
    coverage: dict[str, float | None] | None = None,
    estimated: dict[str, int] | None = None,
) -> list[Any]:
    """The groups of tiles (the children of the tiles section); ``coverage`` is the share of
    institutions that reported each domain this year, ``estimated`` the schools whose late
    report each domain's sums estimated."""
    if not tiles:
        return [html.P(t("cr.empty", lang), className="empty-state")]
    return [
        html.Section(
            [
                group_title(group, coverage or {}, lang, estimated),
                html.Div([kpi_tile(tile, lang) for tile in items], className="cr-tile-row"),
            ],
            className=f"cr-group cr-group-{group}",
        )
        for group, items in tile_groups(tiles)
    ]


def legend(
    edges: list[float], colours: list[str], kind: str, lang: str, *, title: str, estimates: bool
) -> Any:
    """The map legend: one swatch per class with its range, missing data, estimates."""
    rows = []
    for index, colour in enumerate(colours):
        low, high = edges[index], edges[index + 1]
        label = (
            f"{fmt_number(low, kind, lang)} – {fmt_number(high, kind, lang)}"
            if low != high
            else fmt_number(low, kind, lang)
        )
        rows.append(
            html.Li([html.Span(className="cr-swatch", style={"background": colour}), label])
        )
    rows.append(
        html.Li(
            [
                html.Span(className="cr-swatch", style={"background": MISSING_COLOUR}),
                t("cr.legend.missing", lang),
            ]
        )
    )
    if estimates:
        rows.append(
            html.Li(
                [html.Span(className="cr-swatch cr-swatch-estimate"), t("cr.legend.estimate", lang)]
            )
        )
    return html.Div(
        [html.Strong(title), html.Ul(rows, className="cr-legend-list")], className="cr-legend-box"
    )


def ranking(rows: list[dict[str, Any]], kind: str, lang: str) -> Any:
    """Units ranked by the map's indicator, each a link (the keyboard way to drill down)."""
    if not rows:
        return html.P(t("empty.no_data", lang), className="empty-state")
    items = []
    for row in rows:
        label = [row["name"], " "]
        if row.get("estimate"):
            label.append(html.Span(f"({t('cr.estimate', lang)})", className="muted"))
        value = html.Span(fmt_number(row["value"], kind, lang), className="cr-rank-value")
        name = dcc.Link(label, href=row["href"]) if row.get("href") else html.Span(label)
        items.append(html.Li([name, value]))
    return html.Div([html.H3(t("cr.ranking", lang)), html.Ol(items, className="cr-ranking")])


def alerts_panel(alerts: list[dict[str, Any]], lang: str, *, per_rule: int = 3) -> Any:
    """Alerts grouped by rule (most serious first), the worst ``per_rule`` of each shown."""
    if not alerts:
        return html.P(t("cr.no_alerts", lang), className="empty-state cr-all-clear")
    rules: dict[str, list[dict[str, Any]]] = {}
    for alert in alerts:
        rules.setdefault(alert["rule"], []).append(alert)
    return html.Div(
        [_rule_block(rule, items, lang, per_rule) for rule, items in rules.items()],
        className="cr-alert-groups",
    )


def _rule_block(rule: str, alerts: list[dict[str, Any]], lang: str, shown: int) -> Any:
    high = sum(alert["severity"] == "high" for alert in alerts)
    title = html.H3(
        [
            t(f"cr.alert.title.{rule}", lang),
            html.Span(
                str(len(alerts)),
                className="cr-alert-count",
                title=f"{t('cr.severity.high', lang)}: {high}",
            ),
        ],
        className="cr-alert-rule",
    )
    items = []
    for alert in alerts[:shown]:
        subject = (
            dcc.Link(alert["subject"], href=alert["href"])
            if alert.get("href")
            else html.Strong(alert["subject"])
        )
        items.append(
            html.Li(
                [
                    html.Span(
                        t(f"cr.severity.{alert['severity']}", lang),
                        className=f"cr-severity sev-{alert['severity']}",
                    ),
                    html.Div(
                        [subject, html.P(alert["why"], className="cr-alert-why")],
                        className="cr-alert-body",
                    ),
                ],
                className=f"cr-alert sev-{alert['severity']}",
            )
        )
    children: list[Any] = [title, html.Ul(items, className="cr-alert-list")]
    if len(alerts) > shown:
        children.append(
            html.P(
                t("cr.alerts.more", lang).format(count=len(alerts) - shown),
                className="muted cr-alert-more",
            )
        )
    return html.Section(children, className=f"cr-alert-group rule-{rule}")


def freshness_panel(rows: list[dict[str, Any]], lang: str) -> Any:
    """Per domain: last load, age, expected refresh, share of units reporting, source."""
    columns = [
        ("domain", t("cr.fresh.domain", lang)),
        ("last_load", t("cr.fresh.last_load", lang)),
        ("age_days", t("cr.fresh.age", lang)),
        ("refresh_days", t("cr.fresh.refresh", lang)),
        ("coverage", t("cr.fresh.coverage", lang)),
        ("source_system", t("cr.fresh.source", lang)),
        ("status", t("cr.fresh.status", lang)),
    ]
    return data_table(rows, columns, caption=t("cr.section.freshness", lang))
