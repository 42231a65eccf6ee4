"""Large tables as Dash DataTables: sortable and filterable in the browser, in the page's
theme, numbers in the reader's convention (Vietnamese groups thousands with "." and writes
decimals with ",").

Why not HTML tables: the Dash renderer takes seconds for a few hundred rows of html.Td and
dcc.Link (a ward of 127 schools took 3.3 s to draw), and AG Grid's 1.3 MB bundle slowed
the start of every page. Links are markdown cells: the text is escaped for markdown and the
table renders no raw HTML, so a name full of markup stays text.
"""

from __future__ import annotations

import re
from typing import Any

from dash import dash_table, html
from dash.dash_table.Format import Format, Group, Scheme

from ioc_app.core.fmt import number_symbols
from ioc_app.core.i18n import add_texts, t

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
add_texts({"grid.filter": ("lọc…", "filter…")})
FONT = "system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"


def md_link(text: str, href: str) -> str:
    """A markdown link whose text shows ``text`` literally (all punctuation escaped)."""
    escaped = _PUNCTUATION.sub(r"\\\1", str(text))
    return f"[{escaped}]({href})"


def number_format(precision: int, suffix: str = "") -> Format:
    """Grouped fixed-point numbers; missing values show as a dash."""
    return Format(
        precision=precision, scheme=Scheme.fixed, group=Group.yes, symbol_suffix=suffix, nully="—"
    )


def grid(
    rows: list[dict[str, Any]],
    columns: list[dict[str, Any]],
    lang: str,
    *,
    page_size: int | None = None,
    height: str = "520px",
    first_column: str | None = None,
) -> Any:
    """A DataTable of ``rows``. With ``page_size`` it pages; without, it scrolls inside
    ``height`` with the header kept in view. ``first_column`` is left-aligned and wider."""
    decimal, group = number_symbols(lang)
    paging: dict[str, Any] = (
        {"page_action": "native", "page_size": page_size, "style_table": {"overflowX": "auto"}}
        if page_size
        else {
            "page_action": "none",
            "fixed_rows": {"headers": True},
            "style_table": {"maxHeight": height, "overflowY": "auto", "overflowX": "auto"},
        }
    )
    conditional: list[dict[str, Any]] = [{"if": {"column_type": "numeric"}, "textAlign": "right"}]
    if first_column:
        conditional.append({"if": {"column_id": first_column}, "minWidth": "180px"})
    return html.Div(
        dash_table.DataTable(
            data=rows,
            columns=columns,
            sort_action="native",
            filter_action="native",
            markdown_options={"link_target": "_self", "html": False},
            locale_format={"group": group, "decimal": decimal},
            style_cell={
                "minWidth": "90px",
                "maxWidth": "320px",
                "whiteSpace": "normal",
                "textAlign": "left",
                "fontFamily": FONT,
                "fontSize": "14px",
                "padding": "6px 8px",
                "backgroundColor": "var(--surface)",
                "color": "var(--text)",
                "border": "1px solid var(--border)",
            },
            style_header={"fontWeight": "600", "backgroundColor": "var(--bg)"},
            style_filter={"backgroundColor": "var(--bg)"},
            style_cell_conditional=conditional,
            css=[
                {"selector": ".dash-filter input", "rule": "color: var(--text)"},
                {"selector": ".dash-cell-value p", "rule": "margin: 0"},
                {"selector": ".dash-cell-value a", "rule": "color: var(--accent)"},
            ],
            filter_options={"placeholder_text": t("grid.filter", lang), "case": "insensitive"},
            cell_selectable=False,
            **paging,
        ),
        className="ioc-grid",
    )
