"""The report API of plan 723 (Phụ lục II) for member systems (e-office, school software).

A session or a bearer token may call it. Requests and answers are typed pydantic models, and
the OpenAPI paths are generated from them. Every write is audited; the rules of who may write
or read which report are in :mod:`data_access.report_rules` and :mod:`ioc_app.services.reports`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from flask import Blueprint, Flask, Response, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from data_access import plan_calendar as cal
from data_access import plan_reports as service
from data_access.report_rules import (
    MAX_TEXT,
    REFUSALS,
    ReportNotFoundError,
    ReportPermissionError,
    ReportValidationError,
)
from ioc_app.core import audit
from ioc_app.core.guard import Access, principal, route_access
from ioc_app.core.ratelimit import limiter, public_limit
from ioc_app.core.responses import json_error, json_response
from ioc_app.core.warehouse import engine
from ioc_app.services import reports as rules

PREFIX = "/api/v1/plan"
REPORTERS = Access.of("leadership", "department", "school")
blueprint = Blueprint("plan_api", __name__, url_prefix=PREFIX)

Status = Literal["not_started", "in_progress", "done"]
Text = Field(default=None, max_length=MAX_TEXT)


class ItemIn(BaseModel):
    """One task of a report: status, % progress and columns (3)–(6)."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(min_length=1, max_length=64, description="The task key, e.g. DX-1.1")
    status: Status = "not_started"
    progress: int = Field(default=0, ge=0, le=100, description="% of the plan reached")
    done: str | None = Text
    next: str | None = Text
    difficulties: str | None = Text
    recommendations: str | None = Text


class ReportIn(BaseModel):
    """A report write: one task (``task`` and its fields) or several (``items``)."""

    model_config = ConfigDict(extra="forbid")
    quarter: str = Field(pattern=r"^\d{4}Q[1-4]$", description="YYYYQn, 2023Q1 to now")
    unit: str = Field(min_length=1, max_length=40, description="Unit code or school:<id>")
    task: str | None = Field(default=None, max_length=64, description="One task's key")
    status: Status | None = None
    progress: int | None = Field(default=None, ge=0, le=100)
    done: str | None = Text
    next: str | None = Text
    difficulties: str | None = Text
    recommendations: str | None = Text
    items: list[ItemIn] | None = Field(default=None, max_length=200)
    submit: bool = Field(default=False, description="Submit (true) or save a draft")

    def item_list(self) -> list[dict[str, Any]]:
        """The items to write, whichever form the request used."""
        if self.items is not None:
            return [item.model_dump() for item in self.items]
        if self.task is None:
            raise ReportValidationError("task", "give a task key, or a list of items")
        single = {"key": self.task}
        for name in ("status", "progress", "done", "next", "difficulties", "recommendations"):
            value = getattr(self, name)
            if value is not None:
                single[name] = value
        return [single]


class ReturnIn(BaseModel):
    """Send a submitted report back to its unit with what to correct."""

    model_config = ConfigDict(extra="forbid")
    comment: str = Field(min_length=1, max_length=MAX_TEXT)


class WriteOut(BaseModel):
    """What a write answers (201)."""

    id: int
    version: int
    state: str
    submitted_at: str | None
    late: bool


class ErrorOut(BaseModel):
    """An error: what and, for a 400, each bad field with the reason."""

    error: str
    message: str
    fields: dict[str, str] | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _bad_fields(exc: ValidationError) -> Response:
    fields = {".".join(str(p) for p in e["loc"]) or "body": e["msg"] for e in exc.errors()}
    response = json_response(
        {
            "error": "bad_request",
            "message": "; ".join(f"{k}: {v}" for k, v in fields.items()),
            "fields": fields,
        },
        400,
    )
    return response


def _body(model: type[BaseModel]) -> BaseModel | Response:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return json_error(400, "bad_request", "send a JSON object (Content-Type: application/json)")
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        return _bad_fields(exc)


def _refusal(exc: Exception) -> Response:
    """The HTTP answer to a refusal of the report service."""
    if isinstance(exc, ReportValidationError):
        return json_response(
            {"error": "bad_request", "message": str(exc), "fields": {exc.field: str(exc)}}, 400
        )
    if isinstance(exc, ReportPermissionError):
        return json_error(403, "forbidden", str(exc))
    if isinstance(exc, ReportNotFoundError):
        return json_error(404, "not_found", str(exc))
    return json_error(409, "conflict", str(exc))  # quarter out of range, wrong state


@blueprint.route("/tasks")
@route_access(REPORTERS)
@limiter.limit(public_limit)
def tasks() -> Response:
    """The tasks a unit (or ``school:<id>``) reports on in a quarter, with the deadline."""
    who = principal()
    unit = request.args.get("unit", "")
    if not unit:
        own = rules.own_reporters(who)
        if len(own) != 1:
            return json_error(400, "bad_request", "unit: give the unit code or school:<id>")
        unit = own[0]
    if not rules.may_read(who, unit):
        return json_error(403, "forbidden", f"you do not report for {unit}")
    quarter = request.args.get("quarter") or cal.quarter_of(_now())
    try:
        rows = service.tasks_for(engine(), unit, quarter)
    except REFUSALS as exc:
        return _refusal(exc)
    except ValueError as exc:
        return json_error(400, "bad_request", f"quarter: {exc}")
    return json_response(
        {
            "unit": unit,
            "quarter": quarter,
            "deadline": cal.deadline(quarter).isoformat().replace("+00:00", "Z"),
            "days_left": cal.days_left(quarter, _now()),
            "tasks": rows,
        }
    )


@blueprint.route("/reports", methods=["POST"])
@route_access(REPORTERS)
@limiter.limit(public_limit)
def write_report() -> Response:
    """Save or submit a report (one task, or several); 201 with the new version."""
    body = _body(ReportIn)
    if isinstance(body, Response):
        return body
    assert isinstance(body, ReportIn)
    try:
        saved = service.save_report(
            engine(),
            reporter=body.unit,
            quarter=body.quarter,
            items=body.item_list(),
            submit=body.submit,
            by=principal(),
            at=_now(),
        )
    except REFUSALS as exc:
        return _refusal(exc)
    audit.record(
        "write",
        f"plan/report/{saved['id']}",
        f"{body.unit} {body.quarter} version={saved['version']} action={saved['action']}",
    )
    out = WriteOut(
        id=saved["id"],
        version=saved["version"],
        state=saved["state"],
        submitted_at=saved["submitted_at"],
        late=bool(saved["late"] or saved.get("amended_late")),
    )
    return json_response(out.model_dump(), 201)


@blueprint.route("/reports")
@route_access(REPORTERS)
@limiter.limit(public_limit)
def list_reports() -> Response:
    """The current version of the reports the caller may read (filters: quarter, unit, task)."""
    who = principal()
    quarter = request.args.get("quarter") or None
    unit = request.args.get("unit") or None
    task = request.args.get("task") or None
    if unit is not None and not rules.may_read(who, unit):
        return json_error(403, "forbidden", f"you may not read the reports of {unit}")
    try:
        if unit is None and not rules.reads_all(who):
            found = [
                r
                for own in rules.own_reporters(who)
                for r in service.current_reports(engine(), quarter=quarter, unit=own, task=task)
            ]
        else:
            found = service.current_reports(engine(), quarter=quarter, unit=unit, task=task)
    except REFUSALS as exc:
        return _refusal(exc)
    audit.record("read", "plan/reports", audit.describe(quarter=quarter, unit=unit, task=task))
    return json_response({"count": len(found), "reports": found})


def _readable_report(report_id: int) -> dict[str, Any] | Response:
    found = service.report(engine(), report_id)  # one report, not every report read
    if found is None:
        return json_error(404, "not_found", f"no report {report_id}")
    if not rules.may_read(principal(), found["reporter"]):
        return json_error(403, "forbidden", f"you may not read report {report_id}")
    return found


@blueprint.route("/reports/<int:report_id>/versions")
@route_access(REPORTERS)
@limiter.limit(public_limit)
def report_versions(report_id: int) -> Response:
    """Every version of one report, oldest first, with what changed."""
    report = _readable_report(report_id)
    if isinstance(report, Response):
        return report
    history = service.versions(engine(), report_id)
    audit.record("read", f"plan/report/{report_id}/versions")
    return json_response({"id": report_id, "reporter": report["reporter"], "versions": history})


@blueprint.route("/reports/<int:report_id>/return", methods=["POST"])
@route_access(REPORTERS)
@limiter.limit(public_limit)
def return_report(report_id: int) -> Response:
    """Send a submitted report back with a comment (the Department Office, leadership)."""
    who = principal()
    if not rules.may_send_back(who):
        return json_error(403, "forbidden", "only the Department Office or leadership return")
    found = _readable_report(report_id)
    if isinstance(found, Response):
        return found
    body = _body(ReturnIn)
    if isinstance(body, Response):
        return body
    assert isinstance(body, ReturnIn)
    try:
        returned = service.return_report(engine(), report_id, body.comment, who, at=_now())
    except REFUSALS as exc:
        return _refusal(exc)
    audit.record("write", f"plan/report/{report_id}", f"returned version={returned['version']}")
    out = WriteOut(
        id=returned["id"],
        version=returned["version"],
        state=returned["state"],
        submitted_at=returned["submitted_at"],
        late=bool(returned["late"]),
    )
    return json_response(out.model_dump(), 201)


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(ref_template="#/components/schemas/{model}")


def _responses(ok: str, schema: type[BaseModel] | None, code: str = "200") -> dict[str, Any]:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    answers: dict[str, Any] = {
        code: {
            "description": ok,
            **(
                {
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{schema.__name__}"}
                        }
                    }
                }
                if schema
                else {}
            ),
        }
    }
    for status, text in (
        ("400", "A bad field (each named in fields)"),
        ("401", "No caller (sign in or send a bearer token)"),
        ("403", "The caller does not report for that unit, institution or task"),
        ("404", "No such unit, institution, task or report"),
        ("409", "Quarter outside 2023Q1–the running quarter, or a report in the wrong state"),
        ("429", "Rate limit exceeded"),
    ):
        answers[status] = {"description": text, "content": error}
    return answers


def _query(name: str, description: str, *, pattern: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": 64}
    if pattern:
        schema["pattern"] = pattern
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def openapi_paths() -> dict[str, Any]:
    """The ``paths`` of the report API, generated from its pydantic models."""
    security = [{"bearerAuth": []}]
    quarter = _query("quarter", "YYYYQn", pattern=r"^\d{4}Q[1-4]$")
    unit = _query("unit", "Unit code (e.g. KHTC) or school:<institution id>")
    return {
        f"{PREFIX}/tasks": {
            "get": {
                "summary": "The tasks a unit or school reports on, each with its key",
                "parameters": [unit, quarter],
                "security": security,
                "responses": _responses("Tasks, deadline and days left", None),
            }
        },
        f"{PREFIX}/reports": {
            "get": {
                "summary": "The current version of the reports the caller may read",
                "parameters": [quarter, unit, _query("task", "Task key, e.g. DX-1.1")],
                "security": security,
                "responses": _responses("Reports", None),
            },
            "post": {
                "summary": "Save or submit a quarterly report (Phụ lục II columns 3–6)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ReportIn"}}
                    },
                },
                "security": security,
                "responses": _responses("The new version", WriteOut, "201"),
            },
        },
        f"{PREFIX}/reports/{{report_id}}/versions": {
            "get": {
                "summary": "Every version of a report with what changed",
                "parameters": [
                    {
                        "name": "report_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    }
                ],
                "security": security,
                "responses": _responses("Versions", None),
            }
        },
        f"{PREFIX}/reports/{{report_id}}/return": {
            "post": {
                "summary": "Return a submitted report with a comment",
                "parameters": [
                    {
                        "name": "report_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ReturnIn"}}
                    },
                },
                "security": security,
                "responses": _responses("The returned version", WriteOut, "201"),
            }
        },
    }


def openapi_schemas() -> dict[str, Any]:
    """The component schemas of the report API's models."""
    schemas: dict[str, Any] = {}
    for model in (ReportIn, ReturnIn, WriteOut, ErrorOut):
        schema = _schema(model)
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


def init_app(server: Flask) -> None:
    """Register the report API."""
    server.register_blueprint(blueprint)
