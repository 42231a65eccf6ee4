"""Callbacks of /about/data: fill the sources table; export it as CSV or Excel."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, ctx, no_update

from callbacks.common import export_frame
from data_access.queries.status import data_sources
from ioc_app.core import audit, ids, ratelimit
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.guard import PUBLIC
from ioc_app.core.i18n import current_language, t
from ioc_app.core.warehouse import cache, engine
from layouts.about_data import source_title
from layouts.common import data_table

CALLBACKS = CallbackRegistry()


@cache.memoize(timeout=300)
def _sources() -> list[dict[str, Any]]:
    return data_sources(engine()).to_dict("records")


@CALLBACKS.callback(
    PUBLIC, Output(ids.ABOUT_SOURCES_TABLE, "children"), Input(ids.ABOUT_SOURCES_TABLE, "id")
)
def sources_table(_: Any) -> Any:
    """Page load → the table of every data source."""
    audit.record("read", "about/data")
    lang = current_language()
    rows = [
        {
            **row,
            "title": source_title(row["key"], row["title"], lang),
            "kind": t("about.generated") if row["generated"] else t("about.real"),
        }
        for row in _sources()
    ]
    columns = [
        ("title", t("about.col.title")),
        ("origin", t("about.col.origin")),
        ("licence", t("about.col.licence")),
        ("kind", t("about.col.kind")),
        ("rows", t("about.col.rows")),
    ]
    return data_table(rows, columns, caption=t("about.title"))


@CALLBACKS.callback(
    PUBLIC,
    Output(ids.ABOUT_DOWNLOAD, "data"),
    Input(ids.ABOUT_DOWNLOAD_BUTTON, "n_clicks"),
    Input(ids.ABOUT_DOWNLOAD_XLSX, "n_clicks"),
    prevent_initial_call=True,
)
def download_sources(csv_clicks: int | None, xlsx_clicks: int | None) -> Any:
    """Export buttons → the sources table as CSV or Excel."""
    if not (csv_clicks or xlsx_clicks):
        return no_update
    ratelimit.check_export()  # 429 past the public export limit, before any work
    import pandas as pd

    fmt = "xlsx" if ctx.triggered_id == ids.ABOUT_DOWNLOAD_XLSX else "csv"
    return export_frame(pd.DataFrame(_sources()), "data_sources", fmt)


def register(app: Any) -> None:
    """Wire this page's callbacks into ``app``."""
    CALLBACKS.register(app)
