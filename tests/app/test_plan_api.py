"""The report API of plan 723 (issue 10): tasks with unambiguous keys, writes that answer
201/400/401/403/409, reads of the current versions and of the history, the return flow, all
audited — through the real Flask app, with a session or a bearer token."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from data_access import plan_calendar as cal
from data_access.models import AuditLog
from data_access.tokens import create_token
from tests.app.report_warehouse import report_warehouse
from tests.helpers import sign_in

QUARTER = cal.quarter_of(datetime.now(UTC))


@pytest.fixture(scope="module")
def api(tmp_path_factory, seeded_sqlite_url):
    """A writable copy of the seeded city with a VPS officer and two school accounts."""
    return report_warehouse(tmp_path_factory.mktemp("planapi"), seeded_sqlite_url)


def client_of(api, user: str | None):
    app = api[0]
    client = app.server.test_client()
    if user:
        sign_in(client, user)
    return client


def first_task(client, unit: str) -> str:
    body = client.get(f"/api/v1/plan/tasks?unit={unit}").get_json()
    return body["tasks"][0]["key"]


def report(unit: str, task: str, **fields) -> dict:
    return {
        "quarter": QUARTER,
        "unit": unit,
        "task": task,
        "status": "in_progress",
        "progress": 60,
        "done": "Đã khảo sát 120 trường",
        "next": "Triển khai quý sau",
        "difficulties": "Thiếu kinh phí",
        "recommendations": "Bổ sung ngân sách",
        **fields,
    }


def test_tasks_have_unambiguous_keys_and_the_deadline(api) -> None:
    client = client_of(api, "dept.khtc")
    body = client.get("/api/v1/plan/tasks?unit=KHTC").get_json()
    keys = [t["key"] for t in body["tasks"]]
    assert keys and len(keys) == len(set(keys))
    codes = [t["code"] for t in body["tasks"]]
    assert any(k.startswith("DX-") for k in keys) and any(k.startswith("P2023-") for k in keys)
    assert len(set(codes)) < len(codes) or all(k.split("-", 1)[1] in codes for k in keys)
    assert body["deadline"].startswith(f"{cal.due_day(QUARTER).isoformat()}T16:59:59")
    assert isinstance(body["days_left"], int)


def test_a_unit_writes_its_report_and_reads_it_back(api) -> None:
    _, engine, _ = api
    client = client_of(api, "dept.khtc")
    task = first_task(client, "KHTC")
    created = client.post("/api/v1/plan/reports", json=report("KHTC", task, submit=True))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert set(body) == {"id", "version", "state", "submitted_at", "late"}
    assert body["state"] == "submitted" and body["late"] is False and body["submitted_at"]
    listed = client.get(f"/api/v1/plan/reports?quarter={QUARTER}&unit=KHTC").get_json()
    item = next(i for r in listed["reports"] for i in r["items"] if i["key"] == task)
    assert item["progress"] == 60 and item["difficulties"] == "Thiếu kinh phí"
    history = client.get(f"/api/v1/plan/reports/{body['id']}/versions").get_json()
    assert history["versions"][-1]["number"] == body["version"]
    with engine.connect() as connection:
        writes = connection.execute(
            select(AuditLog.username, AuditLog.target).where(AuditLog.action == "write")
        ).all()
    assert ("dept.khtc", f"plan/report/{body['id']}") in writes


def test_bad_fields_are_each_named(api) -> None:
    client = client_of(api, "dept.khtc")
    task = first_task(client, "KHTC")
    response = client.post(
        "/api/v1/plan/reports",
        json=report("KHTC", task, progress=150, status="finished", colour="red"),
    )
    assert response.status_code == 400
    fields = response.get_json()["fields"]
    assert {"progress", "status", "colour"} <= set(fields)
    assert client.post("/api/v1/plan/reports", data="not json").status_code == 400


def test_no_caller_gets_401(api) -> None:
    response = client_of(api, None).post("/api/v1/plan/reports", json=report("KHTC", "DX-1.1"))
    assert response.status_code == 401


def test_a_unit_never_writes_another_units_report(api) -> None:
    khtc = client_of(api, "dept.khtc")
    gdtrh_task = first_task(client_of(api, "dept.gdtrh"), "GDTrH")
    response = khtc.post("/api/v1/plan/reports", json=report("GDTrH", gdtrh_task))
    assert response.status_code == 403
    assert khtc.get("/api/v1/plan/tasks?unit=GDTrH").status_code == 403
    assert khtc.get("/api/v1/plan/reports?unit=GDTrH").status_code == 403


def test_a_school_writes_its_own_report_and_never_another_schools(api) -> None:
    _, _, schools = api
    school_a = client_of(api, "school.a")
    own, other = f"school:{schools[0]}", f"school:{schools[1]}"
    task = first_task(school_a, own)
    assert school_a.post("/api/v1/plan/reports", json=report(own, task)).status_code == 201
    assert school_a.post("/api/v1/plan/reports", json=report(other, task)).status_code == 403
    assert school_a.get(f"/api/v1/plan/reports?unit={other}").status_code == 403
    mine = school_a.get("/api/v1/plan/reports").get_json()["reports"]
    assert {r["reporter"] for r in mine} == {own}


def test_a_task_the_unit_does_not_report_on_is_refused(api) -> None:
    client = client_of(api, "dept.khtc")
    response = client.post("/api/v1/plan/reports", json=report("KHTC", "P2023-9.9"))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("quarter", ["2022Q4", "2099Q1"])
def test_a_quarter_outside_the_plan_is_a_conflict(api, quarter) -> None:
    client = client_of(api, "dept.khtc")
    task = first_task(client, "KHTC")
    response = client.post("/api/v1/plan/reports", json=report("KHTC", task, quarter=quarter))
    assert response.status_code == 409


def test_the_office_returns_a_report_and_the_unit_sees_it_returned(api) -> None:
    unit = client_of(api, "dept.gdtrh")
    task = first_task(unit, "GDTrH")
    created = unit.post("/api/v1/plan/reports", json=report("GDTrH", task, submit=True))
    report_id = created.get_json()["id"]
    refused = client_of(api, "dept.khtc").post(
        f"/api/v1/plan/reports/{report_id}/return", json={"comment": "Bổ sung số liệu"}
    )
    assert refused.status_code == 403
    office = client_of(api, "van.phong")
    assert office.post(f"/api/v1/plan/reports/{report_id}/return", json={}).status_code == 400
    returned = office.post(
        f"/api/v1/plan/reports/{report_id}/return", json={"comment": "Bổ sung số liệu"}
    )
    assert returned.status_code == 201 and returned.get_json()["state"] == "returned"
    seen = unit.get(f"/api/v1/plan/reports?quarter={QUARTER}&unit=GDTrH").get_json()
    mine = next(r for r in seen["reports"] if r["id"] == report_id)
    assert mine["state"] == "returned" and mine["return_comment"] == "Bổ sung số liệu"
    again = office.post(f"/api/v1/plan/reports/{report_id}/return", json={"comment": "Lần nữa"})
    assert again.status_code == 409  # only a submitted report is returned


def test_a_member_system_writes_with_a_bearer_token(api) -> None:
    _, engine, _ = api
    _, token = create_token(engine, "dept.khtc", "e-office", write_reports=True)
    _, reader = create_token(engine, "dept.khtc", "dashboard")  # read-only
    app = api[0]
    client = app.server.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    task = client.get("/api/v1/plan/tasks?unit=KHTC", headers=headers).get_json()["tasks"][1]
    refused = client.post(
        "/api/v1/plan/reports",
        json=report("KHTC", task["key"]),
        headers={"Authorization": f"Bearer {reader}"},
    )
    assert refused.status_code == 403 and refused.get_json()["scope"] == "write-reports"
    response = client.post(
        "/api/v1/plan/reports", json=report("KHTC", task["key"]), headers=headers
    )
    assert response.status_code == 201 and "Set-Cookie" not in response.headers


def test_the_openapi_document_describes_the_report_api(api) -> None:
    document = client_of(api, None).get("/api/v1/openapi.json").get_json()
    post = document["paths"]["/api/v1/plan/reports"]["post"]
    assert {"201", "400", "401", "403", "409"} <= set(post["responses"])
    schema = document["components"]["schemas"]["ReportIn"]
    assert schema["properties"]["progress"]["anyOf"][0]["maximum"] == 100
    assert "/api/v1/plan/reports/{report_id}/versions" in document["paths"]


@pytest.mark.parametrize("report_id", [999_999, 2**40])
def test_an_unknown_report_is_not_found(api, report_id) -> None:
    office = client_of(api, "van.phong")
    assert office.get(f"/api/v1/plan/reports/{report_id}/versions").status_code == 404
    returned = office.post(f"/api/v1/plan/reports/{report_id}/return", json={"comment": "x"})
    assert returned.status_code == 404
