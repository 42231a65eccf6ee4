"""/about/data: every data source, its licence, and what is generated (public)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app import ids
from ioc_app.i18n import current_language, t
from layouts.common import export_actions, page_header

INTRO = {
    "vi": (
        "Trang này liệt kê mọi nguồn dữ liệu của Trung tâm: dữ liệu thật (ranh giới hành chính, "
        "bảng chuyển đổi đơn vị, kế hoạch 723/KH-SGDĐT, bộ chỉ số chuyển đổi số, điểm chuẩn "
        "lớp 10, dân số điều tra 2019, số liệu thống kê) giữ nguyên nguồn; dữ liệu cấp trường là "
        "dữ liệu mô phỏng được hiệu chỉnh theo số liệu tổng đã công bố và được đánh dấu rõ."
    ),
    "en": (
        "Every data source of the centre is listed here. Real data (boundaries, the unit "
        "crosswalk, plan 723/KH-SGDĐT, the DX criteria, grade-10 cut-offs, the 2019 census, "
        "official statistics) keeps its source; school-level data is generated, calibrated to "
        "the published totals, and labelled as generated."
    ),
}


def layout(**_params: Any) -> Any:
    """The page: introduction, the table of sources (filled by a callback), CSV/Excel export."""
    lang = current_language()
    return html.Div(
        [
            page_header(t("about.title", lang)),
            html.P(INTRO[lang]),
            html.P(t("data.generated_note", lang), className="notice notice-warning"),
            *export_actions(
                ids.ABOUT_DOWNLOAD_BUTTON, ids.ABOUT_DOWNLOAD_XLSX, ids.ABOUT_DOWNLOAD, lang
            ),
            dcc.Loading(html.Div(id=ids.ABOUT_SOURCES_TABLE, className="table-wrap")),
        ]
    )
