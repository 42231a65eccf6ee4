"""Callbacks of /: the data-freshness summary."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, Output, html

from data_access.queries.status import freshness
from ioc_app import ids
from ioc_app.guard import SIGNED_IN, guarded_callback
from ioc_app.i18n import current_language, pick, t
from ioc_app.warehouse import engine
from layouts.common import data_table


def freshness_panel(_tick: Any) -> Any:
    """Page load or a minute passed → freshness of each data domain."""
    lang = current_language()
    frame = freshness(engine())
    rows = [
        {
            "domain": pick(row.name_vi, row.name_en, lang),
            "last_load": "—" if pd.isna(row.last_load) else f"{row.last_load:%Y-%m-%d}",
            "age_days": None if pd.isna(row.age_days) else int(row.age_days),
            "status": t("status.stale" if row.stale else "status.fresh", lang),
        }
        for row in frame.itertuples()
    ]
    columns = [("domain", t("col.domain")), ("last_load", t("col.last_load")),
               ("age_days", t("col.age_days")), ("status", t("col.status"))]
    return html.Section([html.H2(t("home.freshness")), data_table(rows, columns)])


def register(app: Any) -> None:
    """Wire this page's callbacks into ``app``."""
    guarded_callback(app, SIGNED_IN, Output(ids.HOME_HEALTH, "children"),
                     Input(ids.HOME_REFRESH, "n_intervals"))(freshness_panel)
