"""/dx: the national digital-transformation (DX) index of schools (Decision 4725/QĐ-BGDĐT)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app.core import ids
from ioc_app.core.i18n import add_texts, current_language, t
from ioc_app.core.vocabulary import (
    GEOGRAPHIES,
    LEVEL_NAMES,
    OWNERSHIP_NAMES,
    geography_options,
)
from layouts import dx_plan  # noqa: F401 (registers its texts)
from layouts.common import export_actions, page_header

TEXTS: dict[str, tuple[str, str]] = {
    "dx.title": ("Chỉ số chuyển đổi số", "DX index"),
    "dx.subtitle": (
        "Bộ chỉ số chuyển đổi số cơ sở giáo dục phổ thông và GDTX (QĐ 4725/QĐ-BGDĐT)"
        " — kết quả tự đánh giá, thẩm định và công bố theo năm học.",
        "The national digital-transformation index of schools (Decision "
        "4725/QĐ-BGDĐT): self-assessment, review and published level per school "
        "year.",
    ),
    "dx.filters": ("Bộ lọc", "Filters"),
    "dx.year": ("Năm học", "School year"),
    "dx.geo": ("Ranh giới", "Boundaries"),
    "dx.area": ("Khu vực", "Area"),
    "dx.area.all": ("Toàn thành phố", "Whole city"),
    "dx.edu_level": ("Cấp học", "Level of education"),
    "dx.ownership": ("Loại hình", "Ownership"),
    "dx.all": ("Tất cả", "All"),
    "dx.levels": ("Phân bố mức độ đã công bố", "Published levels"),
    "dx.funnel": ("Tiến độ đánh giá", "Assessment status"),
    "dx.groups": ("Điểm bình quân theo nhóm tiêu chí", "Average score by criteria group"),
    "dx.trend": ("Diễn biến qua các năm học", "Across school years"),
    "dx.ranking": ("Xếp hạng theo khu vực", "Ranking by area"),
    "dx.schools": ("Danh sách trường", "Schools"),
    "dx.criteria": ("Bộ tiêu chí", "Criteria set"),
    "dx.level.1": ("Mức 1 – chưa đáp ứng", "Level 1 – not yet meeting"),
    "dx.level.2": ("Mức 2 – đáp ứng cơ bản", "Level 2 – basic"),
    "dx.level.3": ("Mức 3 – đáp ứng tốt", "Level 3 – good"),
    "dx.level.unpublished": ("Đã gửi, chưa công bố", "Submitted, not published"),
    "dx.level.not_assessed": ("Chưa gửi đánh giá", "Not assessed"),
    "dx.level.note": (
        "Mỗi nhóm chấm trên thang 100: dưới 50 là mức 1, 50–75 mức 2, trên 75 "
        "mức 3. Mức chung lấy mức thấp hơn của hai nhóm (cách hiểu thận trọng, "
        "quyết định chưa nêu rõ).",
        "Each group is scored out of 100: below 50 is level 1, 50–75 level 2, "
        "above 75 level 3. The overall level is the lower of the two groups "
        "(the cautious reading; the decision does not say).",
    ),
    "dx.stage.expected": ("Phải tự đánh giá", "Must assess"),
    "dx.stage.self_assessed": ("Đã tự đánh giá", "Self-assessed"),
    "dx.stage.reviewed": ("Đã thẩm định", "Reviewed"),
    "dx.stage.published": ("Đã công bố", "Published"),
    "dx.funnel.note": (
        "Chưa gửi: {missing} trường · Trả lại để bổ sung: {returned}",
        "Not submitted: {missing} schools · Returned for correction: {returned}",
    ),
    "dx.status.draft": ("Đang tự đánh giá", "Self-assessing"),
    "dx.status.submitted": ("Đã tự đánh giá", "Self-assessed"),
    "dx.status.self_assessed": ("Đã tự đánh giá", "Self-assessed"),
    "dx.status.returned": ("Trả lại để bổ sung", "Returned for correction"),
    "dx.status.reviewed": ("Đã thẩm định", "Reviewed"),
    "dx.status.published": ("Đã công bố", "Published"),
    "dx.status.none": ("Chưa gửi", "Not submitted"),
    "dx.group.1": ("Nhóm 1 – Dạy, học", "Group 1 – Teaching and learning"),
    "dx.group.2": ("Nhóm 2 – Quản trị nhà trường", "Group 2 – School management"),
    "dx.score.self": ("Tự đánh giá", "Self-assessed"),
    "dx.score.reviewed": ("Sau thẩm định", "Reviewed"),
    "dx.share": ("Tỷ lệ trường đã công bố", "Share of published schools"),
    "dx.schools_count": ("Số trường", "Schools"),
    "dx.tile.expected": ("Trường phải đánh giá", "Schools that must assess"),
    "dx.tile.published": ("Đã công bố mức", "Level published"),
    "dx.tile.level2plus": ("Đạt mức 2 trở lên", "At level 2 or above"),
    "dx.tile.not_assessed": ("Chưa gửi đánh giá", "Not assessed"),
    "dx.generated_note": (
        "{generated} trong {total} kết quả năm học này là dữ liệu mô phỏng.",
        "{generated} of the {total} assessments of this year are generated.",
    ),
    "dx.col.area": ("Khu vực", "Area"),
    "dx.col.schools": ("Số trường", "Schools"),
    "dx.col.published": ("Đã công bố", "Published"),
    "dx.col.share_level2plus": ("Tỷ lệ mức 2+", "Share at level 2+"),
    "dx.col.level3": ("Mức 3", "Level 3"),
    "dx.col.not_assessed": ("Chưa đánh giá", "Not assessed"),
    "dx.col.name": ("Trường", "School"),
    "dx.col.ward": ("Phường, xã", "Ward"),
    "dx.col.old_district": ("Quận, huyện cũ", "Old district"),
    "dx.col.edu_level": ("Cấp học", "Level of education"),
    "dx.col.status": ("Trạng thái", "Status"),
    "dx.col.self1": ("Tự đánh giá N1", "Self G1"),
    "dx.col.self2": ("Tự đánh giá N2", "Self G2"),
    "dx.col.reviewed1": ("Thẩm định N1", "Reviewed G1"),
    "dx.col.reviewed2": ("Thẩm định N2", "Reviewed G2"),
    "dx.col.level": ("Mức công bố", "Published level"),
    "dx.col.generated": ("Mô phỏng", "Generated"),
    "dx.col.group": ("Nhóm", "Group"),
    "dx.col.criteria": ("Số tiêu chí", "Criteria"),
    "dx.col.mandatory": ("Bắt buộc", "Mandatory"),
    "dx.col.points": ("Tổng điểm", "Points"),
    "dx.yes": ("Có", "Yes"),
    "dx.shown": (
        "Hiển thị {shown} trong {total} trường. Chọn một khu vực để thu hẹp, hoặc "
        "tải tệp để có đủ danh sách.",
        "Showing {shown} of {total} schools. Choose an area to narrow the list, or "
        "download the file for all of them.",
    ),
    "dx.empty.none": (
        "Kho dữ liệu chưa có kết quả đánh giá chỉ số chuyển đổi số nào. Kết quả "
        "được nạp khi các trường tự đánh giá và Sở công bố (trước 20/6 hằng "
        "năm).",
        "The warehouse holds no DX assessment yet. Results arrive when schools "
        "self-assess and the Department publishes them (by 20 June each "
        "year).",
    ),
    "dx.empty.filters": (
        "Không có trường nào thuộc bộ lọc này trong năm học {year}. Hãy bỏ bớt "
        "bộ lọc hoặc chọn năm khác.",
        "No school matches these filters in school year {year}. Remove a "
        "filter or choose another year.",
    ),
    "dx.empty.year": (
        "Năm học {year}: chưa trường nào trong bộ lọc này gửi kết quả tự đánh "
        "giá ({expected} trường phải đánh giá).",
        "School year {year}: no school in this selection has sent its "
        "self-assessment yet ({expected} schools must assess).",
    ),
    "dx.empty.chart": ("Chưa có số liệu", "No figures yet"),
}
add_texts(TEXTS)
#: Levels of education offered by the filter (preschools are not assessed).
EDU_LEVELS = {k: v for k, v in LEVEL_NAMES.items() if k != "preschool"}


def _field(label_key: str, control: Any, control_id: str, lang: str) -> Any:
    return html.Div(
        [html.Label(t(label_key, lang), htmlFor=control_id), control], className="cr-field"
    )


def _options(names: dict[str, tuple[str, str]], lang: str) -> list[dict[str, str]]:
    vi_en = 0 if lang == "vi" else 1
    return [{"label": t("dx.all", lang), "value": "all"}] + [
        {"label": pair[vi_en], "value": key} for key, pair in names.items()
    ]


def _chart(title_key: str, graph_id: str, lang: str) -> Any:
    return html.Section(
        [
            html.H2(t(title_key, lang)),
            dcc.Loading(
                dcc.Graph(
                    id=graph_id,
                    config={"displaylogo": False, "responsive": True},
                    style={"height": "320px"},
                )
            ),
        ],
        className="card",
    )


def layout(
    *,
    year: str | None = None,
    geo: str | None = None,
    area: str | None = None,
    level: str | None = None,
    ownership: str | None = None,
    **_params: Any,
) -> Any:
    """The DX page: filters (from the URL), key figures, four charts, ranking, schools."""
    lang = current_language()
    geo = geo if geo in GEOGRAPHIES else "ward"
    level = level if level in EDU_LEVELS else "all"
    ownership = ownership if ownership in OWNERSHIP_NAMES else "all"
    year_value = int(year) if year and year.isdigit() else None
    filters = html.Div(
        [
            _field(
                "dx.year",
                dcc.Dropdown(
                    id=ids.DX_YEAR, value=year_value, options=[], clearable=False, searchable=False
                ),
                ids.DX_YEAR,
                lang,
            ),
            _field(
                "dx.geo",
                dcc.RadioItems(
                    id=ids.DX_GEO,
                    value=geo,
                    inline=True,
                    options=geography_options(lang),
                ),
                ids.DX_GEO,
                lang,
            ),
            _field(
                "dx.area",
                dcc.Dropdown(id=ids.DX_AREA, value=area or "all", options=[], clearable=False),
                ids.DX_AREA,
                lang,
            ),
            _field(
                "dx.edu_level",
                dcc.Dropdown(
                    id=ids.DX_LEVEL,
                    value=level,
                    options=_options(EDU_LEVELS, lang),
                    clearable=False,
                    searchable=False,
                ),
                ids.DX_LEVEL,
                lang,
            ),
            _field(
                "dx.ownership",
                dcc.Dropdown(
                    id=ids.DX_OWNERSHIP,
                    value=ownership,
                    options=_options(OWNERSHIP_NAMES, lang),
                    clearable=False,
                    searchable=False,
                ),
                ids.DX_OWNERSHIP,
                lang,
            ),
        ],
        className="cr-controls",
        role="group",
        **{"aria-label": t("dx.filters", lang)},
    )
    return html.Div(
        [
            html.Div(page_header(t("dx.title", lang), t("dx.subtitle", lang)), id=ids.DX_HEADER),
            filters,
            dcc.Loading(html.Div(id=ids.DX_SUMMARY)),
            html.Div(
                [
                    _chart("dx.levels", ids.DX_LEVELS, lang),
                    _chart("dx.funnel", ids.DX_FUNNEL, lang),
                    _chart("dx.groups", ids.DX_GROUPS, lang),
                    _chart("dx.trend", ids.DX_TREND, lang),
                ],
                className="dx-charts",
            ),
            html.Section(
                [html.H2(t("dx.ranking", lang)), dcc.Loading(html.Div(id=ids.DX_RANKING))],
                className="card",
            ),
            html.Section(
                [html.H2(t("dxplan.closest", lang)), dcc.Loading(html.Div(id=ids.DX_CLOSEST))],
                className="card",
            ),
            html.Section(
                [
                    html.H2(t("dx.schools", lang)),
                    *export_actions(ids.DX_EXPORT_CSV, ids.DX_EXPORT_XLSX, ids.DX_DOWNLOAD, lang),
                    dcc.Loading(html.Div(id=ids.DX_SCHOOLS)),
                ],
                className="card",
            ),
            html.Section(
                [html.H2(t("dx.criteria", lang)), html.Div(id=ids.DX_CRITERIA)], className="card"
            ),
        ],
        className="dx-page",
    )
