"""Callbacks of /ward/<code>: the ward's heading, KPIs, shape, trends and institutions."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import ClientsideFunction, Input, Output, State, ctx, html, no_update

from analytics.boundaries import carried_count
from analytics.kpis import MAP_KPIS, active_institutions, map_values
from callbacks.common import export_frame
from callbacks.control_room import MAP_KIND
from data_access.queries import facts, registry
from geo.vn_text import fold
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.figures import base_figure, empty_figure, estimate_symbols
from ioc_app.core.fmt import school_year_label as label
from ioc_app.core.guard import SIGNED_IN, principal
from ioc_app.core.i18n import current_language, current_theme, pick, t
from ioc_app.core.vocabulary import KIND_NAMES, LEVEL_NAMES, OWNERSHIP_NAMES
from ioc_app.core.warehouse import engine
from ioc_app.services import indicators as data
from ioc_app.services.field_access import readable_domains, visible_fields
from layouts.common import notice, page_header
from layouts.control_room_panels import kpi_tile
from layouts.grid import grid, md_link, number_format

TREND_SERIES = ("pupils", "classes", "teachers")
CALLBACKS = CallbackRegistry()


def ward_id(code: Any, units: pd.DataFrame) -> str | None:
    """The id of the 2025 ward with national ``code`` (None when there is none)."""
    if not isinstance(code, str) or not code.isalnum() or len(code) > 8:
        return None
    found = units.index[(units["kind"] == "ward") & (units["code"] == code)]
    return str(found[0]) if len(found) else None


def _row(version: str, year: int, unit: str) -> pd.DataFrame:
    measures = data.unit_measures(version, year, "ward")
    return measures[measures["unit_id"] == unit]


#: The domains whose late reports the ward's count of estimated schools spans.
ESTIMATED_DOMAINS = frozenset({"students", "staff", "facilities"})


def _sees_estimates(measures: pd.DataFrame) -> bool:
    """Whether the caller may see how many late reports were estimated: the count spans
    pupils, teachers and classrooms, so only a caller who reads all three domains."""
    return not measures.empty and readable_domains(principal()) >= ESTIMATED_DOMAINS


def _tiles(version: str, year: int, unit: str, lang: str) -> list[Any]:
    now, before = _row(version, year, unit), _row(version, year - 1, unit)
    tiles = []
    for key in visible_fields(principal(), MAP_KPIS):
        value = map_values(now, key).iloc[0] if not now.empty else None
        previous = (
            map_values(before, key).iloc[0]
            if not before.empty and year - 1 in data.school_years(version)
            else None
        )
        tiles.append(
            kpi_tile(
                {
                    "key": key,
                    "group": "ward",
                    "label": t(f"cr.map.{key}", lang),
                    "kind": MAP_KIND.get(key, "count"),
                    "value": None if value is None or pd.isna(value) else float(value),
                    "previous": None if previous is None or pd.isna(previous) else float(previous),
                    "better": None,
                },
                lang,
            )
        )
    late = int(carried_count(now["estimated_schools"]).sum()) if _sees_estimates(now) else 0
    note = [html.P(t("ward.estimated", lang).format(n=late), className="muted")] if late else []
    return [
        html.H2(t("ward.kpis", lang).format(year=label(year))),
        html.Div(tiles, className="cr-tile-row"),
        *note,
    ]


def _trends(version: str, unit: str, lang: str) -> go.Figure:
    series = visible_fields(principal(), TREND_SERIES)
    rows = []
    for year in data.school_years(version):
        row = _row(version, year, unit)
        if not row.empty:
            rows.append(
                {
                    "year": year,
                    **{k: float(row[k].iloc[0]) for k in series},
                    "estimate": bool(row["estimate"].iloc[0]),
                    "late": int(carried_count(row["estimated_schools"]).iloc[0])
                    if _sees_estimates(row)
                    else 0,
                }
            )
    frame = pd.DataFrame(rows)
    figure = base_figure(lang, current_theme(), xaxis={"dtick": 1}, legend={"orientation": "h"})
    if frame.empty:
        return figure
    names = {
        "pupils": t("cr.map.pupils", lang),
        "classes": t("school.col.classes", lang),
        "teachers": t("cr.map.teachers", lang),
    }
    for key in series:
        figure.add_scatter(
            x=frame["year"].to_numpy(),
            y=frame[key].round(0).to_numpy(),
            name=names[key],
            mode="lines+markers",
            marker={
                "size": 8,
                "symbol": estimate_symbols(frame["estimate"], frame["late"]),
            },
        )
    return figure


def _schools(version: str, unit: str, year: int, lang: str) -> pd.DataFrame:
    """The ward's institutions open in ``year`` with their pupils: schools first (by kind,
    then level), each group by name as Vietnamese readers sort it (diacritics folded)."""
    schools = active_institutions(registry.institutions(engine(), ward_id=unit), year).copy()
    if visible_fields(principal(), ["pupils"]):
        pupils = facts.enrolment(engine(), [year])
        totals = pupils.groupby("institution_id")["pupils"].sum()
        schools["pupils"] = schools["id"].map(totals)
    order = pd.DataFrame(
        {
            "kind": schools["kind"].map({k: i for i, k in enumerate(KIND_NAMES)}),
            "level": schools["level"].map({k: i for i, k in enumerate(LEVEL_NAMES)}),
            "name": schools["name"].map(lambda name: fold(str(name))),
        }
    ).fillna({"kind": len(KIND_NAMES), "level": len(LEVEL_NAMES)})
    ranked = order.sort_values(["kind", "level", "name"], kind="stable").index
    return schools.loc[ranked].reset_index(drop=True)


def _schools_table(schools: pd.DataFrame, lang: str) -> Any:
    if schools.empty:
        return html.P(t("empty.no_data", lang), className="empty-state")
    rows = [
        {
            "name": md_link(row.name, f"/school/{row.id}"),
            "kind": pick(*KIND_NAMES.get(row.kind, (row.kind,) * 2), lang),
            "level": pick(*LEVEL_NAMES.get(row.level, ("—", "—")), lang),
            "ownership": pick(*OWNERSHIP_NAMES.get(row.ownership, (row.ownership,) * 2), lang),
            **(
                {"pupils": None if pd.isna(row.pupils) else float(row.pupils)}
                if "pupils" in schools
                else {}
            ),
        }
        for row in schools.itertuples()
    ]
    columns = [
        {
            "id": c,
            "name": t(f"ward.col.{c}", lang),
            **({"presentation": "markdown"} if c == "name" else {}),
        }
        for c in ("name", "kind", "level", "ownership")
    ]
    if "pupils" in schools:
        columns.append(
            {
                "id": "pupils",
                "name": t("ward.col.pupils", lang),
                "type": "numeric",
                "format": number_format(0),
            }
        )
    return grid(rows, columns, lang, first_column="name")


@CALLBACKS.callback(
    SIGNED_IN,
    Output(ids.WARD_HEADER, "children"),
    Output(ids.WARD_KPIS, "children"),
    Output(ids.WARD_UNIT_LAYER, "data"),
    Output(ids.WARD_UNIT_LAYER, "hideout"),
    Output(ids.WARD_TRENDS, "figure"),
    Output(ids.WARD_SCHOOLS, "children"),
    Output(ids.WARD_YEAR, "options"),
    Output(ids.WARD_YEAR, "value"),
    Input(ids.WARD_CODE, "data"),
    Input(ids.WARD_YEAR, "value"),
)
def ward_page(code: Any, year: Any) -> tuple[Any, ...]:
    """Page load or another school year → heading, KPIs, the ward's shape, trends, its
    institutions, and the years to choose from."""
    version = data.version()
    chosen = data.pick_year(version, year)
    years = [{"label": label(y), "value": y} for y in reversed(data.school_years(version))]
    return (*_ward_view(version, code, chosen), years, chosen)


def _ward_view(version: str, code: Any, chosen: int | None) -> tuple[Any, ...]:
    lang = current_language()
    ref = data.reference(version)
    units = ref["units"]
    unit = ward_id(code, units)
    if unit is None:
        empty = empty_figure(lang, current_theme())
        return (
            notice(t("ward.unknown", lang).format(code=code), kind="error"),
            None,
            None,
            no_update,
            empty,
            None,
        )
    audit.record("read", f"ward/{code}", f"year={chosen}")
    name = pick(units.loc[unit, "name"], units.loc[unit, "name_en"], lang)
    sources = ref["crosswalk"][ref["crosswalk"]["new_unit_id"] == unit]
    formed = [
        (units.loc[s.old_unit_id, "name"] if s.old_unit_id in units.index else s.old_unit_id)
        + (f" ({t('ward.split', lang)})" if s.partly_merged else "")
        for s in sources.itertuples()
    ]
    header = html.Div(
        [
            page_header(name, t("ward.title", lang) + f" · {code}", generated=True),
            html.P(
                [html.Strong(t("ward.formed_from", lang) + ": "), "; ".join(formed) or "—"],
                className="muted",
            ),
        ]
    )
    shape = registry.unit_features(engine(), "ward", unit_ids=[unit])
    hideout = {"classes": {unit: 0}, "colors": ["#9ecae1"], "estimates": [], "labels": {}}
    if chosen is None:
        return (
            header,
            notice(t("cr.empty", lang)),
            shape,
            hideout,
            _trends(version, unit, lang),
            _schools_table(pd.DataFrame(), lang),
        )
    return (
        header,
        _tiles(version, chosen, unit, lang),
        shape,
        hideout,
        _trends(version, unit, lang),
        _schools_table(_schools(version, unit, chosen, lang), lang),
    )


@CALLBACKS.callback(
    SIGNED_IN,
    Output(ids.WARD_DOWNLOAD, "data"),
    inputs=dict(
        csv_clicks=Input(ids.WARD_EXPORT, "n_clicks"),
        xlsx_clicks=Input(ids.WARD_EXPORT_XLSX, "n_clicks"),
    ),
    state=dict(code=State(ids.WARD_CODE, "data"), year=State(ids.WARD_YEAR, "value")),
    prevent_initial_call=True,
)
def export_schools(csv_clicks: Any, xlsx_clicks: Any, code: Any, year: Any) -> Any:
    """Export buttons → the ward's institutions as CSV or Excel (audited)."""
    version = data.version()
    unit = ward_id(code, data.reference(version)["units"])
    if not (csv_clicks or xlsx_clicks) or unit is None:
        return no_update
    chosen = data.pick_year(version, year) or 0
    frame = _schools(version, unit, chosen, current_language())
    fmt = "xlsx" if ctx.triggered_id == ids.WARD_EXPORT_XLSX else "csv"
    return export_frame(frame, f"ward_{code}_institutions_{chosen}", fmt)


CALLBACKS.clientside(
    ClientsideFunction("iocWard", "yearInUrl"),  # assets/ward.js
    Output(ids.URL, "search", allow_duplicate=True),
    Input(ids.WARD_YEAR, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
CALLBACKS.clientside(
    # The control room's school layer and this page's are the same (assets/control_room.js).
    ClientsideFunction("iocControlRoom", "schoolClick"),
    Output(ids.URL, "href", allow_duplicate=True),
    Input(ids.WARD_SCHOOLS_LAYER, "clickData"),
    prevent_initial_call=True,
)


def register(app: Any) -> None:
    """Wire the ward page's callbacks into ``app``."""
    CALLBACKS.register(app)
