"""/plan, what leadership reads of a quarter's reports: punctuality by unit, kind and ward,
the themes of difficulties and recommendations, and the Phụ lục II workbook."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app.core import ids
from ioc_app.core.i18n import add_texts, t
from layouts.common import export_actions

TEXTS = {
    "pr.section": (
        "Báo cáo quý của đơn vị và trường học",
        "Quarterly reports of units and schools",
    ),
    "pr.workbook": ("Tải Phụ lục II (Excel)", "Download Annex II (Excel)"),
    "pr.workbook.hint": (
        "Bảng tổng hợp Phụ lục II của quý đã chọn, cột (3)–(6) tổng hợp từ báo cáo đã nộp "
        "của các đơn vị (như lệnh report quarterly).",
        "The Annex II summary of the chosen quarter, columns (3)–(6) synthesised from the "
        "units' submitted reports (as the report quarterly command writes it).",
    ),
    "pr.by_kind": ("Nộp báo cáo theo loại đơn vị", "Punctuality by kind of reporter"),
    "pr.by_unit": ("Nộp báo cáo theo đơn vị", "Punctuality per unit"),
    "pr.wards": (
        "Trường học nộp báo cáo theo phường, xã (2025), kém nhất trước",
        "Schools' punctuality by 2025 ward, worst first",
    ),
    "pr.themes": ("Chủ đề khó khăn và kiến nghị trong quý", "Themes of the quarter"),
    "pr.themes.intro": (
        "Khó khăn (cột 5) và kiến nghị (cột 6) của các báo cáo đã nộp, gom thành chủ đề; "
        "xu hướng so với quý trước.",
        "Difficulties (column 5) and recommendations (column 6) of the submitted reports, "
        "grouped into themes; trend against the quarter before.",
    ),
    "pr.state.on_time": ("Đúng hạn", "On time"),
    "pr.state.late": ("Trễ hạn", "Late"),
    "pr.state.returned": ("Bị trả lại", "Returned"),
    "pr.state.missing": ("Chưa nộp", "Missing"),
    "pr.state.not_due": ("Chưa đến hạn", "Not due yet"),
    "pr.col.kind": ("Loại", "Kind"),
    "pr.col.unit": ("Đơn vị", "Unit"),
    "pr.col.state": ("Tình trạng", "State"),
    "pr.col.submitted": ("Ngày nộp", "Submitted"),
    "pr.col.ward": ("Phường, xã", "Ward"),
    "pr.col.expected": ("Phải nộp", "Expected"),
    "pr.col.on_time_share": ("Tỷ lệ đúng hạn", "On time share"),
    "pr.kind.department_office": ("Văn phòng Sở", "Department Office"),
    "pr.kind.division": ("Phòng chuyên môn", "Divisions"),
    "pr.kind.inspectorate": ("Thanh tra Sở", "Inspectorate"),
    "pr.kind.centre": ("Trung tâm", "Centres"),  # institutions' kinds: core.vocabulary
    "pr.theme.units": ("{n} đơn vị, trường nêu", "raised by {n} units and schools"),
    "pr.theme.up": (
        "↑ tăng {d} so với quý trước ({before})",
        "↑ {d} more than last quarter ({before})",
    ),
    "pr.theme.down": (
        "↓ giảm {d} so với quý trước ({before})",
        "↓ {d} fewer than last quarter ({before})",
    ),
    "pr.theme.same": ("= như quý trước ({before})", "= as last quarter ({before})"),
    "pr.theme.reports": ("Xem {n} báo cáo {quarter}", "Open the {n} reports of {quarter}"),
    "pr.theme.more": ("… và {n} báo cáo khác", "… and {n} more reports"),
    "pr.theme.none": (
        "Chưa có khó khăn, kiến nghị nào trong các báo cáo đã nộp của {quarter}.",
        "No difficulty or recommendation in the submitted reports of {quarter} yet.",
    ),
    "pr.theme.own": (
        "Trích dẫn và danh sách báo cáo chỉ gồm báo cáo của đơn vị bạn; số đơn vị là của "
        "toàn thành phố.",
        "Quotes and reports are only your units' own; the counts are city-wide.",
    ),
    "pr.generated": (
        "Các báo cáo của {quarter} là dữ liệu mô phỏng (generated): tình hình nộp, chủ đề "
        "và trích dẫn không phải của đơn vị thật.",
        "The reports of {quarter} are generated: punctuality, themes and quotes are not "
        "real units' words.",
    ),
    "pr.empty.wards": ("Không có trường học nào phải nộp.", "No school is expected to report."),
}
add_texts(TEXTS)


def sections(lang: str) -> list[Any]:
    """The reports' cards of /plan, filled by ``callbacks.plan_reports``."""
    workbook = html.Div(
        [
            html.Button(
                t("pr.workbook", lang), id=ids.PLAN_WORKBOOK, type="button", className="button"
            ),
            html.Span(t("pr.workbook.hint", lang), className="muted"),
            dcc.Download(id=ids.PLAN_WORKBOOK_DOWNLOAD),
        ],
        className="dom-actions",
    )
    return [
        html.Section(
            [
                html.H2(t("pr.section", lang)),
                html.Div(id=ids.PLAN_REPORTS_NOTE),
                workbook,
                dcc.Loading(html.Div(id=ids.PLAN_BY_KIND, className="plan-by-kind")),
                html.H3(t("pr.wards", lang)),
                *export_actions(
                    ids.PLAN_WARDS_CSV, ids.PLAN_WARDS_XLSX, ids.PLAN_WARDS_DOWNLOAD, lang
                ),
                dcc.Loading(html.Div(id=ids.PLAN_WARDS, className="dom-table")),
            ],
            className="card plan-reports",
        ),
        html.Section(
            [
                html.H2(t("pr.themes", lang)),
                html.P(t("pr.themes.intro", lang), className="muted"),
                dcc.Loading(html.Div(id=ids.PLAN_THEMES, className="plan-themes")),
            ],
            className="card plan-themes-card",
        ),
    ]
