"""Callbacks of /admin (administrators only): the audit log and the ingestion batches."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from dash import Input, Output, State, no_update

from callbacks.common import export_frame
from data_access.audit_log import AuditFilter, audit_actions, search_audit
from data_access.ingest.ledger import summaries
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.i18n import add_texts, current_language, t
from ioc_app.core.warehouse import engine
from layouts.admin import ADMIN_ONLY, AUDIT_PAGE_SIZE
from layouts.grid import grid, md_link

CALLBACKS = CallbackRegistry()
#: Most rows in one CSV export of the audit log.
EXPORT_MAX_ROWS = 100_000
BATCHES_SHOWN = 200
COUNTS = ("inserted", "updated", "unchanged", "removed")

add_texts(
    {
        "adm.audit.count": ("{total} dòng khớp bộ lọc", "{total} matching rows"),
        "adm.batch.dataset": ("Bộ dữ liệu", "Dataset"),
        "adm.batch.open": ("Báo cáo, hoàn tác", "Report, undo"),
        "adm.batch.filename": ("Tệp", "File"),
        "adm.batch.username": ("Người nạp", "Loaded by"),
        "adm.batch.started_at": ("Bắt đầu (UTC)", "Started (UTC)"),
        "adm.batch.status": ("Trạng thái", "Status"),
        "adm.batch.inserted": ("Thêm", "Inserted"),
        "adm.batch.updated": ("Cập nhật", "Updated"),
        "adm.batch.unchanged": ("Không đổi", "Unchanged"),
        "adm.batch.removed": ("Xoá", "Removed"),
    }
)


def _day(value: Any) -> datetime | None:
    """A date picker's value as midnight (UTC) of that day, or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def audit_filter(user: Any, action: Any, target: Any, start: Any, end: Any) -> AuditFilter:
    """The filter of the form (the end day is included)."""
    until = _day(end)
    return AuditFilter(
        username=str(user or "").strip(),
        action=str(action or ""),
        target=str(target or "").strip(),
        since=_day(start),
        until=until + timedelta(days=1) if until else None,
    )


FILTERS = {
    "user": Input(ids.ADM_AUDIT_USER, "value"),
    "action": Input(ids.ADM_AUDIT_ACTION, "value"),
    "target": Input(ids.ADM_AUDIT_TARGET, "value"),
    "start": Input(ids.ADM_AUDIT_RANGE, "start_date"),
    "end": Input(ids.ADM_AUDIT_RANGE, "end_date"),
}


@CALLBACKS.callback(
    ADMIN_ONLY,
    output={
        "rows": Output(ids.ADM_AUDIT_TABLE, "data"),
        "pages": Output(ids.ADM_AUDIT_TABLE, "page_count"),
        "count": Output(ids.ADM_AUDIT_COUNT, "children"),
        "actions": Output(ids.ADM_AUDIT_ACTION, "options"),
    },
    inputs={
        **FILTERS,
        "page": Input(ids.ADM_AUDIT_TABLE, "page_current"),
        "_": Input(ids.ADM_REFRESH, "data"),
    },
)
def audit_page(
    user: Any, action: Any, target: Any, start: Any, end: Any, page: Any, _: Any
) -> dict[str, Any]:
    """Filters or page → one page of the audit log, newest first, and how many match."""
    where = audit_filter(user, action, target, start, end)
    page = page if isinstance(page, int) and page >= 0 else 0
    # reading the log is itself a read of sensitive data (written before the query, so the
    # admin sees their own read at the top)
    audit.record(
        "read",
        "admin/audit_log",
        audit.describe(
            user=where.username,
            action=where.action,
            target=where.target,
            since=where.since,
            until=where.until,
            page=page,
        ),
    )
    frame, total = search_audit(
        engine(), where, offset=page * AUDIT_PAGE_SIZE, limit=AUDIT_PAGE_SIZE
    )
    frame["at"] = frame["at"].map(lambda v: v.isoformat(sep=" ", timespec="seconds"))
    return {
        "rows": frame.drop(columns=["id"]).to_dict("records"),
        "pages": max(1, -(-total // AUDIT_PAGE_SIZE)),
        "count": t("adm.audit.count").format(total=total),
        "actions": [{"label": a, "value": a} for a in audit_actions(engine())],
    }


@CALLBACKS.callback(
    ADMIN_ONLY,
    output=Output(ids.ADM_AUDIT_DOWNLOAD, "data"),
    inputs={"clicks": Input(ids.ADM_AUDIT_EXPORT, "n_clicks")},
    state={
        name: State(item.component_id, item.component_property) for name, item in FILTERS.items()
    },
    prevent_initial_call=True,
)
def export_audit(clicks: Any, user: Any, action: Any, target: Any, start: Any, end: Any) -> Any:
    """Export button → every matching audit row as CSV (the export is audited itself)."""
    if not clicks:
        return no_update
    where = audit_filter(user, action, target, start, end)
    frame, _ = search_audit(engine(), where, limit=EXPORT_MAX_ROWS)
    return export_frame(frame, "audit_log", "csv")


@CALLBACKS.callback(ADMIN_ONLY, Output(ids.ADM_BATCHES, "children"), Input(ids.ADM_REFRESH, "data"))
def batches(_: Any) -> Any:
    """Page load → the latest file batches of the ingestion ledger, each linked to its
    dataset on /intake, where the batch's report opens and the batch can be undone (with the
    intake page's rules: admin, or its loader within 24 hours)."""
    lang = current_language()
    rows = [
        {
            "id": b.id,
            "dataset": b.dataset,
            "filename": b.filename or "—",
            "username": b.username or "—",
            "started_at": b.started_at.isoformat(sep=" ", timespec="minutes"),
            "status": b.status,
            "inserted": b.inserted,
            "updated": b.updated,
            "unchanged": b.unchanged,
            "removed": b.removed,
            "open": md_link(
                t("adm.batch.open", lang), f"/intake?{urlencode({'dataset': b.dataset})}"
            ),
        }
        for b in summaries(engine(), limit=BATCHES_SHOWN)
    ]
    keys = ("dataset", "filename", "username", "started_at", "status", *COUNTS)
    columns = [
        {"name": "#", "id": "id"},
        *(
            {
                "name": t(f"adm.batch.{k}", lang),
                "id": k,
                "type": "numeric" if k in COUNTS else "text",
            }
            for k in keys
        ),
        {"name": t("adm.batch.open", lang), "id": "open", "presentation": "markdown"},
    ]
    return grid(rows, columns, lang, page_size=25)
