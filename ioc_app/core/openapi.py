"""OpenAPI pieces generated from pydantic models: query parameters, responses, components.

A route declares its query string as a pydantic model (limits as ``Field`` constraints) and
its answers as models; :func:`parse_query` validates a request against the model (a 400
naming each bad parameter), and the document's parameters and schemas come from the same
models, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Response
from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import MultiDict

from ioc_app.core.responses import json_response

REF = "#/components/schemas/{model}"
Model = TypeVar("Model", bound=BaseModel)


def schema_ref(model: type[BaseModel]) -> dict[str, str]:
    """``{"$ref": …}`` to ``model`` among the document's component schemas."""
    return {"$ref": REF.format(model=model.__name__)}


def components(*models: type[BaseModel]) -> dict[str, Any]:
    """The component schemas of ``models`` and of every model they use."""
    schemas: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template=REF)
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional field's schema without its ``null`` branch (a query string has no null)."""
    branches = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if len(branches) != 1:
        return schema
    merged = {**schema, **branches[0]}
    merged.pop("anyOf")
    return merged


def parameters(model: type[BaseModel], where: str = "query") -> list[dict[str, Any]]:
    """The OpenAPI parameters of a model of the query string (or the path)."""
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    found = []
    for name, field in schema["properties"].items():
        field = _without_null(field)
        description = field.pop("description", "")
        field.pop("title", None)
        if field.get("default", 0) is None:
            del field["default"]
        found.append(
            {
                "name": name,
                "in": where,
                "required": where == "path" or name in required,
                "description": description,
                "schema": field,
            }
        )
    return found


def responses(
    ok: type[BaseModel], errors: dict[str, tuple[str, type[BaseModel] | None]]
) -> dict[str, Any]:
    """``200`` answering ``ok`` and each error status with its description and schema."""
    answers: dict[str, Any] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema_ref(ok)}}}
    }
    for status, (text, model) in errors.items():
        answers[status] = {"description": text}
        if model is not None:
            answers[status]["content"] = {"application/json": {"schema": schema_ref(model)}}
    return answers


def bad_parameters(exc: ValidationError) -> Response:
    """400 naming each bad parameter and why (``fields``: parameter → reason)."""
    fields: dict[str, str] = {}
    for error in exc.errors():
        name = ".".join(str(p) for p in error["loc"]) or "query"
        reason = "unknown parameter" if error["type"] == "extra_forbidden" else error["msg"]
        fields.setdefault(name, reason)
    message = "; ".join(f"{name}: {reason}" for name, reason in fields.items())
    return json_response({"error": "bad_request", "message": message, "fields": fields}, 400)


def parse_query(model: type[Model], args: MultiDict[str, str]) -> Model | Response:
    """``args`` validated by ``model`` (a parameter given twice is refused), or the 400."""
    repeated = sorted(k for k in args if len(args.getlist(k)) > 1)
    if repeated:
        message = f"{repeated[0]}: give it once"
        fields = {repeated[0]: "given more than once"}
        return json_response({"error": "bad_request", "message": message, "fields": fields}, 400)
    try:
        return model.model_validate(args.to_dict())
    except ValidationError as exc:
        return bad_parameters(exc)
