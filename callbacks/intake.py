"""Callbacks of /intake: datasets the caller may load, template, upload (kept on the server),
validation as a background job with progress, the report and its CSV, commit, batches, undo.

Every callback checks the caller again on the server: the dataset must belong to a domain the
caller supervises (an admin: any), an upload must be the caller's own. The validation job
runs in a worker without a request; it validates only uploads the upload callback accepted
for their uploader and writes its audit entry in that uploader's name.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate
from flask import current_app

from callbacks.common import export_frame
from data_access.ingest import template
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.fmt import fmt_date, fmt_number
from ioc_app.core.guard import Access, principal
from ioc_app.core.i18n import current_language, pick, t
from ioc_app.core.warehouse import engine
from ioc_app.services import intake as service
from layouts.common import notice
from layouts.grid import grid

ACCESS = Access.of("department")  # and admin, as every Access
CALLBACKS = CallbackRegistry()
#: Problems shown per page of the on-screen report.
PAGE_SIZE = 20


def _size(n: int, lang: str) -> str:
    return f"{fmt_number(n / 2**20, 'ratio', lang)} MB"


def _limit() -> int:
    return service.max_upload_bytes(current_app.config.get("MAX_CONTENT_LENGTH"))


@CALLBACKS.callback(
    ACCESS,
    Output(ids.INTAKE_DATASET, "options"),
    Output(ids.INTAKE_DATASET, "value"),
    Output(ids.INTAKE_UPLOAD, "max_size"),
    Input(ids.INTAKE_REFRESH, "data"),
)
def setup(params: Any) -> tuple[Any, Any, Any]:
    """Page load → the datasets the caller may load (the URL's one preselected)."""
    lang = current_language()
    mine = service.datasets_for(principal())
    options = [
        {
            "label": f"{d['name']} — {pick(d['domain_vi'] or '', d['domain_en'], lang)}",
            "value": d["name"],
        }
        for d in mine
    ]
    wanted = params.get("dataset") if isinstance(params, dict) else None
    names = [d["name"] for d in mine]
    value = wanted if wanted in names else (names[0] if names else None)
    return options, value, _limit()


@CALLBACKS.callback(
    ACCESS,
    Output(ids.INTAKE_TEMPLATE_DOWNLOAD, "data"),
    Input(ids.INTAKE_TEMPLATE, "n_clicks"),
    State(ids.INTAKE_DATASET, "value"),
    prevent_initial_call=True,
)
def download_template(n_clicks: Any, name: Any) -> Any:
    """The dataset's template: the CSV header ``ingest --template`` prints."""
    if not n_clicks or not service.may_ingest(principal(), name):
        raise PreventUpdate
    return dcc.send_string(template(name), f"{name}_template.csv")


@CALLBACKS.callback(
    ACCESS,
    Output(ids.INTAKE_TOKEN, "data"),
    Output(ids.INTAKE_UPLOAD_MESSAGE, "children"),
    Output(ids.INTAKE_UPLOAD, "contents"),
    Input(ids.INTAKE_UPLOAD, "contents"),
    State(ids.INTAKE_UPLOAD, "filename"),
    State(ids.INTAKE_DATASET, "value"),
    prevent_initial_call=True,
)
def receive(contents: Any, filename: Any, name: Any) -> tuple[Any, Any, Any]:
    """An upload → kept on the server under a random token; the browser keeps the token only
    (and its copy of the file is cleared)."""
    lang = current_language()
    if not isinstance(contents, str) or "," not in contents:
        raise PreventUpdate
    who = principal()
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return None, t("intake.refused", lang).format(reason="not a file"), None
    try:
        upload = service.keep(who, name, str(filename or ""), data, _limit())
    except service.IntakeRefusedError as exc:
        return None, t("intake.refused", lang).format(reason=str(exc)), None
    audit.record("ingest_upload", f"{upload.dataset}:{upload.filename}", f"sha256 {upload.sha256}")
    message = t("intake.uploaded", lang).format(file=upload.filename, size=_size(len(data), lang))
    return {"token": upload.token, "lang": lang}, message, None


def _report(checked: Any, upload: Any, lang: str) -> Any:
    parts: list[Any] = []
    if checked.notes:
        parts.append(html.P(t("intake.notes", lang).format(notes="; ".join(checked.notes))))
    if checked.clean:
        text = t("intake.clean", lang).format(
            file=upload.filename, rows=fmt_number(checked.rows_in, "count", lang)
        )
        return html.Div([notice(text, kind="info"), *parts])
    frame = service.problems_frame(checked)
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    columns = [
        {"id": key, "name": t(f"intake.col.{key}", lang)}
        for key in ("row", "column", "value", "reason")
    ]
    text = t("intake.problems", lang).format(
        file=upload.filename, count=fmt_number(len(rows), "count", lang)
    )
    return html.Div(
        [notice(text, kind="error"), *parts, grid(rows, columns, lang, page_size=PAGE_SIZE)]
    )


@CALLBACKS.callback(
    ACCESS,
    Output(ids.INTAKE_REPORT, "children"),
    Output(ids.INTAKE_VALIDATED, "data"),
    Input(ids.INTAKE_TOKEN, "data"),
    background=True,
    progress=[Output(ids.INTAKE_PROGRESS, "value"), Output(ids.INTAKE_PROGRESS, "max")],
    running=[(Output(ids.INTAKE_REPORT_CSV, "disabled"), True, False)],
    prevent_initial_call=True,
)
def validate(set_progress: Any, kept: Any) -> tuple[Any, Any]:
    """Validate the kept upload (a background job: reading, checking, report; the guard runs
    it inside the application context of the app that registered it)."""
    if not isinstance(kept, dict):
        raise PreventUpdate
    lang = kept.get("lang") if kept.get("lang") in ("vi", "en") else "vi"
    upload = service.kept(kept.get("token"))
    if upload is None or not service.may_ingest(upload.uploader(), upload.dataset):
        return notice(t("intake.refused", lang).format(reason="—"), kind="error"), None
    set_progress(("1", "3"))
    checked = service.check(engine(), upload)
    set_progress(("2", "3"))
    service.record(
        engine(),
        upload.uploader(),
        "ingest_validate",
        f"{upload.dataset}:{upload.filename}",
        f"{len(checked.problems)} problem(s), {checked.rows_in} rows; sha256 {upload.sha256}",
    )
    report = _report(checked, upload, lang)
    set_progress(("3", "3"))
    validated = {"token": upload.token, "sha256": upload.sha256, "clean": checked.clean}
    return report, validated


@CALLBACKS.callback(
    ACCESS,
    Output(ids.INTAKE_REPORT_DOWNLOAD, "data"),
    Input(ids.INTAKE_REPORT_CSV, "n_clicks"),
    State(ids.INTAKE_TOKEN, "data"),
    prevent_initial_call=True,
)
def download_report(n_clicks: Any, kept: Any) -> Any:
    """The report as CSV: the caller's kept upload validated again on the server (the
    browser's copy of the report is not trusted); audited as an export."""
    if not n_clicks or not isinstance(kept, dict):
        raise PreventUpdate
    try:
        upload = service.owned(principal(), kept.get("token"))
    except service.IntakeRefusedError:
        raise PreventUpdate from None
    checked = service.check(engine(), upload)
    stem = upload.filename.rsplit(".", 1)[0]
    return export_frame(service.problems_frame(checked), f"bao_cao_loi_{stem}"[:80])


@CALLBACKS.callback(
    ACCESS,
    Output(ids.INTAKE_COMMIT, "disabled"),
    Input(ids.INTAKE_VALIDATED, "data"),
    Input(ids.INTAKE_RESULT, "children"),
)
def commit_enabled(validated: Any, _result: Any) -> bool:
    """Commit is enabled only for a clean file that was not committed yet."""
    if ctx.triggered_id == ids.INTAKE_RESULT:
        return True
    return not (isinstance(validated, dict) and validated.get("clean") is True)


@CALLBACKS.callback(
    ACCESS,
    Output(ids.INTAKE_RESULT, "children"),
    Input(ids.INTAKE_COMMIT, "n_clicks"),
    State(ids.INTAKE_VALIDATED, "data"),
    prevent_initial_call=True,
)
def commit(n_clicks: Any, validated: Any) -> Any:
    """Commit the caller's kept upload: the same bytes, validated again, in one transaction."""
    if not n_clicks or not isinstance(validated, dict):
        raise PreventUpdate
    lang = current_language()
    who = principal()
    try:
        report = service.commit_upload(
            engine(), who, validated.get("token"), validated.get("sha256")
        )
    except service.IntakeRefusedError as exc:
        return notice(t("intake.commit_refused", lang).format(reason=str(exc)), kind="error")
    slug = service.domain_slug(report.dataset)
    counts = {
        k: fmt_number(getattr(report, k), "count", lang)
        for k in ("inserted", "updated", "unchanged", "removed")
    }
    text = t("intake.committed", lang).format(batch=report.batch_id, **counts)
    return html.Div(
        [
            notice(text, kind="info"),
            dcc.Link(t("intake.see_domain", lang), href=f"/domains/{slug}") if slug else None,
        ]
    )


@CALLBACKS.callback(
    ACCESS,
    Output(ids.INTAKE_BATCHES, "children"),
    Input(ids.INTAKE_DATASET, "value"),
    Input(ids.INTAKE_RESULT, "children"),
    Input(ids.INTAKE_UNDO_MESSAGE, "children"),
)
def show_batches(name: Any, _result: Any, _undone: Any) -> Any:
    """The dataset's recent batches, with Undo where the caller may undo."""
    lang = current_language()
    who = principal()
    if not service.may_ingest(who, name):
        return html.P(t("intake.no_dataset", lang), className="empty-state")
    rows = []
    for batch in service.batches(engine(), who, name):
        counts = " / ".join(
            fmt_number(batch[k], "count", lang)
            for k in ("inserted", "updated", "unchanged", "removed")
        )
        status = batch["status"]
        rows.append(
            {
                "id": str(batch["id"]),
                "file": batch["filename"] or "—",
                "who": batch["username"] or "—",
                "when": f"{fmt_date(batch['started_at'], lang)} {batch['started_at']:%H:%M}",
                "status": t(f"intake.status.{status}", lang)
                if f"intake.status.{status}" in _STATUSES
                else status,
                "counts": counts,
                "undo": html.Button(
                    t("intake.undo", lang),
                    id={"type": ids.INTAKE_UNDO, "index": batch["id"]},
                    type="button",
                    className="button",
                )
                if batch["may_undo"]
                else "",
            }
        )
    columns = [
        (key, t(f"intake.col.{key}", lang) if key != "undo" else "")
        for key in ("id", "file", "who", "when", "status", "counts", "undo")
    ]
    if not rows:
        return html.P(t("intake.no_batches", lang), className="empty-state")
    head = html.Thead(html.Tr([html.Th(label, scope="col") for _, label in columns]))
    body = html.Tbody([html.Tr([html.Td(row[key]) for key, _ in columns]) for row in rows])
    return html.Table([head, body], className="data-table")


_STATUSES = {f"intake.status.{s}" for s in ("done", "undone", "undo", "rejected", "running")}


@CALLBACKS.callback(
    ACCESS,
    Output(ids.INTAKE_UNDO_MESSAGE, "children"),
    Input({"type": ids.INTAKE_UNDO, "index": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def undo(clicks: Any) -> Any:
    """Undo the batch whose button was pressed; the ledger re-checks the rules."""
    triggered = ctx.triggered_id
    if not isinstance(triggered, dict) or not any(c for c in (clicks or []) if c):
        raise PreventUpdate
    lang = current_language()
    try:
        undo_id = service.undo_batch(engine(), principal(), triggered.get("index"))
    except service.IntakeRefusedError as exc:
        return notice(t("intake.undo_refused", lang).format(reason=str(exc)), kind="error")
    return notice(
        t("intake.undone", lang).format(batch=triggered.get("index"), undo=undo_id), kind="info"
    )


def register(app: Any) -> None:
    """Wire the page's callbacks on ``app`` through the guard."""
    CALLBACKS.register(app)
