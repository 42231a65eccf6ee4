"""The ranking by area and the schools of /dx as DataTables (see :mod:`layouts.grid`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ioc_app.core.i18n import pick, t
from layouts.grid import grid, md_link, number_format

STATUSES = ("draft", "submitted", "self_assessed", "returned", "reviewed", "published")


def _unit_name(units: pd.DataFrame, unit: Any, lang: str) -> str:
    if isinstance(unit, str) and unit in units.index:
        return pick(units.loc[unit, "name"], units.loc[unit, "name_en"], lang)
    return "—" if unit is None or pd.isna(unit) else str(unit)


def ranking_table(rows: pd.DataFrame, units: pd.DataFrame, geo: str, year: int, lang: str) -> Any:
    """The areas ranked by share at level 2+, each 2025 ward linking to its page."""
    data = []
    for rank, row in enumerate(rows.itertuples(), start=1):
        name = _unit_name(units, row.area, lang)
        linked = geo == "ward" and row.area in units.index
        data.append(
            {
                "rank": rank,
                "area": md_link(name, f"/ward/{units.loc[row.area, 'code']}?year={year}")
                if linked
                else name,
                "schools": int(row.schools),
                "published": int(row.published),
                "share_level2plus": None
                if pd.isna(row.share_level2plus)
                else round(float(row.share_level2plus) * 100, 1),
                "level3": int(row.level3),
                "not_assessed": int(row.not_assessed),
            }
        )
    columns = [
        {"id": "rank", "name": "#", "type": "numeric"},
        {
            "id": "area",
            "name": t("dx.col.area", lang),
            "type": "text",
            "presentation": "markdown" if geo == "ward" else "input",
        },
    ]
    for key in ("schools", "published", "share_level2plus", "level3", "not_assessed"):
        columns.append(
            {
                "id": key,
                "name": t(f"dx.col.{key}", lang),
                "type": "numeric",
                "format": number_format(1, " %") if key == "share_level2plus" else number_format(0),
            }
        )
    return grid(data, columns, lang, page_size=30)


#: Schools shown per page of the table (the export has them all).
SCHOOLS_PAGE_SIZE = 50


def schools_table(
    rows: pd.DataFrame,
    units: pd.DataFrame,
    geo: str,
    lang: str,
    edu_levels: dict[str, tuple[str, str]],
) -> Any:
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
            if row.ward_id in units.index
            else ward,
            "edu_level": pick(*edu_levels.get(row.edu_level, ("—", "—")), lang),
            "status": t(f"dx.status.{status}", lang) if status in (*STATUSES, "none") else status,
            "self_group1": score(row.self_group1),
            "self_group2": score(row.self_group2),
            "reviewed_group1": score(row.reviewed_group1),
            "reviewed_group2": score(row.reviewed_group2),
            "level": t(f"dx.level.{int(row.level)}", lang) if not pd.isna(row.level) else "—",
            "generated": t("dx.yes", lang) if row.generated else "",
        }
        if geo == "old_district":
            item["old_district"] = _unit_name(units, row.area, lang)
        data.append(item)
    columns = [
        {"id": "name", "name": t("dx.col.name", lang), "type": "text", "presentation": "markdown"},
        {"id": "ward", "name": t("dx.col.ward", lang), "type": "text", "presentation": "markdown"},
    ]
    if geo == "old_district":
        columns.append(
            {"id": "old_district", "name": t("dx.col.old_district", lang), "type": "text"}
        )
    columns += [
        {"id": "edu_level", "name": t("dx.col.edu_level", lang), "type": "text"},
        {"id": "status", "name": t("dx.col.status", lang), "type": "text"},
    ]
    columns += [
        {
            "id": f"{kind}_group{g}",
            "name": t(f"dx.col.{kind}{g}", lang),
            "type": "numeric",
            "format": number_format(1),
        }
        for kind in ("self", "reviewed")
        for g in (1, 2)
    ]
    columns += [
        {"id": "level", "name": t("dx.col.level", lang), "type": "text"},
        {"id": "generated", "name": t("dx.col.generated", lang), "type": "text"},
    ]
    # Paged: the city's ~1,700 schools were 17,000 table cells in the page at once (a slow
    # page on a phone, and two minutes of axe-core); sorting and filtering still see every row.
    return grid(data, columns, lang, page_size=SCHOOLS_PAGE_SIZE)
