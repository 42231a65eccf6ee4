"""What a school needs to reach the next DX level, through the real app: GET
/api/v1/dx/next-level (each status code, a school refused another school, the answer after an
ingested assessment, its place in the OpenAPI document), the /school page's plan and the /dx
panel of the schools closest to their next level."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import select

from data_access.ingest import ingest, template
from data_access.models import AuditLog, DxAssessment, Institution
from data_access.tokens import create_token
from tests.app.report_warehouse import report_warehouse
from tests.helpers import call, client_as

CRITERIA = "data/reference/dx_index/criteria_4725_secondary_source.csv"
YEAR = 2025  # the latest assessed year, which /school shows (the seeded one is replaced)


def assessment_rows(code: str) -> list[list[object]]:
    """Group 1 at 44 (1.5.1, 1.4, 1.7.1, 1.6.1, 1.7.3, 1.5.2, 1.3.1 missing) and mandatory
    1.2 not met; group 2 complete; reviewed and published."""
    criteria = pd.read_csv(CRITERIA, dtype=str)
    missing = {"1.5.1", "1.4", "1.7.1", "1.6.1", "1.7.3", "1.5.2", "1.3.1", "1.2"}
    rows = []
    for r in criteria.itertuples():
        mandatory = r.mandatory.lower() == "true"
        points = 0.0 if r.code in missing else (1.0 if mandatory else float(r.max_points))
        rows.append(
            [YEAR, code, r.criteria_set, r.code, points, points, "published", "2025-05-10", ""]
        )
    return rows


@pytest.fixture(scope="module")
def api(tmp_path_factory, seeded_sqlite_url):
    """The seeded city with two school accounts; school A's 2024 assessment loaded by file."""
    folder = tmp_path_factory.mktemp("dxapi")
    app, engine, schools = report_warehouse(folder, seeded_sqlite_url)
    with engine.connect() as connection:
        code = connection.execute(
            select(Institution.code).where(Institution.id == schools[0])
        ).scalar_one()
    path = folder / "dx.csv"
    header = template("dx_assessments").strip().split(",")
    pd.DataFrame(assessment_rows(code), columns=header).to_csv(path, index=False)
    ingest(engine, "dx_assessments", path)
    return app, engine, schools


def url(institution: object, year: object = YEAR) -> str:
    return f"/api/v1/dx/next-level?institution={institution}&year={year}"


def test_the_plan_lists_the_mandatory_condition_then_the_fewest_criteria(api) -> None:
    app, engine, schools = api
    response = client_as(app, "dept.khtc").get(url(schools[0]))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["institution_id"], body["school_year"], body["basis"]) == (
        schools[0],
        YEAR,
        "reviewed",
    )
    one, two = body["groups"]
    assert (one["current_points"], one["current_level"], one["target_level"]) == (44.0, 1, 2)
    assert one["points_needed"] == 6.0 and one["reachable"] is True
    assert [(c["code"], c["mandatory"], c["gain"]) for c in one["criteria"]] == [
        ("1.2", True, 0.0),
        ("1.5.1", False, 15.0),
    ]
    assert (two["current_level"], two["target_level"], two["criteria"]) == (3, None, [])
    with engine.connect() as connection:
        audited = connection.execute(
            select(AuditLog.target).where(AuditLog.username == "dept.khtc")
        ).scalars()
        assert f"api/dx/next-level/{schools[0]}" in set(audited)


def test_a_school_sees_its_own_plan_and_is_refused_another_schools(api) -> None:
    app, _, schools = api
    school = client_as(app, "school.a")
    assert school.get(url(schools[0])).status_code == 200
    refused = school.get(url(schools[1]))
    assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden"
    assert client_as(app, "school.b").get(url(schools[0])).status_code == 403


def test_leadership_and_a_bearer_token_read_it_planners_and_anonymous_do_not(api) -> None:
    app, engine, schools = api
    assert client_as(app, "leader").get(url(schools[0])).status_code == 200
    assert client_as(app, "planner").get(url(schools[0])).status_code == 403
    anonymous = app.server.test_client().get(url(schools[0]))
    assert anonymous.status_code == 401
    _, token = create_token(engine, "school.a", "school software")
    bearer = app.server.test_client().get(
        url(schools[0]), headers={"Authorization": f"Bearer {token}"}
    )
    assert bearer.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "institution=abc&year=2024",
        "year=2024",
        "institution=1",
        "institution=1&year=24",
        "institution=-1&year=2024",
        "institution=99999999999&year=2024",
        "institution=1&year=2024.5",
    ],
)
def test_bad_parameters_are_400(api, query) -> None:
    app = api[0]
    response = client_as(app, "leader").get(f"/api/v1/dx/next-level?{query}")
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"


def test_unknown_institution_or_year_is_404(api) -> None:
    app, _, schools = api
    client = client_as(app, "leader")
    assert client.get(url(2_000_000_000)).status_code == 404
    assert client.get(url(schools[0], 2001)).status_code == 404


def test_an_assessment_without_criterion_scores_has_no_groups(api) -> None:
    app, engine, _ = api
    with engine.connect() as connection:
        institution = connection.execute(
            select(DxAssessment.institution_id).where(DxAssessment.school_year == 2022).limit(1)
        ).scalar_one()
    body = client_as(app, "leader").get(url(institution, 2022)).get_json()
    assert body["scored"] is False and body["groups"] == []


def test_the_openapi_document_describes_the_route_from_its_models(api) -> None:
    document = api[0].server.test_client().get("/api/v1/openapi.json").get_json()
    route = document["paths"]["/api/v1/dx/next-level"]["get"]
    assert set(route["responses"]) >= {"200", "400", "401", "403", "404"}
    ok = route["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok == "#/components/schemas/NextLevelOut"
    schemas = document["components"]["schemas"]
    assert {"NextLevelOut", "GroupOut", "CriterionOut"} <= set(schemas)
    assert "points_needed" in schemas["GroupOut"]["properties"]


def test_the_school_page_shows_the_plan_to_those_who_may_see_it(api) -> None:
    app, _, schools = api
    values = {"school-id.data": str(schools[0])}
    shown = call(client_as(app, "dept.khtc"), app, "school-dx-plan", values).get_json()
    text = json.dumps(shown["response"], ensure_ascii=False)
    assert "1.5.1" in text and "Quy chế tổ chức dạy học trực tuyến" in text  # 1.2, mandatory
    assert "44,0 điểm · mức 1 → mức 2: cần thêm 6,0 điểm" in text
    assert "mức 3 (mức cao nhất)" in text and "2025–2026" in text
    hidden = call(client_as(app, "planner"), app, "school-dx-plan", values).get_json()
    text = json.dumps(hidden["response"], ensure_ascii=False)
    assert "1.5.1" not in text and "Vai trò của bạn không được xem" in text


def test_the_dx_page_lists_the_schools_closest_to_the_next_level(api) -> None:
    app = api[0]
    values = {"dx-year.value": YEAR, "dx-geo.value": "ward"}
    body = call(client_as(app, "leader"), app, "dx-closest", values).get_json()
    table = body["response"]["dx-closest"]["children"]
    text = json.dumps(table, ensure_ascii=False)
    assert "/school/" in text and "Điểm còn thiếu" in text
    assert call(client_as(app, "planner"), app, "dx-closest", values).status_code == 403
