"""/ward/<code>: one 2025 ward — its KPIs, its schools on a map and in a table, its trends."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app.core import ids
from ioc_app.core.i18n import add_texts, current_language, t
from ioc_app.core.vocabulary import linked_year_options
from layouts.common import export_actions
from layouts.control_room import leaflet_map

add_texts(
    {
        "ward.title": ("Phường, xã", "Ward"),
        "ward.kpis": ("Chỉ số của phường năm học {year}", "The ward's figures, school year {year}"),
        "ward.map": ("Trường học trên địa bàn", "Schools in the ward"),
        "ward.trends": ("Diễn biến theo năm học", "Across school years"),
        "ward.year": ("Năm học", "School year"),
        "ward.schools": ("Danh sách cơ sở giáo dục", "Institutions"),
        "ward.formed_from": ("Hình thành từ (trước 1/7/2025)", "Formed from (before 1 July 2025)"),
        "ward.split": ("một phần", "part"),
        "ward.unknown": ("Không có phường, xã mã {code}.", "There is no ward with code {code}."),
        "ward.col.name": ("Tên", "Name"),
        "ward.col.kind": ("Loại", "Kind"),
        "ward.col.level": ("Cấp học", "Level"),
        "ward.col.ownership": ("Loại hình", "Ownership"),
        "ward.col.pupils": ("Học sinh", "Pupils"),
        "ward.estimated": (
            "{n} trường chưa báo cáo năm học này được ước tính từ số liệu các năm trước của "
            "chính trường (◇ trên biểu đồ).",
            "{n} schools that did not report this school year are estimated from their own "
            "earlier figures (◇ on the chart).",
        ),
        "ward.estimate_note": (
            "Số trước năm học 2025–2026 được quy đổi từ phường cũ qua bảng chuyển "
            "đổi; điểm rỗng là số ước tính (phường cũ bị chia tách).",
            "Figures before 2025–26 are carried from the old wards through the "
            "crosswalk; open markers are estimates (a split old ward).",
        ),
    }
)


def layout(*, code: str | None = None, year: str | None = None, **_params: Any) -> Any:
    """The ward page; everything is filled by one callback from the ward code."""
    lang = current_language()
    chosen = int(year) if year and year.isdigit() and len(year) == 4 else None
    valid = bool(code) and code.isalnum() and len(code) <= 8
    schools_url = f"/control-room/schools.geojson?ward_code={code}" if valid else None
    return html.Div(
        [
            dcc.Store(id=ids.WARD_CODE, data=code),
            dcc.Loading(html.Div(id=ids.WARD_HEADER)),
            html.Div(
                [
                    html.Label(t("ward.year", lang), htmlFor=ids.WARD_YEAR),
                    dcc.Dropdown(
                        id=ids.WARD_YEAR,
                        value=chosen,
                        options=linked_year_options(chosen),
                        clearable=False,
                        searchable=False,
                    ),
                ],
                className="cr-field ward-year",
            ),
            html.Section([html.Div(id=ids.WARD_KPIS, className="cr-tiles")], className="card"),
            html.Div(
                [
                    html.Section(
                        [
                            html.H2(t("ward.map", lang)),
                            leaflet_map(
                                ids.WARD_MAP,
                                ids.WARD_UNIT_LAYER,
                                None,
                                schools_id=ids.WARD_SCHOOLS_LAYER,
                                schools_url=schools_url,
                                lang=lang,
                                schools_checked=True,
                                fit=True,
                            ),
                        ],
                        className="card",
                    ),
                    html.Section(
                        [
                            html.H2(t("ward.trends", lang)),
                            dcc.Graph(
                                id=ids.WARD_TRENDS,
                                config={"displaylogo": False},
                                style={"height": "380px"},
                            ),
                            html.P(t("ward.estimate_note", lang), className="muted"),
                        ],
                        className="card",
                    ),
                ],
                className="ward-grid",
            ),
            html.Section(
                [
                    html.H2(t("ward.schools", lang)),
                    *export_actions(ids.WARD_EXPORT, ids.WARD_EXPORT_XLSX, ids.WARD_DOWNLOAD, lang),
                    html.Div(id=ids.WARD_SCHOOLS, className="table-wrap"),
                ],
                className="card",
            ),
        ],
        className="ward-page dom-grid",
    )
