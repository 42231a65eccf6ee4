"""Small building blocks shared by page layouts (headings, notices, empty states)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app.core.fmt import fmt_number
from ioc_app.core.i18n import add_texts, t


def page_header(title: str, subtitle: str | None = None, *, generated: bool = False) -> Any:
    """A page's heading, with a 'generated data' badge when its figures are generated."""
    children: list[Any] = [html.H1(title)]
    if generated:
        children.append(
            html.Span(
                t("data.generated_badge"),
                className="badge badge-generated",
                title=t("data.generated_note"),
            )
        )
    if subtitle:
        children.append(html.P(subtitle, className="muted"))
    return html.Div(children, className="page-header")


def notice(text: str, *, kind: str = "info") -> Any:
    """A notice box; ``kind`` is info, warning or error."""
    return html.Div(text, className=f"notice notice-{kind}", role="status")


def forbidden(home: str = "/") -> Any:
    """What a page shows to a caller who may not open it; ``home`` is a page they may open
    (a planner's is the forecast: the control room would refuse them again)."""
    return html.Div(
        [html.H1("403"), html.P(t("error.403")), html.A(t("error.back"), href=home)],
        className="error-page",
    )


def not_found() -> Any:
    """What an unknown path shows."""
    return html.Div(
        [html.H1("404"), html.P(t("error.404")), html.A(t("error.back"), href="/")],
        className="error-page",
    )


def export_actions(
    csv_id: str, xlsx_id: str, download_id: str, lang: str | None = None
) -> list[Any]:
    """The CSV and Excel buttons of a table, and the download they feed."""
    return [
        html.Div(
            [
                html.Button(t("export.csv", lang), id=csv_id, type="button", className="button"),
                html.Button(t("export.xlsx", lang), id=xlsx_id, type="button", className="button"),
            ],
            className="dom-actions",
            role="group",
        ),
        dcc.Download(id=download_id),
    ]


def data_table(
    rows: list[dict[str, Any]],
    columns: list[tuple[str, str]],
    *,
    caption: str | None = None,
    empty: str | None = None,
) -> Any:
    """An accessible HTML table of ``rows`` (Dash escapes every value it renders)."""
    if not rows:
        return html.P(empty or t("empty.no_data"), className="empty-state")
    head = html.Thead(html.Tr([html.Th(label, scope="col") for _, label in columns]))
    body = html.Tbody(
        [html.Tr([html.Td(_cell(row.get(key))) for key, _ in columns]) for row in rows]
    )
    parts = ([html.Caption(caption)] if caption else []) + [head, body]
    return html.Table(parts, className="data-table")


def _cell(value: Any) -> Any:
    if value is None:
        return "—"
    if isinstance(value, float):
        return fmt_number(value, "ratio")
    if isinstance(value, int) and not isinstance(value, bool):
        return fmt_number(value, "count")
    return str(value)


#: The shared style of areas coloured by class, and its hover (assets/choropleth.js).
CHOROPLETH_STYLE = {"variable": "iocChoropleth.areaStyle"}
CHOROPLETH_HOVER = {"variable": "iocChoropleth.areaHover"}


#: The mark the seed puts on member-system names it had to assume.
ASSUMED = " (assumed)"
add_texts({"source.assumed": ("giả định", "assumed")})


def system_name(name: str | None, lang: str | None = None) -> str:
    """A member system's name with its "(assumed)" mark in the page's language."""
    if not name:
        return "—"
    if name.endswith(ASSUMED):
        return f"{name[: -len(ASSUMED)]} ({t('source.assumed', lang)})"
    return name
