"""/domains and /domains/<slug>: the data domains of plan 723 and one drill-down page each."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import dcc, html

import layouts.control_room_texts  # noqa: F401  (registers the cr.fresh.* words shown here)
from data_access.queries.indicators import INDICATORS
from ioc_app.core import ids
from ioc_app.core.i18n import add_texts, current_language, t
from ioc_app.core.vocabulary import (
    GEOGRAPHIES,
    LEVEL_NAMES,
    OWNERSHIP_NAMES,
    geography_options,
)
from layouts.common import export_actions, page_header

TEXTS = {
    "dom.index.title": ("Lĩnh vực dữ liệu", "Data domains"),
    "dom.index.intro": (
        "Bảy lĩnh vực dữ liệu của Phụ lục I, Kế hoạch 723/KH-SGDĐT. Mỗi phòng "
        "chỉ mở được lĩnh vực do mình quản lý; lãnh đạo Sở mở được tất cả.",
        "The seven data domains of Annex I of plan 723/KH-SGDĐT. Each division "
        "opens the domains it supervises; the leadership opens all.",
    ),
    "dom.index.none": (
        "Tài khoản của bạn chưa được giao lĩnh vực dữ liệu nào.",
        "Your account supervises no data domain yet.",
    ),
    "dom.supervised_by": ("Đơn vị quản lý", "Supervised by"),
    "dom.source": ("Hệ thống nguồn", "Source system"),
    "dom.refresh": ("Chu kỳ cập nhật: {days} ngày", "Expected every {days} days"),
    "dom.filters": ("Bộ lọc", "Filters"),
    "dom.year": ("Năm học", "School year"),
    "dom.geo": ("Ranh giới", "Boundaries"),
    "dom.area": ("Khu vực", "Area"),
    "dom.area.all": ("Toàn thành phố", "Whole city"),
    "dom.level": ("Cấp học", "Level"),
    "dom.ownership": ("Loại hình", "Ownership"),
    "dom.indicator": ("Chỉ số", "Indicator"),
    "dom.all": ("Tất cả", "All"),
    "dom.series": ("Diễn biến theo năm học", "Across school years"),
    "dom.series.estimate": (
        "Năm có số ước tính (quy đổi qua ranh giới cũ/mới)",
        "Years with estimates (carried across old/new boundaries)",
    ),
    "dom.series.late": (
        "◇ Trường chưa báo cáo, ước tính từ số liệu các năm trước của chính trường: {years}",
        "◇ Schools that did not report, estimated from their own earlier figures: {years}",
    ),
    "dom.series.late_year": ("{year}: {n} trường", "{year}: {n} schools"),
    "dom.series.hover_late": ("{n} trường ước tính", "{n} schools estimated"),
    "dom.table": ("Bảng số liệu theo khu vực", "Figures by area"),
    "dom.col.area": ("Khu vực", "Area"),
    "dom.col.estimate": ("Ước tính", "Estimate"),
    "dom.col.estimated_schools": ("Trường ước tính", "Schools estimated"),
    "dom.quality": ("Chất lượng dữ liệu", "Data quality"),
    "dom.quality.completeness": (
        "Mức đầy đủ theo đơn vị báo cáo",
        "Completeness by reporting unit",
    ),
    "dom.quality.outliers": ("Giá trị bất thường", "Outliers"),
    "dom.quality.duplicates": ("Trùng lặp", "Duplicates"),
    "dom.quality.coordinates": ("Thiếu hoặc sai toạ độ", "Missing or wrong coordinates"),
    "dom.quality.none": ("Không phát hiện.", "None found."),
    "dom.quality.worklist": (
        "Mỗi bảng dưới đây hiện 10 dòng đầu; danh sách cần kiểm tra tải về có mọi cơ sở "
        "(chưa báo cáo, giá trị bất thường, trùng lặp, toạ độ) để gửi các đơn vị.",
        "Each table below shows its first 10 rows; the downloadable worklist has every "
        "institution (not reported, outlying value, duplicate, coordinates) to send to units.",
    ),
    "dom.col.expected": ("Cần báo cáo", "Expected"),
    "dom.col.reported": ("Đã báo cáo", "Reported"),
    "dom.col.share": ("Tỷ lệ", "Share"),
    "dom.col.institution": ("Cơ sở", "Institution"),
    "dom.col.value": ("Giá trị", "Value"),
    "dom.col.z": ("Độ lệch (z)", "Deviation (z)"),
    "dom.col.problem": ("Vấn đề", "Problem"),
    "dom.col.group": ("Nhóm", "Group"),
    "dom.problem.missing": ("Thiếu toạ độ", "No coordinates"),
    "dom.problem.outside": ("Ngoài địa bàn", "Outside the city"),
    "dom.unknown": ("Không có lĩnh vực dữ liệu này.", "There is no such data domain."),
    "dom.yes": ("Có", "Yes"),
    "dom.empty": (
        "Không có số liệu cho bộ lọc này. Hãy bỏ bớt bộ lọc hoặc chọn năm khác.",
        "No figures for these filters. Remove a filter or choose another year.",
    ),
}
INDICATOR_NAMES = {
    "pupils": ("Số học sinh", "Pupils"),
    "classes": ("Số lớp", "Classes"),
    "class_size": ("Sĩ số bình quân", "Average class size"),
    "girls_share": ("Tỷ lệ học sinh nữ (%)", "Girls (%)"),
    "promotion_rate": ("Tỷ lệ lên lớp (%)", "Promotion rate (%)"),
    "dropout_rate": ("Tỷ lệ bỏ học (%)", "Dropout rate (%)"),
    "graduates": ("Số học sinh tốt nghiệp", "Graduates"),
    "teachers": ("Số giáo viên", "Teachers"),
    "female_share": ("Giáo viên nữ (%)", "Female teachers (%)"),
    "above_standard_share": ("Giáo viên trên chuẩn (%)", "Teachers above standard (%)"),
    "managers": ("Cán bộ quản lý", "Managers"),
    "support_staff": ("Nhân viên", "Support staff"),
    "classrooms": ("Phòng học", "Classrooms"),
    "solid_share": ("Phòng học kiên cố (%)", "Solid classrooms (%)"),
    "functional_rooms": ("Phòng chức năng", "Functional rooms"),
    "computers": ("Máy tính", "Computers"),
    "smart_classrooms": ("Phòng học thông minh", "Smart classrooms"),
    "internet_mbps": ("Băng thông bình quân (Mbps)", "Average bandwidth (Mbps)"),
    "grade10_candidates": ("Thí sinh thi lớp 10", "Grade-10 candidates"),
    "grade10_mean": ("Điểm bình quân thi lớp 10", "Grade-10 mean score"),
    "graduation_candidates": ("Thí sinh thi tốt nghiệp", "Graduation candidates"),
    "graduation_mean": ("Điểm bình quân thi tốt nghiệp", "Graduation mean score"),
    "graduation_pass_rate": ("Tỷ lệ đỗ tốt nghiệp", "Graduation pass rate"),
    "learners": ("Số học viên", "Learners"),
    "np_staff": ("Nhân sự", "Staff"),
    "foreign_staff": ("Nhân sự nước ngoài", "Foreign staff"),
    "courses": ("Số khoá học", "Courses"),
    "np_inspections": ("Lượt kiểm tra", "Inspections"),
    "violation_rate": ("Tỷ lệ vi phạm / kiểm tra (%)", "Violations per inspection (%)"),
    "pupils_examined": ("Học sinh được khám sức khỏe", "Pupils examined"),
    "overweight_share": ("Thừa cân (%)", "Overweight (%)"),
    "underweight_share": ("Suy dinh dưỡng (%)", "Underweight (%)"),
    "myopia_share": ("Cận thị (%)", "Myopia (%)"),
    "insured_share": ("Có bảo hiểm y tế (%)", "Health-insured (%)"),
    "conduct_good_share": ("Hạnh kiểm tốt (%)", "Good conduct (%)"),
    "life_skills": ("Tham gia kỹ năng sống", "Life-skills participants"),
    "awards": ("Khen thưởng", "Awards"),
    "disciplinary_cases": ("Kỷ luật", "Disciplinary cases"),
    "admin_inspections": ("Thanh tra, kiểm tra", "Inspections"),
    "inspection_findings": ("Kết luận có sai phạm", "Inspection findings"),
    "documents_processed": ("Văn bản xử lý", "Documents processed"),
    "documents_online_share": ("Văn bản xử lý trực tuyến (%)", "Documents handled online (%)"),
    "it_incidents": ("Sự cố CNTT", "IT incidents"),
}
add_texts(TEXTS | {f"dom.ind.{key}": names for key, names in INDICATOR_NAMES.items()})


def index_layout(**_params: Any) -> Any:
    """The list of domains the caller may open (filled by a callback)."""
    lang = current_language()
    return html.Div(
        [
            page_header(t("dom.index.title", lang)),
            html.P(t("dom.index.intro", lang)),
            dcc.Loading(html.Div(id=ids.DOM_INDEX)),
        ]
    )


def _field(label_key: str, control: Any, control_id: str, lang: str) -> Any:
    return html.Div(
        [html.Label(t(label_key, lang), htmlFor=control_id), control], className="cr-field"
    )


def _options(names: dict[str, tuple[str, str]], lang: str) -> list[dict[str, str]]:
    vi_en = 0 if lang == "vi" else 1
    return [{"label": t("dom.all", lang), "value": "all"}] + [
        {"label": pair[vi_en], "value": key} for key, pair in names.items()
    ]


def indicator_options(domain_id: int | None, lang: str) -> list[dict[str, str]]:
    """The indicators of a domain as dropdown options."""
    if domain_id not in INDICATORS:
        return []
    return [{"label": t(f"dom.ind.{i.key}", lang), "value": i.key} for i in INDICATORS[domain_id]]


def layout(
    *,
    slug: str | None = None,
    year: str | None = None,
    geo: str | None = None,
    area: str | None = None,
    level: str | None = None,
    ownership: str | None = None,
    indicator: str | None = None,
    **_params: Any,
) -> Any:
    """A domain's page: filters (from the URL), series, table with exports, data quality."""
    lang = current_language()
    geo = geo if geo in GEOGRAPHIES else "ward"
    levels = {k: v for k, v in LEVEL_NAMES.items()}
    year_value = int(year) if year and year.isdigit() else None
    filters = html.Div(
        [
            _field(
                "dom.year",
                dcc.Dropdown(
                    id=ids.DOM_YEAR, value=year_value, options=[], clearable=False, searchable=False
                ),
                ids.DOM_YEAR,
                lang,
            ),
            _field(
                "dom.geo",
                dcc.RadioItems(
                    id=ids.DOM_GEO,
                    value=geo,
                    inline=True,
                    options=geography_options(lang),
                ),
                ids.DOM_GEO,
                lang,
            ),
            _field(
                "dom.area",
                dcc.Dropdown(id=ids.DOM_AREA, value=area or "all", options=[], clearable=False),
                ids.DOM_AREA,
                lang,
            ),
            _field(
                "dom.level",
                dcc.Dropdown(
                    id=ids.DOM_LEVEL,
                    value=level or "all",
                    options=_options(levels, lang),
                    clearable=False,
                    searchable=False,
                ),
                ids.DOM_LEVEL,
                lang,
            ),
            _field(
                "dom.ownership",
                dcc.Dropdown(
                    id=ids.DOM_OWNERSHIP,
                    value=ownership or "all",
                    options=_options(OWNERSHIP_NAMES, lang),
                    clearable=False,
                    searchable=False,
                ),
                ids.DOM_OWNERSHIP,
                lang,
            ),
            _field(
                "dom.indicator",
                dcc.Dropdown(id=ids.DOM_INDICATOR, value=indicator, options=[], clearable=False),
                ids.DOM_INDICATOR,
                lang,
            ),
        ],
        className="cr-controls",
        role="group",
        **{"aria-label": t("dom.filters", lang)},
    )
    return html.Div(
        [
            dcc.Store(id=ids.DOM_SLUG, data=slug),
            html.Div(id=ids.DOM_HEADER),
            filters,
            html.Div(
                [
                    html.Section(
                        [
                            html.H2(t("dom.series", lang)),
                            dcc.Loading(
                                dcc.Graph(
                                    id=ids.DOM_SERIES,
                                    config={"displaylogo": False, "responsive": True},
                                    style={"height": "340px"},
                                )
                            ),
                        ],
                        className="card",
                    ),
                    html.Section(
                        [
                            html.H2(t("dom.table", lang)),
                            *export_actions(
                                ids.DOM_EXPORT_CSV, ids.DOM_EXPORT_XLSX, ids.DOM_DOWNLOAD, lang
                            ),
                            dcc.Loading(html.Div(id=ids.DOM_TABLE, className="dom-table")),
                        ],
                        className="card",
                    ),
                    html.Section(
                        [
                            html.H2(t("dom.quality", lang), id="dom-quality-title"),
                            html.P(t("dom.quality.worklist", lang), className="muted"),
                            *export_actions(
                                ids.DOM_QUALITY_CSV,
                                ids.DOM_QUALITY_XLSX,
                                ids.DOM_QUALITY_DOWNLOAD,
                                lang,
                            ),
                            dcc.Loading(html.Div(id=ids.DOM_QUALITY)),
                        ],
                        className="card",
                    ),
                ],
                className="dom-grid",
            ),
        ],
        className="domain-page",
    )


def freshness_line(row: Any, lang: str) -> Any:
    """``Lần nạp gần nhất: 2026-06-20 · Đúng hạn`` (out of date flagged), as on the control
    room's freshness panel."""
    if row is None or pd.isna(row["last_load"]):
        return html.P(t("cr.fresh.never", lang), className="dom-fresh dom-fresh-stale")
    status = "cr.fresh.stale" if row["stale"] else "cr.fresh.ok"
    return html.P(
        [
            html.Span(t("cr.fresh.last_load", lang) + ": ", className="muted"),
            f"{row['last_load']:%Y-%m-%d}",
            " · ",
            html.Span(("⚠ " if row["stale"] else "") + t(status, lang)),
        ],
        className="dom-fresh" + (" dom-fresh-stale" if row["stale"] else ""),
    )
