"""/plan: quarterly progress of plan 723 — tiles, filters (from the URL), tasks, reports."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from analytics.plan_progress import STATES
from ioc_app.core import ids
from ioc_app.core.i18n import add_texts, current_language, t
from layouts.common import export_actions, page_header
from layouts.plan_reports import sections as report_sections

KINDS = ("item", "dx")
TEXTS = {
    "plan.title": ("Tiến độ kế hoạch", "Plan progress"),
    "plan.intro": (
        "Tiến độ thực hiện Kế hoạch 723/KH-SGDĐT về chuyển đổi số năm 2023 và các "
        "nhiệm vụ chuyển đổi số 2022–2025, theo báo cáo quý của các đơn vị "
        "(Phụ lục II).",
        "Progress of plan 723/KH-SGDĐT on digital transformation (2023) and the "
        "2022–2025 digital-transformation tasks, from the units' quarterly reports "
        "(Annex II).",
    ),
    "plan.filters": ("Bộ lọc", "Filters"),
    "plan.quarter": ("Quý báo cáo", "Reporting quarter"),
    "plan.unit": ("Đơn vị chủ trì", "Lead unit"),
    "plan.unit.placeholder": ("Tất cả đơn vị", "All units"),
    "plan.status": ("Trạng thái", "Status"),
    "plan.kind": ("Loại nhiệm vụ", "Task kind"),
    "plan.all": ("Tất cả", "All"),
    "plan.state.done": ("Hoàn thành", "Done"),
    "plan.state.on_track": ("Đúng tiến độ", "On track"),
    "plan.state.late": ("Trễ hạn", "Late"),
    "plan.state.not_started": ("Chưa triển khai", "Not started"),
    "plan.kind.item": ("Hạng mục Kế hoạch 2023", "2023 plan item"),
    "plan.kind.dx": ("Nhiệm vụ CĐS 2022–2025", "DX task 2022–2025"),
    "plan.tiles": ("Tổng hợp trạng thái nhiệm vụ", "Task status summary"),
    "plan.chart": ("Trạng thái nhiệm vụ theo quý", "Task status by quarter"),
    "plan.tasks": ("Danh sách nhiệm vụ", "Tasks"),
    "plan.punctuality": ("Tình hình nộp báo cáo quý", "Quarterly report punctuality"),
    "plan.punctuality.caption": (
        "Báo cáo {quarter}: hạn nộp và ngày nộp của từng đơn vị",
        "Reports for {quarter}: due and submitted, per unit",
    ),
    "plan.chart.y": ("Số nhiệm vụ", "Tasks"),
    "plan.col.code": ("Mã", "Code"),
    "plan.col.kind": ("Loại", "Kind"),
    "plan.col.title": ("Nội dung", "Task"),
    "plan.col.leads": ("Đơn vị chủ trì", "Lead units"),
    "plan.col.due": ("Hạn hoàn thành", "Due"),
    "plan.col.state": ("Trạng thái", "Status"),
    "plan.col.percent": ("Tiến độ (%)", "Progress (%)"),
    "plan.col.quarter": ("Quý báo cáo gần nhất", "Last reported"),
    "plan.col.unit": ("Đơn vị", "Unit"),
    "plan.col.submitted": ("Ngày nộp", "Submitted"),
    "plan.col.punctual": ("Đúng hạn?", "On time?"),
    "plan.col.record": ("Đúng hạn đến quý này", "On time so far"),
    "plan.report.on_time": ("Đúng hạn", "On time"),
    "plan.report.late": ("Trễ {days} ngày", "{days} days late"),
    "plan.report.missing": ("Chưa nộp, quá hạn {days} ngày", "Missing, {days} days overdue"),
    "plan.report.not_due": ("Chưa đến hạn", "Not due yet"),
    "plan.record": ("{on_time}/{due} báo cáo", "{on_time} of {due} reports"),
    "plan.judged_on": (
        "Tiến độ tính đến {quarter}, đánh giá tại ngày {day}.",
        "Progress as of {quarter}, judged on {day}.",
    ),
    "plan.generated": (
        "Báo cáo quý là dữ liệu mô phỏng; danh mục nhiệm vụ, đơn vị chủ trì và "
        "thời hạn lấy từ Kế hoạch 723 (thật).",
        "Quarterly reports are generated; the tasks, lead units and due dates "
        "come from plan 723 (real).",
    ),
    "plan.empty.progress": (
        "Chưa có báo cáo tiến độ nào đến hết {quarter} cho các nhiệm vụ "
        "này: trạng thái hiển thị là trạng thái đầu năm 2023.",
        "No progress report up to {quarter} for these tasks: the status "
        "shown is the one of early 2023.",
    ),
    "plan.empty.tasks": (
        "Không có nhiệm vụ nào khớp bộ lọc. Hãy bỏ bớt đơn vị, trạng thái hoặc loại nhiệm vụ.",
        "No task matches these filters. Remove a unit, the status or the task kind.",
    ),
    "plan.empty.reports": (
        "Chưa có báo cáo quý nào cho {quarter} (hạn nộp {due}).",
        "No quarterly report for {quarter} yet (due {due}).",
    ),
    "plan.empty.unit_reports": (
        "Các đơn vị đã chọn không có báo cáo quý cho {quarter}.",
        "The chosen units have no quarterly report for {quarter}.",
    ),
    "plan.see_quarter": ("Xem {quarter}", "See {quarter}"),
}
add_texts(TEXTS)


def _field(label_key: str, control: Any, control_id: str, lang: str) -> Any:
    return html.Div(
        [html.Label(t(label_key, lang), htmlFor=control_id), control], className="cr-field"
    )


def _choices(prefix: str, keys: tuple[str, ...], lang: str) -> list[dict[str, str]]:
    return [{"label": t("plan.all", lang), "value": "all"}] + [
        {"label": t(f"{prefix}.{key}", lang), "value": key} for key in keys
    ]


def layout(
    *,
    quarter: str | None = None,
    unit: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    **_params: Any,
) -> Any:
    """The plan page; quarter and units are checked and filled in by a callback."""
    lang = current_language()
    filters = html.Div(
        [
            _field(
                "plan.quarter",
                dcc.Dropdown(
                    id=ids.PLAN_QUARTER,
                    value=quarter,
                    options=[],
                    clearable=False,
                    searchable=False,
                ),
                ids.PLAN_QUARTER,
                lang,
            ),
            _field(
                "plan.unit",
                dcc.Dropdown(
                    id=ids.PLAN_UNIT,
                    value=[],
                    options=[],
                    multi=True,
                    placeholder=t("plan.unit.placeholder", lang),
                ),
                ids.PLAN_UNIT,
                lang,
            ),
            _field(
                "plan.status",
                dcc.Dropdown(
                    id=ids.PLAN_STATUS,
                    value=status if status in STATES else "all",
                    options=_choices("plan.state", STATES, lang),
                    clearable=False,
                    searchable=False,
                ),
                ids.PLAN_STATUS,
                lang,
            ),
            _field(
                "plan.kind",
                dcc.Dropdown(
                    id=ids.PLAN_KIND,
                    value=kind if kind in KINDS else "all",
                    options=_choices("plan.kind", KINDS, lang),
                    clearable=False,
                    searchable=False,
                ),
                ids.PLAN_KIND,
                lang,
            ),
        ],
        className="cr-controls",
        role="group",
        **{"aria-label": t("plan.filters", lang)},
    )
    return html.Div(
        [
            dcc.Store(id=ids.PLAN_PARAMS, data={"quarter": quarter, "unit": unit}),
            page_header(t("plan.title", lang), t("plan.intro", lang)),
            filters,
            html.Div(id=ids.PLAN_NOTE),
            html.Section(
                [
                    html.H2(t("plan.tiles", lang)),
                    dcc.Loading(html.Div(id=ids.PLAN_TILES, className="cr-tile-row")),
                ],
                className="card",
            ),
            html.Div(
                [
                    html.Section(
                        [
                            html.H2(t("plan.chart", lang)),
                            dcc.Loading(
                                dcc.Graph(
                                    id=ids.PLAN_CHART,
                                    config={"displaylogo": False, "responsive": True},
                                    style={"height": "320px"},
                                )
                            ),
                        ],
                        className="card",
                    ),
                    html.Section(
                        [
                            html.H2(t("plan.tasks", lang)),
                            *export_actions(
                                ids.PLAN_EXPORT_CSV, ids.PLAN_EXPORT_XLSX, ids.PLAN_DOWNLOAD, lang
                            ),
                            dcc.Loading(html.Div(id=ids.PLAN_TABLE, className="dom-table")),
                        ],
                        className="card",
                    ),
                    html.Section(
                        [
                            html.H2(t("plan.punctuality", lang)),
                            dcc.Loading(html.Div(id=ids.PLAN_PUNCTUALITY)),
                        ],
                        className="card",
                    ),
                ],
                className="dom-grid",
            ),
            *report_sections(lang),
        ],
        className="plan-page",
    )
