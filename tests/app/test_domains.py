"""Domain pages over HTTP: each division reads only its own domains — page, every callback
and every export — leadership reads all; figures, boundaries, quality and exports."""

from __future__ import annotations

import base64
import io
import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from data_access.models import AuditLog
from tests.app.control_room_data import small_app
from tests.helpers import call, client_as, exports_by, find_props, find_type

#: Every server callback of a domain page, with the inputs that make it run.
DOMAIN_CALLBACKS = {
    "dom-header": {"dom-geo.value": "ward"},
    "dom-series": {
        "dom-geo.value": "ward",
        "dom-area.value": "all",
        "dom-level.value": "all",
        "dom-ownership.value": "all",
    },
    "dom-download": {"dom-export-csv.n_clicks": 1, "dom-geo.value": "ward"},
    "dom-quality-download": {"dom-quality-csv.n_clicks": 1, "dom-geo.value": "ward"},
}
#: The export callbacks and the button that triggers each.
EXPORTS = {
    "dom-download": "dom-export-csv.n_clicks",
    "dom-quality-download": "dom-quality-csv.n_clicks",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine) on the small warehouse, shared by this module."""
    return small_app(tmp_path_factory.mktemp("dom"))


def _client(app, user: str | None):
    return client_as(app, user)


def _values(array) -> list:
    """Plotly's typed-array JSON (``{"dtype", "bdata"}``) or a plain list, as a list."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def _call(client, app, output: str, slug: str, **values):
    base = dict(DOMAIN_CALLBACKS[output])
    base.update({"dom-slug.data": slug, **values})
    return call(client, app, output, base, triggered=EXPORTS.get(output))


@pytest.mark.parametrize(
    "user,path,status",
    [
        ("dept.khtc", "/domains/facilities", 200),
        ("dept.khtc", "/domains/students", 403),
        ("dept.gdtrh", "/domains/students", 200),
        ("dept.gdtrh", "/domains/facilities", 403),
        ("dept.khtc", "/domains/no-such-domain", 403),
        ("planner", "/domains/facilities", 403),
        ("planner", "/domains", 403),
        ("leader", "/domains/health", 200),
        ("admin", "/domains/administration", 200),
    ],
)
def test_domain_pages_open_only_for_their_divisions_and_leadership(
    small, user, path, status
) -> None:
    app, _ = small
    assert _client(app, user).get(path).status_code == status


@pytest.mark.parametrize("output", list(DOMAIN_CALLBACKS))
def test_a_division_cannot_read_another_domain_through_any_callback(small, output) -> None:
    app, engine = small
    client = _client(app, "dept.khtc")
    with engine.connect() as connection:
        before = connection.execute(select(AuditLog.id).where(AuditLog.action == "export")).all()
    for forged in ("students", "staff", "health", "no-such-domain", None, ["facilities"]):
        response = _call(client, app, output, forged)
        assert response.status_code == 403, (output, forged)
    assert _call(client, app, output, "facilities").status_code == 200
    planner = _client(app, "planner")
    assert _call(planner, app, output, "facilities").status_code == 403
    with engine.connect() as connection:
        after = connection.execute(select(AuditLog.id).where(AuditLog.action == "export")).all()
    assert len(after) - len(before) == (1 if output in EXPORTS else 0)


def test_the_quality_worklist_lists_every_institution_to_chase(small) -> None:
    """Small warehouse, 2025: school 6 sent no staff report; the worklist names it."""
    app, engine = small
    sent = _call(
        _client(app, "leader"), app, "dom-quality-download", "staff", **{"dom-year.value": 2025}
    ).get_json()["response"]["dom-quality-download"]["data"]
    assert sent["filename"] == "staff_2025_quality_worklist.csv"
    frame = pd.read_csv(io.StringIO(sent["content"]))
    assert list(frame.columns) == ["problem", "institution_id", "code", "name", "area", "detail"]
    chase = frame[frame["problem"] == "not_reported"]
    assert chase["institution_id"].tolist() == [6]
    assert chase["name"].tolist() == ["Trường Tiểu học Nguyễn Du"]
    assert chase["area"].tolist() == ["Phường Xuân Hòa"] and chase["code"].notna().all()
    assert "staff_2025_quality_worklist.csv" in exports_by(engine, "leader")


def test_index_says_how_fresh_each_domain_is(small) -> None:
    """Small warehouse: students loaded 10 days ago (yearly), staff 400 days ago (stale),
    health never."""
    app, _ = small
    body = call(_client(app, "leader"), app, "dom-index").get_json()["response"]
    line = {
        card["props"]["children"][0]["props"]["href"].removeprefix("/domains/"): json.dumps(
            card["props"]["children"][2], ensure_ascii=False
        )
        for card in body["dom-index"]["children"]["props"]["children"]
    }
    loaded = (date.today() - timedelta(days=10)).isoformat()
    assert loaded in line["students"] and "Đúng hạn" in line["students"]
    assert "⚠ Quá hạn" in line["staff"] and "dom-fresh-stale" in line["staff"]
    assert "Chưa nạp" in line["health"]


def test_index_lists_only_the_domains_the_caller_may_open(small) -> None:
    app, _ = small
    text = json.dumps(
        call(_client(app, "dept.khtc"), app, "dom-index").get_json(), ensure_ascii=False
    )
    assert "/domains/facilities" in text and "/domains/students" not in text
    assert "Phòng Kế hoạch Tài chính" in text
    leader = json.dumps(call(_client(app, "leader"), app, "dom-index").get_json())
    assert all(
        f"/domains/{slug}" in leader
        for slug in (
            "students",
            "staff",
            "facilities",
            "exams",
            "non-public",
            "health",
            "administration",
        )
    )


def test_header_names_the_supervising_division_and_fills_the_filters(small) -> None:
    app, _ = small
    body = _call(_client(app, "dept.gdtrh"), app, "dom-header", "students").get_json()
    response = body["response"]
    text = json.dumps(response["dom-header"], ensure_ascii=False)
    assert "Phòng Giáo dục Trung học" in text and "Phòng Giáo dục Mầm non" in text
    assert "System 1" in text
    assert response["dom-year"]["value"] == 2025
    assert [o["value"] for o in response["dom-indicator"]["options"]][:3] == [
        "pupils",
        "classes",
        "class_size",
    ]
    assert {o["value"] for o in response["dom-area"]["options"]} == {"all", "W1", "W2", "W3", "W4"}


def _grid_rows(node) -> list[dict] | None:
    """The rows of the first DataTable inside a serialised layout."""
    props = find_type(node, "DataTable")
    return None if props is None else props["data"]


def _show(client, app, slug="students", **values):
    base = {
        "dom-year.value": 2025,
        "dom-geo.value": "ward",
        "dom-area.value": "all",
        "dom-level.value": "all",
        "dom-ownership.value": "all",
        "dom-indicator.value": "pupils",
        "dom-slug.data": slug,
    }
    base.update(values)
    response = call(client, app, "dom-series", base)
    assert response.status_code == 200, response.data[:400]
    return response.get_json()["response"]


def test_series_of_the_whole_city_is_the_same_in_both_geographies(small) -> None:
    app, _ = small
    client = _client(app, "leader")
    wards = _show(client, app)["dom-series"]["figure"]["data"][0]
    districts = _show(client, app, **{"dom-geo.value": "old_district"})["dom-series"]["figure"][
        "data"
    ][0]
    assert _values(wards["x"]) == _values(districts["x"]) == [2023, 2024, 2025]
    assert _values(wards["y"]) == pytest.approx(_values(districts["y"]))


def test_series_of_a_split_ward_marks_the_carried_years_as_estimates(small) -> None:
    app, _ = small
    body = _show(_client(app, "leader"), app, **{"dom-area.value": "W2"})
    trace = body["dom-series"]["figure"]["data"][0]
    # Before 2025 W2's figures come from old ward 3 (split, so estimates); its schools (480
    # pupils) all lie in W2, which the measured crosswalk weights follow.
    assert _values(trace["y"]) == pytest.approx([480.0, 480.0, 480.0])
    assert trace["marker"]["symbol"] == ["circle-open", "circle-open", "circle"]


def test_filters_table_and_quality_panel(small) -> None:
    app, _ = small
    body = _show(
        _client(app, "leader"),
        app,
        **{"dom-level.value": "primary", "dom-indicator.value": "class_size"},
    )
    grid = body["dom-table"]["children"]
    rows = {row["area"]: row for row in _grid_rows(grid)}
    assert rows["Phường Sài Gòn"]["class_size"] == 40.0  # school 1, primary only
    assert rows["Phường Xuân Hòa"]["class_size"] == 30.0  # school 6
    assert "Phường Nhiêu Lộc" not in rows  # no primary school there
    quality = json.dumps(body["dom-quality"], ensure_ascii=False)
    assert "Thiếu hoặc sai toạ độ (1)" in quality and "Trường Tiểu học Nguyễn Du" in quality
    staff = json.dumps(
        _show(_client(app, "leader"), app, "staff", **{"dom-indicator.value": "teachers"})[
            "dom-quality"
        ],
        ensure_ascii=False,
    )
    assert "Mức đầy đủ theo đơn vị báo cáo (1)" in staff  # school 6 did not report staff


def test_csv_and_excel_exports_are_audited(small) -> None:
    app, engine = small
    client = _client(app, "dept.khtc")
    values = {
        "dom-year.value": 2025,
        "dom-geo.value": "old_district",
        "dom-slug.data": "facilities",
        "dom-level.value": "all",
        "dom-ownership.value": "all",
    }
    csv = call(
        client,
        app,
        "dom-download",
        {**values, "dom-export-csv.n_clicks": 1},
        triggered="dom-export-csv.n_clicks",
    ).get_json()["response"]["dom-download"]["data"]
    assert csv["filename"] == "facilities_2025_old_district.csv"
    frame = pd.read_csv(io.StringIO(csv["content"]))
    assert set(frame["unit"]) == {"OD760", "OD770"} and "classrooms" in frame.columns
    xlsx = call(
        client,
        app,
        "dom-download",
        {**values, "dom-export-xlsx.n_clicks": 1},
        triggered="dom-export-xlsx.n_clicks",
    ).get_json()["response"]["dom-download"]["data"]
    assert xlsx["filename"].endswith(".xlsx") and xlsx["base64"]
    sheet = pd.read_excel(io.BytesIO(base64.b64decode(xlsx["content"])))
    assert len(sheet) == 2
    assert {"facilities_2025_old_district.csv", "facilities_2025_old_district.xlsx"} <= exports_by(
        engine, "dept.khtc"
    )


def test_a_link_reproduces_the_view(small) -> None:
    app, _ = small
    client = _client(app, "leader")
    response = call(
        client,
        app,
        "page-content",
        {
            "url.pathname": "/domains/students",
            "url.search": "?year=2024&geo=old_district&area=OD760&level=primary&indicator=classes",
        },
    )
    layout = response.get_json()["response"]["page-content"]["children"]
    for component, value in (
        ("dom-year", 2024),
        ("dom-geo", "old_district"),
        ("dom-area", "OD760"),
        ("dom-level", "primary"),
        ("dom-indicator", "classes"),
    ):
        assert find_props(layout, component)["value"] == value, component
    assert find_props(layout, "dom-slug")["data"] == "students"


def test_an_assumed_member_system_is_marked_in_the_page_language() -> None:
    from layouts.common import system_name

    assert system_name("CSDL ngành (assumed)", "vi") == "CSDL ngành (giả định)"
    assert system_name("CSDL ngành (assumed)", "en") == "CSDL ngành (assumed)"
    assert system_name("Hệ thống A", "vi") == "Hệ thống A" and system_name(None, "vi") == "—"
