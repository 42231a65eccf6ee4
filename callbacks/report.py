"""Callbacks of /report: choose a quarter and a reporter, fill the tasks, save or submit,
add ad-hoc tasks, read the history, and (the Department Office, leadership) return it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from dash import ALL, Input, Output, State, ctx, html, no_update

from data_access import plan_calendar as cal
from data_access import plan_reports as service
from data_access.report_rules import (
    REFUSALS,
    ReportNotFoundError,
    ReportPermissionError,
    ReportValidationError,
    may_report,
)
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.fmt import fmt_date
from ioc_app.core.guard import Access, principal
from ioc_app.core.i18n import current_language, t
from ioc_app.core.warehouse import engine
from ioc_app.services import reports as rules
from ioc_app.services.indicators import version
from ioc_app.services.plan import unit_names
from layouts.common import data_table, notice
from layouts.report import TEXT_FIELDS, task_card

ACCESS = Access.of("leadership", "department", "school")
CALLBACKS = CallbackRegistry()
FIELDS = ("status", "progress", *TEXT_FIELDS)


def _now() -> datetime:
    return datetime.now(UTC)


def quarters(today: datetime) -> list[str]:
    """The quarters a report can be written for: 2023Q1 to the running one, newest first."""
    return list(reversed(cal.quarters_between(cal.FIRST_QUARTER, cal.quarter_of(today))))


def reporter_options(lang: str) -> list[dict[str, str]]:
    """The reporters the caller may choose: its own, or every unit for those who read all."""
    who = principal()
    names = unit_names(version())
    codes = sorted(names) if rules.reads_all(who) else rules.own_reporters(who)
    return [
        {
            "label": f"{code} — {names[code][0 if lang == 'vi' else 1]}" if code in names else code,
            "value": code,
        }
        for code in codes
    ]


@CALLBACKS.callback(
    ACCESS,
    Output(ids.REP_QUARTER, "options"),
    Output(ids.REP_QUARTER, "value"),
    Output(ids.REP_UNIT, "options"),
    Output(ids.REP_UNIT, "value"),
    Input(ids.REP_PARAMS, "data"),
)
def setup(params: Any) -> tuple[Any, Any, Any, Any]:
    """Page load → quarters and reporters; the URL's choice, else the running quarter and the
    caller's own (first) reporter."""
    params = params if isinstance(params, dict) else {}
    lang = current_language()
    choices = quarters(_now())
    quarter = params.get("quarter") if params.get("quarter") in choices else choices[0]
    options = reporter_options(lang)
    wanted = params.get("unit")
    who = principal()
    if isinstance(wanted, str) and rules.may_read(who, wanted):
        if wanted not in {o["value"] for o in options}:
            options = [{"label": wanted, "value": wanted}, *options]
        unit = wanted
    else:
        own = rules.own_reporters(who)
        unit = own[0] if own else (options[0]["value"] if options else None)
    return [{"label": q, "value": q} for q in choices], quarter, options, unit


def _deadline_line(quarter: str, lang: str) -> str:
    due = cal.due_day(quarter)
    day = fmt_date(due, lang)
    left = cal.days_left(quarter, _now())
    if left >= 0:
        return t("rep.deadline", lang).format(day=day, days=left)
    return t("rep.deadline.past", lang).format(day=day, days=-left)


def _state_box(report: dict[str, Any] | None, lang: str) -> Any:
    if report is None:
        return html.Span(t("rep.state.none", lang), className="badge")
    parts: list[Any] = [
        html.Span(
            t(f"rep.state.{report['state']}", lang), className=f"badge badge-{report['state']}"
        )
    ]
    if report.get("submitted_at"):
        parts.append(
            " " + t("rep.submitted_at", lang).format(time=_local(report["submitted_at"], lang))
        )
    if report.get("late"):
        parts.append(html.Span(" · " + t("rep.late", lang), className="flag-late"))
    if report.get("amended_late"):
        parts.append(html.Span(" · " + t("rep.amended_late", lang), className="flag-late"))
    if report["state"] == "returned" and report.get("return_comment"):
        parts.append(
            notice(
                t("rep.returned", lang).format(
                    who=report.get("returned_by") or "—", comment=report["return_comment"]
                ),
                kind="warning",
            )
        )
    if report.get("generated"):
        parts.append(html.P(t("rep.generated", lang), className="muted"))
    return html.Div(parts)


def _local(stamp: str, lang: str) -> str:
    """An ISO UTC time at HCMC's clock, its date as ``lang`` writes dates: ``25/09/2025 14:03``."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(cal.HCMC)
    return f"{fmt_date(moment, lang)} {moment:%H:%M}"


def _history(report: dict[str, Any] | None, lang: str) -> Any:
    if report is None:
        return html.P(t("rep.history.none", lang), className="empty-state")
    rows = []
    for v in reversed(service.versions(engine(), report["id"])):
        changes = [
            html.Span(
                [html.Strong(key), ": ", ", ".join(t(f"rep.change.{f}", lang) for f in fields)],
                className="rep-change",
            )
            for key, fields in v["changes"].items()
        ]
        rows.append(
            {
                "number": str(v["number"]),
                "at": _local(v["at"], lang) if v["at"] else "—",
                "by": v["by"],
                "action": t(f"rep.action.{v['action']}", lang)
                + (f" — {v['comment']}" if v.get("comment") else ""),
                "changes": html.Div(changes) if changes else "—",
            }
        )
    columns = [
        (c, t(f"rep.history.col.{c}", lang)) for c in ("number", "at", "by", "action", "changes")
    ]
    return data_table(rows, columns, empty=t("rep.history.none", lang))


def _report(quarter: str, unit: str) -> dict[str, Any] | None:
    found = service.current_reports(engine(), quarter=quarter, unit=unit)
    return next((r for r in found if r["reporter"] == unit), None)


@CALLBACKS.callback(
    ACCESS,
    Output(ids.REP_DEADLINE, "children"),
    Output(ids.REP_STATE, "children"),
    Output(ids.REP_FORM, "children"),
    Output(ids.REP_HISTORY, "children"),
    Output(ids.REP_ACTIONS, "style"),
    Output(ids.REP_ADHOC, "style"),
    Output(ids.REP_RETURN_BOX, "style"),
    Input(ids.REP_QUARTER, "value"),
    Input(ids.REP_UNIT, "value"),
    Input(ids.REP_REFRESH, "data"),
)
def load(quarter: Any, unit: Any, _refresh: Any) -> tuple[Any, ...]:
    """Quarter, reporter or a saved change → deadline, state, the tasks' form, the history,
    and which actions the caller has."""
    lang = current_language()
    hidden = {"display": "none"}
    who = principal()
    if not isinstance(quarter, str) or not isinstance(unit, str) or quarter not in quarters(_now()):
        return "", "", notice(t("rep.choose", lang)), "", hidden, hidden, hidden
    if not rules.may_read(who, unit):
        return "", "", notice(t("error.403", lang), kind="error"), "", hidden, hidden, hidden
    try:
        tasks = service.tasks_for(engine(), unit, quarter)
    except REFUSALS as exc:
        return "", "", notice(str(exc), kind="error"), "", hidden, hidden, hidden
    audit.record("read", f"plan/report/{unit}", audit.describe(quarter=quarter))
    report = _report(quarter, unit)
    editable = may_report(who, unit)
    items = {i["key"]: i for i in (report or {}).get("items", [])}
    cards = [task_card(task, items.get(task["key"], {}), lang, editable=editable) for task in tasks]
    form = cards or [notice(t("rep.no_tasks", lang))]
    if not editable:
        form = [notice(t("rep.readonly", lang)), *form]
    shown = {} if editable else hidden
    returnable = report is not None and report["state"] == "submitted" and rules.may_send_back(who)
    return (
        _deadline_line(quarter, lang),
        _state_box(report, lang),
        form,
        _history(report, lang),
        shown,
        shown,
        {} if returnable else hidden,
    )


def _items(ids_seen: list[dict[str, str]], values: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The form's values as report items, one per task (the order of the ids)."""
    items: dict[str, dict[str, Any]] = {}
    for field in FIELDS:
        for component, value in zip(ids_seen[field], values[field], strict=True):
            key = component["key"]
            if field == "progress":
                value = int(value) if isinstance(value, int | float) and value == value else value
            if field in TEXT_FIELDS:
                value = value if isinstance(value, str) else None
            items.setdefault(key, {"key": key})[field] = value
    return list(items.values())


@CALLBACKS.callback(
    ACCESS,
    Output(ids.REP_MESSAGE, "children"),
    Output(ids.REP_REFRESH, "data"),
    inputs=dict(
        _save=Input(ids.REP_SAVE, "n_clicks"),
        _submit=Input(ids.REP_SUBMIT, "n_clicks"),
    ),
    state=dict(
        quarter=State(ids.REP_QUARTER, "value"),
        unit=State(ids.REP_UNIT, "value"),
        refresh=State(ids.REP_REFRESH, "data"),
        status=State(ids.rep_field("status", ALL), "value"),
        progress=State(ids.rep_field("progress", ALL), "value"),
        done=State(ids.rep_field("done", ALL), "value"),
        next=State(ids.rep_field("next", ALL), "value"),
        difficulties=State(ids.rep_field("difficulties", ALL), "value"),
        recommendations=State(ids.rep_field("recommendations", ALL), "value"),
        status_ids=State(ids.rep_field("status", ALL), "id"),
        progress_ids=State(ids.rep_field("progress", ALL), "id"),
        done_ids=State(ids.rep_field("done", ALL), "id"),
        next_ids=State(ids.rep_field("next", ALL), "id"),
        difficulties_ids=State(ids.rep_field("difficulties", ALL), "id"),
        recommendations_ids=State(ids.rep_field("recommendations", ALL), "id"),
    ),
    prevent_initial_call=True,
)
def save(
    _save: Any, _submit: Any, quarter: Any, unit: Any, refresh: Any, **fields: Any
) -> tuple[Any, Any]:
    """Save draft or Submit → a new version of the report (checked on the server), a message."""
    lang = current_language()
    if ctx.triggered_id not in (ids.REP_SAVE, ids.REP_SUBMIT):
        return no_update, no_update
    submit = ctx.triggered_id == ids.REP_SUBMIT
    values = {f: fields.get(f) or [] for f in FIELDS}
    seen = {f: fields.get(f"{f}_ids") or [] for f in FIELDS}
    if not isinstance(quarter, str) or not isinstance(unit, str):
        return notice(t("rep.choose", lang), kind="error"), no_update
    try:
        if any(len(seen[f]) != len(values[f]) for f in FIELDS):
            raise ReportValidationError("items", "the form was sent incomplete; reload the page")
        saved = service.save_report(
            engine(),
            reporter=unit,
            quarter=quarter,
            items=_items(seen, values),
            submit=submit,
            by=principal(),
            at=_now(),
        )
    except REFUSALS as exc:
        return notice(str(exc), kind="error"), no_update
    audit.record(
        "write",
        f"plan/report/{saved['id']}",
        f"{unit} {quarter} version={saved['version']} action={saved['action']}",
    )
    key = {
        "save_draft": "rep.saved",
        "submit": "rep.submitted",
        "reopen": "rep.reopened",
        "late_amendment": "rep.late_amendment",
    }.get(saved["action"], "rep.saved")
    return notice(t(key, lang).format(version=saved["version"])), (refresh or 0) + 1


@CALLBACKS.callback(
    ACCESS,
    Output(ids.REP_MESSAGE, "children", allow_duplicate=True),
    Output(ids.REP_REFRESH, "data", allow_duplicate=True),
    Output(ids.REP_ADHOC_NAME, "value"),
    Input(ids.REP_ADHOC_ADD, "n_clicks"),
    State(ids.REP_ADHOC_NAME, "value"),
    State(ids.REP_ADHOC_DUE, "value"),
    State(ids.REP_QUARTER, "value"),
    State(ids.REP_UNIT, "value"),
    State(ids.REP_REFRESH, "data"),
    prevent_initial_call=True,
)
def add_adhoc(
    clicks: Any, name: Any, due: Any, quarter: Any, unit: Any, refresh: Any
) -> tuple[Any, Any, Any]:
    """Add → an ad-hoc task of the Department's direction on this report."""
    lang = current_language()
    if not clicks or not isinstance(quarter, str) or not isinstance(unit, str):
        return no_update, no_update, no_update
    try:
        day = date.fromisoformat(due) if isinstance(due, str) and due else None
        if day is None:
            raise ReportValidationError("due", t("rep.adhoc.due", lang))
        service.add_adhoc_task(
            engine(),
            reporter=unit,
            quarter=quarter,
            name=name if isinstance(name, str) else "",
            due=day,
            by=principal(),
            at=_now(),
        )
    except ValueError as exc:  # the refusals are ValueErrors, and so is a bad date
        return notice(str(exc), kind="error"), no_update, no_update
    except (ReportPermissionError, ReportNotFoundError) as exc:
        return notice(str(exc), kind="error"), no_update, no_update
    audit.record("write", f"plan/report/{unit}/adhoc", f"{quarter} {name}"[:200])
    return notice(t("rep.adhoc.added", lang)), (refresh or 0) + 1, ""


@CALLBACKS.callback(
    ACCESS,
    Output(ids.REP_MESSAGE, "children", allow_duplicate=True),
    Output(ids.REP_REFRESH, "data", allow_duplicate=True),
    Input(ids.REP_RETURN, "n_clicks"),
    State(ids.REP_RETURN_COMMENT, "value"),
    State(ids.REP_QUARTER, "value"),
    State(ids.REP_UNIT, "value"),
    State(ids.REP_REFRESH, "data"),
    prevent_initial_call=True,
)
def send_back(clicks: Any, comment: Any, quarter: Any, unit: Any, refresh: Any) -> tuple[Any, Any]:
    """Return → the submitted report goes back to its unit with the comment."""
    lang = current_language()
    who = principal()
    if not clicks or not isinstance(quarter, str) or not isinstance(unit, str):
        return no_update, no_update
    if not rules.may_send_back(who):
        return notice(t("error.403", lang), kind="error"), no_update
    report = _report(quarter, unit)
    if report is None:
        return notice(t("rep.state.none", lang), kind="error"), no_update
    try:
        returned = service.return_report(
            engine(), report["id"], comment if isinstance(comment, str) else "", who, at=_now()
        )
    except REFUSALS as exc:
        return notice(str(exc), kind="error"), no_update
    audit.record("write", f"plan/report/{report['id']}", f"returned version={returned['version']}")
    return notice(t("rep.return.done", lang)), (refresh or 0) + 1


def register(app: Any) -> None:
    """Wire the report page's callbacks into ``app``."""
    CALLBACKS.register(app)
