"""The ranking by area and the schools of /dx as Dash DataTables (sortable, filterable).

One DataTable instead of an HTML table: a few hundred rows of html.Td and dcc.Link took
the Dash renderer about 30 s at city scale. Links are markdown cells; every name is
escaped for markdown and the table renders no raw HTML.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from dash import dash_table, html
from dash.dash_table.Format import Format, Group, Scheme

from ioc_app.i18n import pick, t

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
STATUSES = ("draft", "submitted", "self_assessed", "returned", "reviewed", "published")


def md_link(text: str, href: str) -> str:
    """A markdown link whose text shows ``text`` literally (all punctuation escaped)."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    return f"[{escaped}]({href})"


def _number(precision: int, suffix: str = "") -> Format:
    return Format(precision=precision, scheme=Scheme.fixed, group=Group.yes,
                  symbol_suffix=suffix, nully="—")


def grid(rows: list[dict[str, Any]], columns: list[dict[str, Any]], lang: str, *,
         page_size: int = 25) -> Any:
    """A DataTable in the page's theme, numbers in the reader's convention."""
    vi = lang == "vi"
    return html.Div(dash_table.DataTable(
        data=rows, columns=columns, sort_action="native", filter_action="native",
        page_action="native", page_size=page_size, markdown_options={"link_target": "_self",
                                                                    "html": False},
        locale_format={"group": "." if vi else ",", "decimal": "," if vi else "."},
        style_table={"overflowX": "auto"},
        style_cell={"minWidth": "90px", "maxWidth": "320px", "whiteSpace": "normal",
                    "fontFamily": "system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif",
                    "fontSize": "14px", "padding": "6px 8px", "textAlign": "left",
                    "backgroundColor": "var(--surface)", "color": "var(--text)",
                    "border": "1px solid var(--border)"},
        style_header={"fontWeight": "600", "backgroundColor": "var(--bg)"},
        style_filter={"backgroundColor": "var(--bg)"},
        css=[{"selector": ".dash-filter input", "rule": "color: var(--text)"},
             {"selector": ".dash-cell-value p", "rule": "margin: 0"},
             {"selector": ".dash-cell-value a", "rule": "color: var(--accent)"}],
        filter_options={"placeholder_text": t("dx.filter", lang), "case": "insensitive"},
        cell_selectable=False), className="ioc-grid")


def _unit_name(units: pd.DataFrame, unit: Any, lang: str) -> str:
    if isinstance(unit, str) and unit in units.index:
        return pick(units.loc[unit, "name"], units.loc[unit, "name_en"], lang)
    return "—" if unit is None or pd.isna(unit) else str(unit)


def ranking_table(rows: pd.DataFrame, units: pd.DataFrame, geo: str, year: int,
                  lang: str) -> Any:
    """The areas ranked by share at level 2+, each 2025 ward linking to its page."""
    data = []
    for rank, row in enumerate(rows.itertuples(), start=1):
        name = _unit_name(units, row.area, lang)
        linked = geo == "ward" and row.area in units.index
        data.append({
            "rank": rank,
            "area": md_link(name, f"/ward/{units.loc[row.area, 'code']}?year={year}")
            if linked else name,
            "schools": int(row.schools), "published": int(row.published),
            "share_level2plus": None if pd.isna(row.share_level2plus)
            else round(float(row.share_level2plus) * 100, 1),
            "level3": int(row.level3), "not_assessed": int(row.not_assessed)})
    columns = [{"id": "rank", "name": "#", "type": "numeric"},
               {"id": "area", "name": t("dx.col.area", lang), "type": "text",
                "presentation": "markdown" if geo == "ward" else "input"}]
    for key in ("schools", "published", "share_level2plus", "level3", "not_assessed"):
        columns.append({"id": key, "name": t(f"dx.col.{key}", lang), "type": "numeric",
                        "format": _number(1, " %") if key == "share_level2plus"
                        else _number(0)})
    return grid(data, columns, lang, page_size=30)


def schools_table(rows: pd.DataFrame, units: pd.DataFrame, geo: str, lang: str,
                  edu_levels: dict[str, tuple[str, str]]) -> Any:
    """The schools with status, group scores and published level; names link to
    /school/<id>, wards to /ward/<code>."""
    def score(value: Any) -> float | None:
        return None if pd.isna(value) else float(value)

    data = []
    for row in rows.itertuples():
        ward = _unit_name(units, row.ward_id, lang)
        status = row.status if isinstance(row.status, str) else "none"
        item = {
            "name": md_link(str(row.name), f"/school/{int(row.institution_id)}"),
            "ward": md_link(ward, f"/ward/{units.loc[row.ward_id, 'code']}")
            if row.ward_id in units.index else ward,
            "edu_level": pick(*edu_levels.get(row.edu_level, ("—", "—")), lang),
            "status": t(f"dx.status.{status}", lang)
            if status in (*STATUSES, "none") else status,
            "self_group1": score(row.self_group1), "self_group2": score(row.self_group2),
            "reviewed_group1": score(row.reviewed_group1),
            "reviewed_group2": score(row.reviewed_group2),
            "level": t(f"dx.level.{int(row.level)}", lang) if not pd.isna(row.level) else "—",
            "generated": t("dx.yes", lang) if row.generated else ""}
        if geo == "old_district":
            item["old_district"] = _unit_name(units, row.area, lang)
        data.append(item)
    columns = [{"id": "name", "name": t("dx.col.name", lang), "type": "text",
                "presentation": "markdown"},
               {"id": "ward", "name": t("dx.col.ward", lang), "type": "text",
                "presentation": "markdown"}]
    if geo == "old_district":
        columns.append({"id": "old_district", "name": t("dx.col.old_district", lang),
                        "type": "text"})
    columns += [{"id": "edu_level", "name": t("dx.col.edu_level", lang), "type": "text"},
                {"id": "status", "name": t("dx.col.status", lang), "type": "text"}]
    columns += [{"id": f"{kind}_group{g}", "name": t(f"dx.col.{kind}{g}", lang),
                 "type": "numeric", "format": _number(1)}
                for kind in ("self", "reviewed") for g in (1, 2)]
    columns += [{"id": "level", "name": t("dx.col.level", lang), "type": "text"},
                {"id": "generated", "name": t("dx.col.generated", lang), "type": "text"}]
    return grid(data, columns, lang)
