"""/: the signed-in start page (replaced by the control room)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app import ids
from ioc_app.i18n import current_language, t
from layouts.common import page_header


def layout(**_params: Any) -> Any:
    """Welcome text and the data-freshness summary (filled by a callback)."""
    lang = current_language()
    return html.Div(
        [
            page_header(t("home.title", lang), t("app.department", lang), generated=True),
            dcc.Interval(id=ids.HOME_REFRESH, interval=60_000),
            dcc.Loading(html.Div(id=ids.HOME_HEALTH)),
        ]
    )
