"""The domain pages' data-quality panel, and its worklist export: every institution a
data officer must chase — not reported, outlying value, duplicate, bad coordinates."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, Output, State, ctx, html, no_update

from callbacks.common import export_frame
from ioc_app.core import ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.fmt import fmt_number
from ioc_app.core.guard import Access
from ioc_app.core.i18n import pick, t
from ioc_app.services import domains as data
from ioc_app.services.indicators import pick_year, reference, version
from layouts.common import data_table

#: Who may call the domain pages' callbacks (callbacks.domain wires these with its own).
ACCESS = Access.of("leadership", "department")
CALLBACKS = CallbackRegistry()
#: Rows of each check shown on the page.
SHOWN = 10
#: Columns of the worklist file.
WORKLIST = ["problem", "institution_id", "code", "name", "area", "detail"]


def quality_panel(report: dict[str, Any], names: Any, lang: str) -> Any:
    """The quality panel: the first rows of each check (the worklist export has them all)."""

    def name(unit: str) -> str:
        if unit in names.index:
            row = names.loc[unit]
            return pick(row["name"], row["name_en"], lang)
        return unit

    complete = report["completeness"].head(SHOWN)
    rows = [
        {
            "area": name(r.area),
            "expected": int(r.expected),
            "reported": int(r.reported),
            "share": fmt_number(r.share, "share", lang),
        }
        for r in complete.itertuples()
    ]
    outliers = [
        {
            "institution": r.name,
            "value": fmt_number(r.value, "ratio", lang),
            "z": fmt_number(r.z, "ratio", lang),
        }
        for r in report["outliers"].head(SHOWN).itertuples()
    ]
    duplicates = [
        {"group": int(r.group), "institution": r.name, "area": name(r.ward_id)}
        for r in report["duplicates"].head(SHOWN).itertuples()
    ]
    coordinates = [
        {"institution": r.name, "problem": t(f"dom.problem.{r.problem}", lang)}
        for r in report["coordinates"].head(SHOWN).itertuples()
    ]
    none = t("dom.quality.none", lang)

    def block(key: str, count: int, table: Any) -> Any:
        return html.Div([html.H3(f"{t(key, lang)} ({count})"), table])

    return html.Div(
        [
            block(
                "dom.quality.completeness",
                int((report["completeness"]["missing"] > 0).sum()),
                data_table(
                    rows,
                    [
                        ("area", t("dom.col.area", lang)),
                        ("expected", t("dom.col.expected", lang)),
                        ("reported", t("dom.col.reported", lang)),
                        ("share", t("dom.col.share", lang)),
                    ],
                    empty=none,
                ),
            ),
            block(
                "dom.quality.outliers",
                len(report["outliers"]),
                data_table(
                    outliers,
                    [
                        ("institution", t("dom.col.institution", lang)),
                        ("value", t("dom.col.value", lang)),
                        ("z", t("dom.col.z", lang)),
                    ],
                    empty=none,
                ),
            ),
            block(
                "dom.quality.duplicates",
                len(report["duplicates"]),
                data_table(
                    duplicates,
                    [
                        ("group", t("dom.col.group", lang)),
                        ("institution", t("dom.col.institution", lang)),
                        ("area", t("dom.col.area", lang)),
                    ],
                    empty=none,
                ),
            ),
            block(
                "dom.quality.coordinates",
                len(report["coordinates"]),
                data_table(
                    coordinates,
                    [
                        ("institution", t("dom.col.institution", lang)),
                        ("problem", t("dom.col.problem", lang)),
                    ],
                    empty=none,
                ),
            ),
        ],
        className="dom-quality-grid",
    )


def worklist(
    report: dict[str, pd.DataFrame], names: pd.DataFrame, keys: pd.DataFrame
) -> pd.DataFrame:
    """Every institution of the quality report with its problem, one row per problem:
    ``not_reported``, ``outlier`` (value and z), ``duplicate`` (group), and the coordinate
    problems (``missing``, ``outside``…)."""

    def area(unit: Any) -> Any:
        return names.loc[unit, "name"] if unit in names.index else unit

    parts = [
        report["missing"].assign(
            problem="not_reported", detail="", institution_id=report["missing"]["id"]
        ),
        report["outliers"].assign(
            problem="outlier",
            detail=[
                f"value={v:g}; z={z:.1f}"
                for v, z in zip(report["outliers"]["value"], report["outliers"]["z"], strict=True)
            ],
        ),
        report["duplicates"].assign(
            problem="duplicate",
            detail=[f"group {g}" for g in report["duplicates"]["group"]],
            institution_id=report["duplicates"]["id"],
            area=report["duplicates"]["ward_id"],
        ),
        report["coordinates"].assign(
            problem=report["coordinates"]["problem"],
            detail="",
            institution_id=report["coordinates"]["id"],
        ),
    ]
    frame = pd.concat([p.reindex(columns=WORKLIST) for p in parts], ignore_index=True)
    frame["code"] = frame["code"].fillna(frame["institution_id"].map(keys["code"]))
    frame["area"] = frame["area"].fillna(frame["institution_id"].map(keys["ward_id"])).map(area)
    return frame


@CALLBACKS.callback(
    ACCESS,
    Output(ids.DOM_QUALITY_DOWNLOAD, "data"),
    inputs=dict(
        _csv=Input(ids.DOM_QUALITY_CSV, "n_clicks"),
        _xlsx=Input(ids.DOM_QUALITY_XLSX, "n_clicks"),
    ),
    state=dict(
        year=State(ids.DOM_YEAR, "value"),
        geo=State(ids.DOM_GEO, "value"),
        key=State(ids.DOM_INDICATOR, "value"),
        slug=State(ids.DOM_SLUG, "data"),
    ),
    prevent_initial_call=True,
)
def export_worklist(_csv: Any, _xlsx: Any, year: Any, geo: Any, key: Any, slug: Any) -> Any:
    """Worklist buttons → every institution the quality checks found (audited)."""
    row = data.authorised(slug)
    if ctx.triggered_id not in (ids.DOM_QUALITY_CSV, ids.DOM_QUALITY_XLSX):
        return no_update
    v = version()
    chosen = pick_year(v, year)
    if chosen is None:
        return no_update
    geo = geo if geo in ("ward", "old_district") else "ward"
    item = data.indicator(row["id"], key)
    report = data.quality_report(v, row["id"], chosen, geo, item.key)
    frame = worklist(report, reference(v)["units"], data.institution_keys(v))
    fmt = "xlsx" if ctx.triggered_id == ids.DOM_QUALITY_XLSX else "csv"
    return export_frame(frame, f"{row['slug']}_{chosen}_quality_worklist", fmt)
