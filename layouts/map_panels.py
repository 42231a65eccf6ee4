"""Panels of /map built from query results: result list, count, details, nearest list.

Pure functions of plain data (no database); Dash escapes every text they render.
"""

from __future__ import annotations

from typing import Any

from dash import html

from ioc_app.core import ids
from ioc_app.core.fmt import fmt_date, fmt_distance, fmt_number, school_year_label
from ioc_app.core.i18n import t
from layouts.common import data_table
from layouts.map_texts import (
    KIND_COLOURS,
    KIND_LABELS,
    LEVEL_LABELS,
    LICENCE_LABELS,
    OWNERSHIP_LABELS,
    label,
)

PUBLIC_KIND_WITHOUT_LICENCE = ("school",)


def count_text(total: int, shown: int, query: str, capped: bool, lang: str) -> str:
    """What the live region announces: how many institutions match."""
    n = fmt_number(total, "count", lang)
    if query:
        key = "map.count.capped" if capped else "map.count.query"
        text = t(key, lang).format(n=n, q=query)
    else:
        text = t("map.count.all", lang).format(n=n)
    if shown < total:
        text += " — " + t("map.count.showing", lang).format(n=fmt_number(shown, "count", lang))
    return text


def _summary(row: dict[str, Any], lang: str) -> str:
    parts = [label(KIND_LABELS, row.get("kind"), lang)]
    if row.get("level"):
        parts.append(label(LEVEL_LABELS, row["level"], lang))
    if row.get("ward_name"):
        parts.append(str(row["ward_name"]))
    distance = fmt_distance(row.get("distance_m"), lang)
    if distance:
        parts.append(distance)
    return " · ".join(parts)


def result_list(
    rows: list[dict[str, Any]],
    lang: str,
    *,
    item_id: Any = ids.map_result,
    empty: str | None = None,
    hint: str | None = None,
) -> Any:
    """A list of buttons, one per institution (Enter or a click selects it), under ``hint``."""
    if not rows:
        return html.P(empty or t("map.empty", lang), className="empty-state")
    items = [
        html.Li(
            html.Button(
                [
                    html.Span(
                        className="map-swatch",
                        style={"background": KIND_COLOURS.get(row.get("kind") or "", "#888")},
                    ),
                    html.Span(
                        [
                            html.Strong(row.get("name") or "—"),
                            html.Span(_summary(row, lang), className="muted map-result-meta"),
                        ],
                        className="map-result-text",
                    ),
                ],
                id=item_id(int(row["id"])),
                type="button",
                className="map-result",
            )
        )
        for row in rows
    ]
    listing = html.Ul(items, className="map-result-list")
    return [html.P(hint, className="map-browse-hint"), listing] if hint else listing


def _pair(term: str, value: Any) -> list[Any]:
    return [html.Dt(term), html.Dd("—" if value in (None, "") else value)]


def _year(year: int | None) -> str:
    return school_year_label(year) if year else "—"


def _badge(text: str, kind: str) -> Any:
    return html.Span(text, className=f"badge badge-{kind}")


def _generated(flag: Any, lang: str) -> Any:
    if flag:
        return _badge(t("data.generated_badge", lang), "generated")
    return _badge(t("map.real", lang), "real")


def details_panel(details: dict[str, Any] | None, lang: str) -> Any:
    """The public details of one institution (``institution_details``'s result)."""
    if not details:
        return html.P(t("map.details.missing", lang), className="empty-state")
    inst = details["institution"]
    grades = (
        f"{inst['grade_from']}–{inst['grade_to']}"
        if inst.get("grade_from") is not None and inst.get("grade_to") is not None
        else None
    )
    old_place = ", ".join(
        v for v in (inst.get("old_ward_name"), inst.get("old_district_name")) if v
    )
    facts: list[Any] = [
        *_pair(t("map.field.kind", lang), label(KIND_LABELS, inst.get("kind"), lang)),
        *_pair(
            t("map.field.level", lang),
            label(LEVEL_LABELS, inst.get("level"), lang) if inst.get("level") else None,
        ),
        *_pair(
            t("map.field.ownership", lang), label(OWNERSHIP_LABELS, inst.get("ownership"), lang)
        ),
        *_pair(t("map.field.address", lang), inst.get("address")),
        *_pair(t("map.field.ward", lang), inst.get("ward_name")),
        *_pair(t("map.field.old_ward", lang), old_place or None),
        *_pair(t("map.field.programmes", lang), inst.get("programmes")),
        *_pair(t("map.field.grades", lang), grades),
        *_pair(t("map.field.opened", lang), inst.get("opened_year")),
    ]
    parts: list[Any] = [
        html.H3(inst.get("name") or "—", className="map-details-name"),
        html.Div(_generated(inst.get("generated"), lang), className="map-badges"),
        html.Dl(facts, className="map-facts"),
        _figures(details, lang),
    ]
    if inst.get("kind") not in PUBLIC_KIND_WITHOUT_LICENCE or inst.get("ownership") != "public":
        parts.append(_licence(inst, lang))
    parts.append(_dx(details.get("dx"), lang))
    if details.get("cutoffs"):
        parts.append(_cutoffs(details["cutoffs"], lang))
    return html.Article(parts, className="map-details-body")


def _figures(details: dict[str, Any], lang: str) -> Any:
    enrolment, staff, facility, activity = (
        details.get("enrolment"),
        details.get("staff"),
        details.get("facility"),
        details.get("activity"),
    )
    if not (enrolment or staff or facility or activity):
        return html.Div()
    year = next((d["school_year"] for d in (enrolment, staff, facility, activity) if d), None)
    items: list[Any] = []
    if activity:
        items += _pair(
            t("map.field.learners", lang), fmt_number(activity["learners"], "count", lang)
        )
        items += _pair(t("map.field.courses", lang), fmt_number(activity["courses"], "count", lang))
    if enrolment:
        items += _pair(t("map.field.pupils", lang), fmt_number(enrolment["pupils"], "count", lang))
        items += _pair(
            t("map.field.classes", lang), fmt_number(enrolment["classes"], "count", lang)
        )
        size = enrolment.get("class_size")
        items += _pair(
            t("map.field.class_size", lang),
            None if size is None else fmt_number(size, "ratio", lang),
        )
    if staff:
        items += _pair(t("map.field.teachers", lang), fmt_number(staff["teachers"], "count", lang))
    if facility:
        values = {
            k: fmt_number(facility.get(k), "count", lang)
            for k in (
                "classrooms",
                "functional_rooms",
                "computers",
                "smart_classrooms",
                "internet_mbps",
            )
        }
        items += _pair(t("map.field.facilities", lang), t("map.facilities", lang).format(**values))
    generated = any(d and d.get("generated") for d in (enrolment, staff, facility, activity))
    return html.Section(
        [
            html.H4(
                [t("map.figures", lang).format(y=_year(year)), " ", _generated(generated, lang)]
            ),
            html.Dl(items, className="map-facts"),
        ]
    )


def _licence(inst: dict[str, Any], lang: str) -> Any:
    status = inst.get("licence_status")
    if not status and not inst.get("licence_valid_until"):
        body: Any = html.P(t("map.licence.none", lang), className="muted")
    else:
        issued, until = inst.get("licence_issued"), inst.get("licence_valid_until")
        valid = f"{fmt_date(issued, lang)} – {fmt_date(until, lang)}"
        body = html.Dl(
            [
                *_pair(t("map.licence.status", lang), label(LICENCE_LABELS, status, lang)),
                *_pair(t("map.licence.valid", lang), valid),
            ],
            className="map-facts",
        )
    return html.Section([html.H4(t("map.licence", lang)), body])


def _dx(dx: dict[str, Any] | None, lang: str) -> Any:
    if not dx:
        return html.Section(
            [html.H4(t("map.dx", lang)), html.P(t("map.dx.none", lang), className="muted")]
        )
    text = t("map.dx.value", lang).format(level=dx["level"], y=_year(dx["school_year"]))
    return html.Section(
        [html.H4([t("map.dx", lang), " ", _generated(dx.get("generated"), lang)]), html.P(text)]
    )


def _score(value: Any, lang: str) -> str | None:
    if value is None:
        return None
    return fmt_number(value, "decimal", lang)


def _cutoffs(rows: list[dict[str, Any]], lang: str) -> Any:
    table_rows = [
        {
            "year": str(r["year"]),
            "nv1": _score(r["nv1"], lang),
            "nv2": _score(r["nv2"], lang),
            "nv3": _score(r["nv3"], lang),
            "scale": f"/{r['score_scale_max']}",
        }
        for r in rows
    ]
    columns = [
        ("year", t("map.cutoffs.year", lang)),
        ("nv1", "NV1"),
        ("nv2", "NV2"),
        ("nv3", "NV3"),
        ("scale", t("map.cutoffs.scale", lang)),
    ]
    sources = sorted({r.get("source_title") or r["source"] for r in rows if r.get("source")})
    published = sorted({r["name_as_published"] for r in rows if r.get("name_as_published")})
    note = t("map.cutoffs.source", lang).format(
        s="; ".join(sources) or "—", n="; ".join(published) or "—"
    )
    return html.Section(
        [
            html.H4([t("map.cutoffs", lang), " ", _generated(False, lang)]),
            html.Div(data_table(table_rows, columns), className="table-wrap"),
            html.P(
                [note, " ", html.A(t("map.sources", lang), href="/about/data")],
                className="muted map-source",
            ),
        ]
    )


def nearest_panel(rows: list[dict[str, Any]], origin: dict[str, float] | None, lang: str) -> Any:
    """The nearest institutions to the chosen point, nearest first, with distances."""
    if not origin:
        return html.P(t("map.nearest.hint", lang), className="muted")
    head = html.P(
        t("map.nearest.from", lang).format(lat=f"{origin['lat']:.5f}", lon=f"{origin['lon']:.5f}"),
        className="muted",
    )
    return html.Div(
        [
            head,
            result_list(
                rows, lang, item_id=ids.map_nearest_item, empty=t("map.nearest.none", lang)
            ),
        ]
    )
