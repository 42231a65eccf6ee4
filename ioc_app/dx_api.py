"""The DX API: what a school needs to reach the next level (``/api/v1/dx/next-level``).

A session or a bearer token may call it. Answers are typed pydantic models and the OpenAPI
paths are generated from them. Who may see which school is decided in
:mod:`ioc_app.services.dx_next`: a school its own, departments, leadership and admin every
school; the guard refuses planners and anonymous callers before the view runs.
"""

from __future__ import annotations

from typing import Any, Literal

from flask import Blueprint, Flask, Response, request
from pydantic import BaseModel, Field

from ioc_app.core import audit
from ioc_app.core.guard import Access, principal, route_access
from ioc_app.core.ratelimit import limiter, public_limit
from ioc_app.core.responses import json_error, json_response
from ioc_app.plan_api import ErrorOut
from ioc_app.services import dx_next
from ioc_app.services.indicators import version

PREFIX = "/api/v1/dx"
READERS = Access.of("leadership", "department", "school")
blueprint = Blueprint("dx_api", __name__, url_prefix=PREFIX)
#: institution.id is an INTEGER column; school years as the ingestion accepts them.
MAX_ID = 2**31 - 1
YEARS = (2000, 2100)


class CriterionOut(BaseModel):
    """A criterion to meet: its points now and at most, and what it adds to the group."""

    code: str = Field(description="Criterion code of the set, e.g. 1.5.1")
    title_vi: str
    mandatory: bool = Field(description="A mandatory condition (0 points; 1 = met)")
    points: float = Field(description="Current points (reviewed, else self-assessed)")
    max_points: float
    gain: float = Field(description="Points it adds to the group total (0–100 scale)")


class GroupOut(BaseModel):
    """One criteria group: where it stands and the fewest criteria to its next level."""

    group: int = Field(description="1 teaching and learning, 2 school management")
    current_points: float = Field(description="Group total on the 0–100 scale")
    current_level: int = Field(ge=1, le=3)
    target_level: int | None = Field(description="The next level; null at level 3")
    threshold: float | None = Field(description="50 for level 2, 75 for level 3")
    must_exceed: bool = Field(description="Level 3 needs more than 75, not 75")
    points_needed: float = Field(description="Gap to the threshold (0–100 scale)")
    reachable: bool = Field(description="False when meeting every criterion would not do")
    criteria: list[CriterionOut] = Field(
        description="Unmet mandatory conditions first, then the fewest criteria to meet"
    )


class NextLevelOut(BaseModel):
    """What a school needs to reach the next level in each group, for one school year."""

    institution_id: int
    name: str
    code: str
    school_year: int
    criteria_set: str
    status: str = Field(description="Status of the assessment (draft … published)")
    basis: Literal["reviewed", "self"] = Field(description="Which points count")
    scored: bool = Field(description="False when only group totals are stored (no groups)")
    groups: list[GroupOut]


def _int(name: str, low: int, high: int) -> int | Response:
    raw = request.args.get(name, "")
    if not raw.strip().isdigit() or len(raw.strip()) > 10:
        return json_error(400, "bad_request", f"{name}: give a whole number")
    value = int(raw)
    if not low <= value <= high:
        return json_error(400, "bad_request", f"{name}: must be between {low} and {high}")
    return value


def answer(plan: dict[str, Any]) -> NextLevelOut:
    """The API's form of a plan of :func:`dx_next.plan`."""
    groups = [
        GroupOut(
            group=g["group"],
            current_points=g["points"],
            current_level=g["level"],
            target_level=g["target_level"],
            threshold=g["threshold"],
            must_exceed=g["must_exceed"],
            points_needed=g["points_needed"],
            reachable=g["reachable"],
            criteria=[CriterionOut(**step) for step in g["steps"]],
        )
        for g in plan["groups"]
    ]
    return NextLevelOut(**{**plan, "groups": groups})


@blueprint.route("/next-level")
@route_access(READERS)
@limiter.limit(public_limit)
def next_level() -> Response:
    """Per group: current points and level, the target level, the points needed and the
    fewest criteria (with their points) that get the school there."""
    institution = _int("institution", 1, MAX_ID)
    if isinstance(institution, Response):
        return institution
    year = _int("year", *YEARS)
    if isinstance(year, Response):
        return year
    if not dx_next.may_see(principal(), institution):
        return json_error(403, "forbidden", "a school sees its own institution only")
    try:
        plan = dx_next.plan(version(), institution, year)
    except dx_next.PlanNotFoundError as exc:
        return json_error(404, "not_found", str(exc))
    audit.record("read", f"api/dx/next-level/{institution}", f"school_year={year}")
    return json_response(answer(plan).model_dump())


def openapi_paths() -> dict[str, Any]:
    """The ``paths`` of the DX API, generated from its pydantic models."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    ok = {"application/json": {"schema": {"$ref": "#/components/schemas/NextLevelOut"}}}
    return {
        f"{PREFIX}/next-level": {
            "get": {
                "summary": "What a school needs to reach the next DX level, per group",
                "parameters": [
                    {
                        "name": "institution",
                        "in": "query",
                        "required": True,
                        "description": "Institution id",
                        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                    },
                    {
                        "name": "year",
                        "in": "query",
                        "required": True,
                        "description": "School year's start year, e.g. 2024",
                        "schema": {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1]},
                    },
                ],
                "security": [{"bearerAuth": []}],
                "responses": {
                    "200": {"description": "The plan per group", "content": ok},
                    "400": {"description": "A missing or bad parameter", "content": error},
                    "401": {"description": "No caller (sign in or send a bearer token)"},
                    "403": {"description": "The caller may not see this school", "content": error},
                    "404": {"description": "No such institution, or no assessment that year"},
                    "429": {"description": "Rate limit exceeded"},
                },
            }
        }
    }


def openapi_schemas() -> dict[str, Any]:
    """The component schemas of the DX API's models."""
    schemas: dict[str, Any] = {}
    for model in (NextLevelOut, ErrorOut):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


def init_app(server: Flask) -> None:
    """Register the DX API."""
    server.register_blueprint(blueprint)
