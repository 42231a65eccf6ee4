"""/school/<id> and /ward/<code> show each signed-in user only the figures of the data
domains it may open (security review, finding 1): on the page, in the trends and in the
exports. Public registry facts stay visible to everyone."""

from __future__ import annotations

import base64
import io
import json

import pandas as pd
import pytest

from tests.app.control_room_data import small_app
from tests.helpers import call, client_as, find_type

# School 1 is a primary school, institution 5 a foreign-language centre (small warehouse).
SCHOOL, CENTRE, WARD = "1", "5", "26743"
CENTRE_ONLY = ("learners", "staff", "courses", "inspections", "violations")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_app(tmp_path_factory.mktemp("fields"))


def school_page(app, user: str, institution: str) -> dict:
    client = client_as(app, user)
    response = call(client, app, "school-header", {"school-id.data": institution})
    assert response.status_code == 200
    return response.get_json()["response"]


def exported_columns(app, user: str, institution: str) -> list[str]:
    client = client_as(app, user)
    body = call(
        client,
        app,
        "school-download",
        {"school-export-xlsx.n_clicks": 1, "school-id.data": institution},
        triggered="school-export-xlsx.n_clicks",
    ).get_json()
    content = body["response"]["school-download"]["data"]["content"]
    return list(pd.read_excel(io.BytesIO(base64.b64decode(content))).columns)


def trend_names(page: dict) -> list[str]:
    return [series["name"] for series in page["school-trends"]["figure"]["data"]]


@pytest.mark.parametrize(
    ("user", "institution", "allowed", "refused"),
    [
        # facilities (KHTC): classrooms only; never a centre's inspections or staff
        ("dept.khtc", CENTRE, [], [*CENTRE_ONLY, "pupils", "teachers"]),
        ("dept.khtc", SCHOOL, ["classrooms"], ["pupils", "classes", "teachers"]),
        # secondary education (students domain): pupils and classes, not teachers
        ("dept.gdtrh", SCHOOL, ["pupils", "classes"], ["teachers", "pupil_teacher_ratio"]),
        ("dept.gdtrh", CENTRE, [], list(CENTRE_ONLY)),
        # a planner opens no domain page, so sees no domain figures
        ("planner", SCHOOL, [], ["pupils", "classes", "teachers", "classrooms", "dx_level"]),
        ("planner", CENTRE, [], list(CENTRE_ONLY)),
        # leadership sees everything
        ("leader", CENTRE, ["learners", "inspections", "violations"], []),
        ("leader", SCHOOL, ["pupils", "teachers", "classrooms"], []),
    ],
)
def test_school_figures_follow_the_callers_domains(small, user, institution, allowed, refused):
    app, _ = small
    columns = exported_columns(app, user, institution)
    assert columns[0] == "school_year"
    assert set(allowed) <= set(columns), columns
    assert not set(refused) & set(columns), columns
    page = school_page(app, user, institution)
    text = json.dumps(page["school-figures"], ensure_ascii=False)
    if "inspections" in refused:
        assert "Kiểm tra" not in text and "Vi phạm" not in text
        assert "Nhân sự" not in trend_names(page) and "Học viên" not in trend_names(page)
    if "pupils" in refused:
        assert "Học sinh" not in trend_names(page)
    # the registry facts are public: every signed-in user sees them
    header = json.dumps(page["school-header"], ensure_ascii=False)
    assert "/ward/" in header


def test_a_caller_with_no_readable_figure_is_told_why(small) -> None:
    app, _ = small
    page = school_page(app, "planner", SCHOOL)
    text = json.dumps(page["school-figures"], ensure_ascii=False)
    assert "không được xem số liệu" in text
    assert page["school-trends"]["figure"]["data"] == []


def ward_view(app, user: str) -> dict:
    client = client_as(app, user)
    body = call(client, app, "ward-header", {"ward-code.data": WARD, "ward-year.value": "2025"})
    assert body.status_code == 200
    return body.get_json()["response"]


def tile_keys(view: dict) -> list[str]:
    text = json.dumps(view["ward-kpis"], ensure_ascii=False)
    return [key for key in ("Học sinh", "Giáo viên", "Số cơ sở") if key in text]


@pytest.mark.parametrize(
    ("user", "pupils_visible", "teachers_visible"),
    [("dept.khtc", False, False), ("planner", False, False), ("dept.gdtrh", True, False)],
)
def test_ward_figures_follow_the_callers_domains(small, user, pupils_visible, teachers_visible):
    app, _ = small
    view = ward_view(app, user)
    grid = find_type(view["ward-schools"], "DataTable")
    assert ("pupils" in [c["id"] for c in grid["columns"]]) is pupils_visible
    assert all(("pupils" in row) is pupils_visible for row in grid["data"])
    names = [series["name"] for series in view["ward-trends"]["figure"].get("data", [])]
    assert any("Học sinh" in n or "học sinh" in n for n in names) is pupils_visible
    assert any("Giáo viên" in n or "giáo viên" in n for n in names) is teachers_visible
    client = client_as(app, user)
    export = call(
        client,
        app,
        "ward-download",
        {"ward-export.n_clicks": 1, "ward-code.data": WARD, "ward-year.value": "2025"},
        triggered="ward-export.n_clicks",
    ).get_json()
    header = export["response"]["ward-download"]["data"]["content"].splitlines()[0]
    assert ("pupils" in header.split(",")) is pupils_visible


def test_leadership_sees_every_ward_figure(small) -> None:
    app, _ = small
    view = ward_view(app, "leader")
    grid = find_type(view["ward-schools"], "DataTable")
    assert "pupils" in [c["id"] for c in grid["columns"]]
    assert len(view["ward-trends"]["figure"].get("data", [])) == 3
