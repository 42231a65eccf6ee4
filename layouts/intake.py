"""/intake: a department (or an admin) loads a member system's file: dataset → template →
upload → validation report → commit, and the dataset's recent batches with undo.

The layout is pure: the datasets the caller may load, the report and the batches arrive
through callbacks/intake.py, which checks the caller again in every callback.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app.core import ids
from ioc_app.core.i18n import add_texts, current_language, t
from layouts.common import page_header

add_texts(
    {
        "intake.title": ("Nạp dữ liệu", "Data intake"),
        "intake.intro": (
            "Nạp tệp CSV hoặc XLSX của hệ thống thành viên: chọn bộ dữ liệu, tải mẫu, tải tệp "
            "lên, xem báo cáo kiểm tra; chỉ tệp không có lỗi mới được ghi. Mỗi lần ghi được lưu "
            "vết và có thể hoàn tác.",
            "Load a member system's CSV or XLSX file: choose the dataset, download its "
            "template, upload the file and read the validation report; only a clean file can "
            "be committed. Every commit is recorded and can be undone.",
        ),
        "intake.dataset": ("Bộ dữ liệu", "Dataset"),
        "intake.template": ("Tải tệp mẫu (CSV)", "Download the template (CSV)"),
        "intake.upload": (
            "Kéo thả hoặc chọn tệp CSV/XLSX (tối đa {size})",
            "Drag and drop or choose a CSV/XLSX file (at most {size})",
        ),
        "intake.progress": ("Đang kiểm tra tệp…", "Checking the file…"),
        "intake.report_csv": ("Tải báo cáo lỗi (CSV)", "Download the report (CSV)"),
        "intake.commit": ("Ghi vào kho dữ liệu", "Commit to the warehouse"),
        "intake.batches": ("Các lần nạp gần đây", "Recent batches"),
        "intake.no_dataset": ("Chọn một bộ dữ liệu.", "Choose a dataset."),
        "intake.no_datasets": (
            "Bạn không phụ trách lĩnh vực dữ liệu nào.",
            "You supervise no data domain.",
        ),
        "intake.uploaded": (
            "Đã nhận tệp {file} ({size}); đang kiểm tra.",
            "Received {file} ({size}); checking it.",
        ),
        "intake.refused": ("Không nhận tệp: {reason}", "File refused: {reason}"),
        "intake.clean": (
            "Tệp {file} hợp lệ: {rows} dòng. Có thể ghi vào kho dữ liệu.",
            "{file} is clean: {rows} rows. It can be committed.",
        ),
        "intake.problems": (
            "Tệp {file} có {count} lỗi; không thể ghi. Sửa tệp rồi tải lên lại.",
            "{file} has {count} problem(s); it cannot be committed. Fix it and upload it again.",
        ),
        "intake.notes": ("Đã chuyển đổi: {notes}", "Converted: {notes}"),
        "intake.col.row": ("Dòng", "Row"),
        "intake.col.column": ("Cột", "Column"),
        "intake.col.value": ("Giá trị", "Value"),
        "intake.col.reason": ("Lý do", "Reason"),
        "intake.committed": (
            "Đã ghi lô {batch}: {inserted} dòng thêm mới, {updated} dòng cập nhật, "
            "{unchanged} dòng không đổi, {removed} dòng bị thay.",
            "Batch {batch} committed: {inserted} inserted, {updated} updated, "
            "{unchanged} unchanged, {removed} removed.",
        ),
        "intake.see_domain": ("Xem trang lĩnh vực", "Open the domain page"),
        "intake.commit_refused": ("Không ghi: {reason}", "Not committed: {reason}"),
        "intake.undone": (
            "Đã hoàn tác lô {batch} (lô hoàn tác {undo}).",
            "Batch {batch} undone (undo batch {undo}).",
        ),
        "intake.undo_refused": ("Không hoàn tác: {reason}", "Not undone: {reason}"),
        "intake.undo": ("Hoàn tác", "Undo"),
        "intake.col.id": ("Lô", "Batch"),
        "intake.col.file": ("Tệp", "File"),
        "intake.col.who": ("Người nạp", "Loaded by"),
        "intake.col.when": ("Thời gian", "When"),
        "intake.col.status": ("Trạng thái", "Status"),
        "intake.col.counts": (
            "Thêm / cập nhật / không đổi / bị thay",
            "Inserted / updated / unchanged / removed",
        ),
        "intake.status.done": ("Đã ghi", "Committed"),
        "intake.status.undone": ("Đã hoàn tác", "Undone"),
        "intake.status.undo": ("Hoàn tác", "Undo"),
        "intake.status.rejected": ("Bị từ chối", "Rejected"),
        "intake.status.running": ("Đang chạy", "Running"),
        "intake.no_batches": ("Chưa có lần nạp nào.", "No batch yet."),
    }
)


def layout(dataset: str | None = None, **_params: Any) -> Any:
    """The page; ``dataset`` (from the URL) is preselected when the caller may load it."""
    lang = current_language()
    return html.Div(
        [
            page_header(t("intake.title", lang), t("intake.intro", lang)),
            dcc.Store(id=ids.INTAKE_REFRESH, data={"dataset": dataset}),
            dcc.Store(id=ids.INTAKE_TOKEN),
            dcc.Store(id=ids.INTAKE_VALIDATED),
            html.Div(
                [
                    html.Label(t("intake.dataset", lang), htmlFor=ids.INTAKE_DATASET),
                    dcc.Dropdown(id=ids.INTAKE_DATASET, options=[], clearable=False),
                    html.Button(
                        t("intake.template", lang),
                        id=ids.INTAKE_TEMPLATE,
                        type="button",
                        className="button",
                    ),
                    dcc.Download(id=ids.INTAKE_TEMPLATE_DOWNLOAD),
                ],
                className="intake-dataset",
            ),
            dcc.Upload(
                html.Div(id=ids.INTAKE_UPLOAD_MESSAGE, children=t("intake.no_dataset", lang)),
                id=ids.INTAKE_UPLOAD,
                accept=".csv,.xlsx",
                multiple=False,
                className="intake-upload",
                style={
                    "border": "2px dashed var(--border)",
                    "padding": "1.5rem",
                    "borderRadius": "8px",
                    "textAlign": "center",
                    "cursor": "pointer",
                    "margin": "1rem 0",
                },
            ),
            html.Div(
                [
                    html.Span(t("intake.progress", lang), className="muted"),
                    html.Progress(id=ids.INTAKE_PROGRESS, value="0", max="3"),
                ],
                className="intake-progress",
            ),
            html.Div(id=ids.INTAKE_REPORT, role="status"),
            html.Div(
                [
                    html.Button(
                        t("intake.report_csv", lang),
                        id=ids.INTAKE_REPORT_CSV,
                        type="button",
                        className="button",
                    ),
                    dcc.Download(id=ids.INTAKE_REPORT_DOWNLOAD),
                    html.Button(
                        t("intake.commit", lang),
                        id=ids.INTAKE_COMMIT,
                        type="button",
                        className="button button-primary",
                        disabled=True,
                    ),
                ],
                className="dom-actions",
                role="group",
            ),
            html.Div(id=ids.INTAKE_RESULT, role="status"),
            html.H2(t("intake.batches", lang)),
            html.Div(id=ids.INTAKE_UNDO_MESSAGE, role="status"),
            dcc.Loading(html.Div(id=ids.INTAKE_BATCHES, className="table-wrap")),
        ]
    )
