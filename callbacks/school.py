"""Callbacks of /school/<id>: the institution's registry facts, its figures and trends."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from callbacks.common import export_frame
from data_access.queries import facts, registry
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.figures import base_figure, empty_figure
from ioc_app.core.fmt import fmt_date, fmt_number
from ioc_app.core.fmt import school_year_label as label
from ioc_app.core.guard import SIGNED_IN, principal
from ioc_app.core.i18n import current_language, current_theme, pick, t
from ioc_app.core.vocabulary import KIND_NAMES, LEVEL_NAMES, OWNERSHIP_NAMES
from ioc_app.core.warehouse import engine
from ioc_app.services import dx_next
from ioc_app.services import indicators as data
from ioc_app.services.field_access import visible_fields
from layouts.common import data_table, notice, page_header
from layouts.dx_plan import plan_panel
from layouts.map_texts import LICENCE_LABELS
from layouts.map_texts import label as label_of

CALLBACKS = CallbackRegistry()


def institution_id(value: Any) -> int | None:
    """The id in the path when it is a plain number."""
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def figures(school: int) -> pd.DataFrame:
    """The institution's figures per school year: pupils, classes, teachers, rooms and DX
    level of a school; learners, staff, courses, inspections and violations of a centre."""
    bind = engine()
    enrol = (
        facts.enrolment(bind, institution_id=school)
        .groupby("school_year")[["pupils", "classes"]]
        .sum()
    )
    staff = facts.staff(bind, institution_id=school).groupby("school_year")["teachers"].sum()
    rooms = facts.facility(bind, institution_id=school).groupby("school_year")["classrooms"].sum()
    dx = facts.dx_levels(bind, institution_id=school).set_index("school_year")["level"]
    activity = facts.nonpublic(bind, institution_id=school).set_index("school_year")
    frame = pd.concat([enrol, staff, rooms, dx.rename("dx_level"), activity], axis=1).sort_index()
    frame.index.name = "school_year"
    frame = frame.reset_index()
    frame["class_size"] = frame["pupils"] / frame["classes"].replace(0, float("nan"))
    frame["pupil_teacher_ratio"] = frame["pupils"] / frame["teachers"].replace(0, float("nan"))
    return frame


def visible_figures(school: int) -> pd.DataFrame:
    """:func:`figures` cut to the columns the caller may see (see services/field_access)."""
    frame = figures(school)
    return frame[["school_year", *visible_fields(principal(), frame.columns)]]


#: Table columns: (key, text key, number kind); a column shows when it has a value.
COLUMNS = (
    ("pupils", "school.col.pupils", "count"),
    ("classes", "school.col.classes", "count"),
    ("class_size", "school.col.class_size", "ratio"),
    ("teachers", "school.col.teachers", "count"),
    ("pupil_teacher_ratio", "school.col.ratio", "ratio"),
    ("classrooms", "school.col.classrooms", "count"),
    ("learners", "school.col.learners", "count"),
    ("staff", "school.col.staff", "count"),
    ("courses", "school.col.courses", "count"),
    ("inspections", "school.col.inspections", "count"),
    ("violations", "school.col.violations", "count"),
)
#: Series of the trend chart.
TRENDS = ("pupils", "teachers", "classrooms", "learners", "staff")


def _licence(row: dict[str, Any], lang: str) -> str:
    status = row.get("licence_status")
    if not status:
        return "—"
    return t("school.licence.detail", lang).format(
        status=label_of(LICENCE_LABELS, status, lang),
        number=row.get("licence_no") or "—",
        start=fmt_date(row.get("licence_issued"), lang),
        end=fmt_date(row.get("licence_valid_until"), lang),
    )


def _open_years(row: dict[str, Any], lang: str) -> Any:
    """``Từ năm học 2012–2013`` or, for a closed institution, when it closed (flagged)."""
    opened, closed = row.get("opened_year"), row.get("closed_year")
    since = t("school.open.since", lang).format(year=label(int(opened))) if opened else "—"
    if closed is None or pd.isna(closed):
        return since
    ended = t("school.open.closed", lang).format(year=label(int(closed)))
    return html.Span([since, " · ", html.Strong("⚠ " + ended)], className="school-closed")


def _header(row: dict[str, Any], ref: dict[str, Any], lang: str) -> Any:
    units = ref["units"]

    def unit_name(unit: Any) -> str:
        if unit is None or unit not in units.index:
            return "—"
        return pick(units.loc[unit, "name"], units.loc[unit, "name_en"], lang)

    ward = row["ward_id"]
    ward_link = (
        dcc.Link(unit_name(ward), href=f"/ward/{units.loc[ward, 'code']}")
        if ward in units.index
        else "—"
    )
    located = row["lon"] is not None and not pd.isna(row["lon"])
    facts_list = [
        ("school.kind", pick(*KIND_NAMES.get(row["kind"], (row["kind"],) * 2), lang)),
        ("school.level", pick(*LEVEL_NAMES.get(row["level"], ("—", "—")), lang)),
        (
            "school.ownership",
            pick(*OWNERSHIP_NAMES.get(row["ownership"], (row["ownership"],) * 2), lang),
        ),
        ("school.address", row["address"] or "—"),
        ("school.ward", ward_link),
        ("school.old_ward", unit_name(row["old_ward_id"])),
        ("school.open", _open_years(row, lang)),
        ("school.licence", _licence(row, lang)),
        (
            "school.location",
            f"{row['lat']:.5f}, {row['lon']:.5f}" if located else t("school.no_location", lang),
        ),
    ]
    items = []
    for key, value in facts_list:
        items += [html.Dt(t(key, lang)), html.Dd(value)]
    return html.Div(
        [
            page_header(row["name"], row["code"], generated=bool(row["generated"])),
            html.Dl(items, className="school-facts"),
        ],
        className="card",
    )


@CALLBACKS.callback(
    SIGNED_IN,
    Output(ids.SCHOOL_HEADER, "children"),
    Output(ids.SCHOOL_FIGURES, "children"),
    Output(ids.SCHOOL_TRENDS, "figure"),
    Input(ids.SCHOOL_ID, "data"),
)
def school_page(value: Any) -> tuple[Any, Any, Any]:
    """Page load → registry facts, figures by year, trends."""
    lang = current_language()
    school = institution_id(value)
    found = (
        registry.institutions(engine(), institution_id=school)
        if school is not None
        else pd.DataFrame()
    )
    if found.empty:
        return (
            notice(t("school.unknown", lang).format(id=value), kind="error"),
            None,
            empty_figure(lang, current_theme()),
        )
    audit.record("read", f"school/{school}")
    row = found.iloc[0].to_dict()
    frame = visible_figures(school)
    shown = [c for c in COLUMNS if c[0] in frame and frame[c[0]].notna().any()]
    rows = [
        {
            "year": label(int(r["school_year"])),
            **{key: fmt_number(r.get(key), kind, lang) for key, _, kind in shown},
            "dx": "—" if pd.isna(r.get("dx_level")) else int(r["dx_level"]),
        }
        for r in frame.to_dict("records")
    ]
    columns = [("year", t("school.col.year", lang))]
    columns += [(key, t(text, lang)) for key, text, _ in shown]
    if "dx_level" in frame and frame["dx_level"].notna().any():
        columns.append(("dx", t("school.col.dx", lang)))
    figure = base_figure(lang, current_theme(), xaxis={"dtick": 1}, legend={"orientation": "h"})
    for key in TRENDS:
        if key in frame and frame[key].notna().any():
            figure.add_scatter(
                x=frame["school_year"].to_numpy(),
                y=frame[key].to_numpy(),
                mode="lines+markers",
                name=t(f"school.col.{key}", lang),
            )
    if not figure.data:  # an empty state, not bare axes
        figure = empty_figure(lang, current_theme(), t("school.empty.figures", lang))
    restricted = len(frame.columns) == 1  # the caller may see none of the figures
    empty = t("school.figures.restricted" if restricted else "school.empty.figures", lang)
    table = data_table([] if restricted else rows, columns, empty=empty)
    return _header(row, data.reference(data.version()), lang), table, figure


@CALLBACKS.callback(SIGNED_IN, Output(ids.SCHOOL_DX_PLAN, "children"), Input(ids.SCHOOL_ID, "data"))
def dx_plan(value: Any) -> Any:
    """Page load → what the school needs to reach the next DX level in its latest assessed
    year (only for a caller who may see it: see services/dx_next)."""
    lang = current_language()
    school = institution_id(value)
    if school is None or not dx_next.may_see(principal(), school):
        return notice(t("school.figures.restricted", lang))
    found = registry.institutions(engine(), institution_id=school)
    if found.empty:
        return None
    plan = dx_next.latest_plan(data.version(), school)
    audit.record("read", f"school/{school}/dx-next-level")
    return plan_panel(plan, lang)


@CALLBACKS.callback(
    SIGNED_IN,
    Output(ids.SCHOOL_DOWNLOAD, "data"),
    Input(ids.SCHOOL_EXPORT, "n_clicks"),
    Input(ids.SCHOOL_EXPORT_XLSX, "n_clicks"),
    State(ids.SCHOOL_ID, "data"),
    prevent_initial_call=True,
)
def export_figures(csv_clicks: Any, xlsx_clicks: Any, value: Any) -> Any:
    """Export buttons → the institution's figures by year as CSV or Excel (audited)."""
    school = institution_id(value)
    if not (csv_clicks or xlsx_clicks) or school is None:
        return no_update
    fmt = "xlsx" if ctx.triggered_id == ids.SCHOOL_EXPORT_XLSX else "csv"
    return export_frame(visible_figures(school), f"institution_{school}_figures", fmt)


def register(app: Any) -> None:
    """Wire the school page's callbacks into ``app``."""
    CALLBACKS.register(app)
