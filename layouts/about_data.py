"""/about/data: every data source, its licence, and what is generated (public)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app.core import ids
from ioc_app.core.i18n import current_language, t
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


#: Vietnamese titles of the sources the seed loads (the warehouse stores them in English);
#: a source loaded later keeps its own title.
SOURCE_TITLES_VI = {
    "wards_2025": "Các phường, xã, đặc khu từ 1/7/2025 (168 đơn vị), có ranh giới",
    "hcmc_outline_2025": "Ranh giới TP. Hồ Chí Minh sau hợp nhất (2025)",
    "provinces_2025": "34 tỉnh, thành của Việt Nam từ 2025 (chỉ dùng ở quy mô toàn quốc)",
    "provinces_pre2025": "63 tỉnh, thành trước 2025 (ranh giới TP.HCM cũ, Bình Dương, "
    "Bà Rịa–Vũng Tàu)",
    "districts_pre2021": "24 quận, huyện của TP.HCM cũ trước 2021 (TP Thủ Đức = Q2 + Q9 + Thủ Đức)",
    "wards_pre2021": "322 phường, xã của TP.HCM cũ trước đợt sắp xếp 2020–21 (lớp dân số)",
    "crosswalk": "Bảng chuyển đổi 441 phường, xã trước 2025 sang phường, xã năm 2025",
    "centroids_2025": "Toạ độ trung tâm của 168 phường, xã năm 2025",
    "centroids_2021": "Toạ độ trung tâm và khung bao của 273 phường, xã TP.HCM cũ (2021–2025)",
    "census_wards": "Dân số Tổng điều tra 2019 của 322 phường, xã TP.HCM cũ",
    "census_districts": "Tổng điều tra 2019, TP.HCM cũ theo quận, huyện, nhóm 5 tuổi, "
    "thành thị/nông thôn",
    "census_provinces": "Tổng điều tra 2019 theo tỉnh, nhóm 5 tuổi, thành thị/nông thôn",
    "gso_education": "Thống kê giáo dục của Tổng cục Thống kê theo tỉnh 2002–2016 (56 tỉnh; "
    "không có TP.HCM, BD, BR-VT)",
    "press_figures": "Số liệu Sở công bố với báo chí 2015–2025 (mục tiêu hiệu chỉnh)",
    "plan_2023": "Kế hoạch 723/KH-SGDĐT (22/02/2023): đơn vị, lĩnh vực dữ liệu, hạng mục "
    "2023, nhiệm vụ CĐS 2022–2025",
    "dx_criteria": "Bộ tiêu chí chuyển đổi số cơ sở giáo dục, Quyết định 4725/QĐ-BGDĐT "
    "(nguồn thứ cấp)",
    "cutoffs": "Điểm chuẩn lớp 10 của khoảng 110 trường THPT công lập, 2015–2021",
    "exam_scores": "Điểm thi tốt nghiệp THPT 2025, mẫu Hà Nội (chỉ dùng phân phối điểm)",
    "generator": "Kho dữ liệu mô phỏng đã hiệu chỉnh (cơ sở giáo dục và mọi số liệu)",
}


def source_title(key: str, title: str, lang: str) -> str:
    """A source's title in ``lang`` (Vietnamese when known, else the stored one)."""
    return SOURCE_TITLES_VI.get(key, title) if lang == "vi" else title
