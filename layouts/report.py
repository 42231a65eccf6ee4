"""/report: a unit's or a school's quarterly report on plan 723 (Phụ lục II), on any screen.

The layout is pure: the URL's ``quarter`` and ``unit`` choose the report; the tasks, their
values, the deadline and the history arrive through callbacks/report.py.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app.core import ids
from ioc_app.core.fmt import fmt_date
from ioc_app.core.i18n import add_texts, current_language, t
from layouts.common import page_header

STATUSES = ("not_started", "in_progress", "done")
TEXT_FIELDS = ("done", "next", "difficulties", "recommendations")
add_texts(
    {
        "rep.title": ("Báo cáo quý", "Quarterly report"),
        "rep.intro": (
            "Báo cáo tình hình thực hiện Kế hoạch 723/KH-SGDĐT (Phụ lục II): đơn vị điền các "
            "cột (3), (4), (5), (6); không xóa dòng, không sửa cột (2). Hạn nộp: trước ngày 25 "
            "tháng cuối quý.",
            "Report on plan 723/KH-SGDĐT (Annex II): units fill columns (3), (4), (5) and (6); "
            "they neither delete rows nor edit column (2). Due before the 25th of the "
            "quarter's last month.",
        ),
        "rep.quarter": ("Quý", "Quarter"),
        "rep.unit": ("Đơn vị báo cáo", "Reporting unit"),
        "rep.deadline": (
            "Hạn nộp: 23:59 ngày {day} (giờ TP.HCM) · còn {days} ngày",
            "Due: 23:59 on {day} (HCMC time) · {days} days left",
        ),
        "rep.deadline.past": (
            "Hạn nộp: 23:59 ngày {day} (giờ TP.HCM) · đã qua hạn {days} ngày",
            "Due: 23:59 on {day} (HCMC time) · {days} days ago",
        ),
        "rep.state.none": ("Chưa có báo cáo", "No report yet"),
        "rep.state.draft": ("Bản nháp", "Draft"),
        "rep.state.submitted": ("Đã nộp", "Submitted"),
        "rep.state.returned": ("Bị trả lại", "Returned"),
        "rep.submitted_at": ("nộp lúc {time}", "submitted {time}"),
        "rep.late": ("nộp trễ hạn", "late"),
        "rep.amended_late": ("sửa sau hạn", "amended after the deadline"),
        "rep.returned": ("Trả lại bởi {who}: {comment}", "Returned by {who}: {comment}"),
        "rep.status": ("Tình trạng", "Status"),
        "rep.status.not_started": ("Chưa thực hiện", "Not started"),
        "rep.status.in_progress": ("Đang thực hiện", "In progress"),
        "rep.status.done": ("Đã hoàn thành", "Done"),
        "rep.progress": ("Tiến độ so với kế hoạch (%)", "Progress against the plan (%)"),
        "rep.field.done": (
            "(3) Nội dung đã thực hiện trong quý và kết quả",
            "(3) Done this quarter, results",
        ),
        "rep.field.next": ("(4) Nội dung thực hiện quý tiếp theo", "(4) Planned next quarter"),
        "rep.field.difficulties": ("(5) Khó khăn, vướng mắc", "(5) Difficulties, obstacles"),
        "rep.field.recommendations": ("(6) Kiến nghị, đề xuất", "(6) Recommendations, proposals"),
        "rep.task.due": ("Hạn hoàn thành: {due}", "Due: {due}"),
        "rep.task.units": (
            "Chủ trì: {lead} · Phối hợp: {partner}",
            "Lead: {lead} · Partners: {partner}",
        ),
        "rep.task.adhoc": (
            "Công việc đột xuất theo chỉ đạo của Sở",
            "Ad-hoc task directed by the Department",
        ),
        "rep.save": ("Lưu nháp", "Save draft"),
        "rep.submit": ("Nộp báo cáo", "Submit report"),
        "rep.saved": ("Đã lưu phiên bản {version}.", "Saved as version {version}."),
        "rep.submitted": (
            "Đã nộp báo cáo (phiên bản {version}).",
            "Report submitted (version {version}).",
        ),
        "rep.reopened": (
            "Đã mở lại báo cáo để sửa (phiên bản {version}); nhớ nộp lại trước hạn.",
            "Report reopened for changes (version {version}); submit it again before the deadline.",
        ),
        "rep.late_amendment": (
            "Đã ghi nhận chỉnh sửa sau hạn (phiên bản {version}).",
            "Late amendment recorded (version {version}).",
        ),
        "rep.adhoc": ("Thêm công việc đột xuất", "Add an ad-hoc task"),
        "rep.adhoc.name": ("Tên công việc", "Task name"),
        "rep.adhoc.due": ("Hạn hoàn thành", "Due date"),
        "rep.adhoc.add": ("Thêm", "Add"),
        "rep.adhoc.added": ("Đã thêm công việc đột xuất.", "Ad-hoc task added."),
        "rep.history": ("Lịch sử các phiên bản", "Version history"),
        "rep.history.none": ("Chưa có phiên bản nào.", "No version yet."),
        "rep.history.col.number": ("Phiên bản", "Version"),
        "rep.history.col.at": ("Thời điểm", "When"),
        "rep.history.col.by": ("Người thực hiện", "By"),
        "rep.history.col.action": ("Thao tác", "Action"),
        "rep.history.col.changes": ("Thay đổi", "Changes"),
        "rep.action.save_draft": ("Lưu nháp", "Draft saved"),
        "rep.action.submit": ("Nộp", "Submitted"),
        "rep.action.reopen": ("Mở lại", "Reopened"),
        "rep.action.return": ("Trả lại", "Returned"),
        "rep.action.late_amendment": ("Sửa sau hạn", "Late amendment"),
        "rep.return": ("Trả lại báo cáo", "Return the report"),
        "rep.return.comment": ("Nội dung cần bổ sung, chỉnh sửa", "What the unit should correct"),
        "rep.return.done": (
            "Đã trả lại báo cáo cho đơn vị.",
            "The report was returned to the unit.",
        ),
        "rep.readonly": (
            "Bạn đang xem báo cáo của đơn vị khác: chỉ xem, không sửa.",
            "You are reading another unit's report: read only.",
        ),
        "rep.no_tasks": (
            "Đơn vị không có nhiệm vụ nào phải báo cáo trong quý này.",
            "The unit has no task to report on this quarter.",
        ),
        "rep.generated": (
            "Báo cáo này do hệ thống sinh để minh họa, không phải báo cáo thật.",
            "This report was generated for the demo; it is not a real report.",
        ),
        "rep.choose": ("Chọn quý và đơn vị báo cáo.", "Choose a quarter and a reporting unit."),
        "rep.change.status": ("tình trạng", "status"),
        "rep.change.progress": ("tiến độ", "progress"),
        "rep.change.done": ("cột (3)", "column (3)"),
        "rep.change.next": ("cột (4)", "column (4)"),
        "rep.change.difficulties": ("cột (5)", "column (5)"),
        "rep.change.recommendations": ("cột (6)", "column (6)"),
    }
)


def _field(label_key: str, control: Any, control_for: str, lang: str) -> Any:
    return html.Div(
        [html.Label(t(label_key, lang), htmlFor=control_for), control], className="rep-field"
    )


def layout(quarter: str | None = None, unit: str | None = None, **_params: Any) -> Any:
    """The report page (the URL's ``quarter`` and ``unit`` choose the report)."""
    lang = current_language()
    params = {"quarter": quarter, "unit": unit}
    return html.Div(
        [
            page_header(t("rep.title", lang)),
            html.P(t("rep.intro", lang), className="muted"),
            dcc.Store(id=ids.REP_PARAMS, data=params),
            dcc.Store(id=ids.REP_REFRESH, data=0),
            html.Div(
                [
                    _field(
                        "rep.quarter",
                        dcc.Dropdown(id=ids.REP_QUARTER, clearable=False),
                        ids.REP_QUARTER,
                        lang,
                    ),
                    _field(
                        "rep.unit",
                        dcc.Dropdown(id=ids.REP_UNIT, clearable=False),
                        ids.REP_UNIT,
                        lang,
                    ),
                ],
                className="rep-controls card",
            ),
            html.Div(
                [html.P(id=ids.REP_DEADLINE), html.Div(id=ids.REP_STATE)],
                className="rep-status card",
                **{"aria-live": "polite"},
            ),
            dcc.Loading(html.Div(id=ids.REP_FORM, className="rep-form"), type="dot"),
            html.Div(
                [
                    html.H2(t("rep.adhoc", lang)),
                    _field(
                        "rep.adhoc.name",
                        dcc.Input(id=ids.REP_ADHOC_NAME, type="text", maxLength=1000),
                        ids.REP_ADHOC_NAME,
                        lang,
                    ),
                    _field(
                        "rep.adhoc.due",
                        dcc.Input(id=ids.REP_ADHOC_DUE, type="date"),
                        ids.REP_ADHOC_DUE,
                        lang,
                    ),
                    html.Button(t("rep.adhoc.add", lang), id=ids.REP_ADHOC_ADD, n_clicks=0),
                ],
                id=ids.REP_ADHOC,
                className="rep-adhoc card",
            ),
            html.Div(
                [
                    html.Button(t("rep.save", lang), id=ids.REP_SAVE, n_clicks=0),
                    html.Button(
                        t("rep.submit", lang), id=ids.REP_SUBMIT, n_clicks=0, className="primary"
                    ),
                ],
                id=ids.REP_ACTIONS,
                className="rep-actions",
            ),
            html.Div(id=ids.REP_MESSAGE, role="status", **{"aria-live": "polite"}),
            html.Div(
                [
                    html.H2(t("rep.return", lang)),
                    _field(
                        "rep.return.comment",
                        dcc.Textarea(id=ids.REP_RETURN_COMMENT, maxLength=4000),
                        ids.REP_RETURN_COMMENT,
                        lang,
                    ),
                    html.Button(t("rep.return", lang), id=ids.REP_RETURN, n_clicks=0),
                ],
                id=ids.REP_RETURN_BOX,
                className="rep-return card",
                style={"display": "none"},
            ),
            html.Div(
                [html.H2(t("rep.history", lang)), html.Div(id=ids.REP_HISTORY)],
                className="card",
            ),
        ],
        className="page page-report",
    )


def task_card(task: dict[str, Any], item: dict[str, Any], lang: str, *, editable: bool) -> Any:
    """One task of the form: column (2) as text, then status, progress and columns (3)–(6)."""
    key = task["key"]
    name = task.get("name_vi") if lang == "vi" else (task.get("name_en") or task.get("name_vi"))
    if task.get("role") == "adhoc":
        units = t("rep.task.adhoc", lang)
    else:
        units = t("rep.task.units", lang).format(
            lead=task.get("lead_units") or "—", partner=task.get("partner_units") or "—"
        )
    fields = [
        html.Fieldset(
            [
                html.Legend(t("rep.status", lang)),
                dcc.RadioItems(
                    id=ids.rep_field("status", key),
                    options=[
                        {"label": t(f"rep.status.{s}", lang), "value": s, "disabled": not editable}
                        for s in STATUSES
                    ],
                    value=item.get("status") or "not_started",
                    inline=True,
                ),
            ],
            className="rep-status-field",
        ),
        # Pattern-matching ids are not DOM ids a label can name: each label wraps its control.
        html.Label(
            [
                t("rep.progress", lang),
                dcc.Input(
                    id=ids.rep_field("progress", key),
                    type="number",
                    min=0,
                    max=100,
                    step=1,
                    value=item.get("progress") or 0,
                    disabled=not editable,
                ),
            ],
            className="rep-field",
        ),
    ]
    for name_of_field in TEXT_FIELDS:
        fields.append(
            html.Label(
                [
                    t(f"rep.field.{name_of_field}", lang),
                    dcc.Textarea(
                        id=ids.rep_field(name_of_field, key),
                        value=item.get(name_of_field) or "",
                        maxLength=4000,
                        disabled=not editable,
                        className="rep-text",
                    ),
                ],
                className="rep-field",
            )
        )
    return html.Section(
        [
            html.H3([html.Span(key, className="rep-key"), " ", name or "—"]),
            html.P(
                [units, " · ", t("rep.task.due", lang).format(due=fmt_date(task.get("due"), lang))],
                className="muted",
            ),
            *fields,
        ],
        className="rep-task card",
        **{"aria-label": key},
    )
