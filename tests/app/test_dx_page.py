"""/dx over HTTP on the small warehouse: who may open it (page, callbacks, export), the
figures of a year in both geographies, filters, empty states and audited exports."""

from __future__ import annotations

import base64
import io
import json

import pandas as pd
import pytest
from sqlalchemy import delete, func, select, update

from data_access.db import transaction
from data_access.models import AuditLog, DxAssessment, DxCriterion
from layouts.dx import layout
from tests.app.control_room_data import small_app
from tests.helpers import call, client_as, find_props, find_type, sign_in

BASE = {
    "dx-year.value": 2025,
    "dx-geo.value": "ward",
    "dx-area.value": "all",
    "dx-level.value": "all",
    "dx-ownership.value": "all",
}
#: Every server callback of the page, with the inputs that make it run.
CALLBACKS = {
    "dx-header": {"dx-geo.value": "ward"},
    "dx-summary": BASE,
    "dx-download": {**BASE, "dx-export-csv.n_clicks": 1},
}


def _shape(engine) -> None:
    """build_small publishes every school each year (level 2; in 2025 school 1 at 3, school
    3 at 1). Here, for 2025: school 1 reviewed and not generated, school 2 returned, school 6
    sent nothing; and the criteria set gets criteria."""
    a = DxAssessment
    y2025 = a.school_year == 2025
    with transaction(engine) as session:
        session.execute(
            update(a)
            .where(y2025, a.institution_id == 1)
            .values(
                self_group1=80,
                self_group2=85,
                reviewed_group1=78,
                reviewed_group2=84,
                generated=False,
            )
        )
        session.execute(
            update(a)
            .where(y2025, a.institution_id == 2)
            .values(status="returned", level=None, reviewed_group1=45, reviewed_group2=50)
        )
        session.execute(delete(a).where(y2025, a.institution_id == 6))
        session.add_all(
            [
                DxCriterion(set_id=1, group=g, code=c, title_vi=c, max_points=p, mandatory=p == 0)
                for g, c, p in [(1, "1.1", 0), (1, "1.3", 100), (2, "2.1", 0), (2, "2.3", 90)]
            ]
        )


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine) on the small warehouse with the 2025 assessments of :func:`_shape`."""
    return small_app(tmp_path_factory.mktemp("dx"), _shape)


def _client(app, user: str | None):
    return client_as(app, user)


def _call(client, app, output: str, **values):
    trigger = "dx-export-csv.n_clicks" if output == "dx-download" else None
    if "dx-export-xlsx.n_clicks" in values:
        trigger = "dx-export-xlsx.n_clicks"
    return call(client, app, output, {**CALLBACKS[output], **values}, triggered=trigger)


def _show(app, user: str = "leader", **values) -> dict:
    response = call(_client(app, user), app, "dx-summary", {**BASE, **values})
    assert response.status_code == 200, response.data[:400]
    return response.get_json()["response"]


def _text(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def _exports(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count(AuditLog.id)).where(AuditLog.action == "export")
        ).scalar_one()


@pytest.mark.parametrize(
    "user,status",
    [("leader", 200), ("admin", 200), ("dept.khtc", 200), ("dept.gdtrh", 200), ("planner", 403)],
)
def test_page_opens_for_leadership_and_departments_only(small, user, status) -> None:
    app, _ = small
    assert _client(app, user).get("/dx").status_code == status


def test_visitors_are_sent_to_sign_in(small) -> None:
    app, _ = small
    response = _client(app, None).get("/dx?year=2025")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("output", list(CALLBACKS))
def test_planner_and_visitor_are_refused_by_every_callback_and_the_export(small, output) -> None:
    app, engine = small
    before = _exports(engine)
    assert _call(_client(app, "planner"), app, output).status_code == 403
    assert _call(_client(app, None), app, output).status_code == 401
    assert _exports(engine) == before  # nothing ran
    assert _call(_client(app, "dept.khtc"), app, output).status_code == 200
    assert _exports(engine) == before + (output == "dx-download")


def test_header_years_areas_and_criteria(small) -> None:
    app, _ = small
    body = _call(_client(app, "leader"), app, "dx-header").get_json()["response"]
    assert [o["value"] for o in body["dx-year"]["options"]] == [2025, 2024, 2023]
    assert body["dx-year"]["value"] == 2025
    assert [o["value"] for o in body["dx-area"]["options"]] == ["all", "W3", "W1", "W2"]
    header = _text(body["dx-header"])
    assert "Chỉ số chuyển đổi số" in header and "Dữ liệu mô phỏng" in header
    criteria = _text(body["dx-criteria"])
    assert "QĐ 4725" in criteria and "Nhóm 1 – Dạy, học" in criteria
    districts = _call(
        _client(app, "leader"),
        app,
        "dx-header",
        **{"dx-geo.value": "old_district", "dx-area.value": "W1"},
    )
    area = districts.get_json()["response"]["dx-area"]
    assert area["value"] == "all"  # a ward is no old district
    assert {o["value"] for o in area["options"]} == {"all", "OD760", "OD770"}


def test_figures_of_a_year(small) -> None:
    app, _ = small
    body = _show(app)
    levels = body["dx-levels"]["figure"]["data"][0]
    assert levels["x"][:3] == [
        "Mức 1 – chưa đáp ứng",
        "Mức 2 – đáp ứng cơ bản",
        "Mức 3 – đáp ứng tốt",
    ]
    assert list(levels["y"]) == [1, 1, 1, 1, 1]  # + returned, + school 6 not assessed
    funnel = body["dx-funnel"]["figure"]["data"][0]
    assert list(funnel["x"]) == [4, 4, 4, 3]  # the preschool is not expected
    self_scores, reviewed = body["dx-groups"]["figure"]["data"]
    # (80+60+60+60)/4 and (85+60+60+60)/4, drawn with one decimal.
    assert list(self_scores["y"]) == pytest.approx([65.0, 66.25], abs=0.06)
    assert list(reviewed["y"]) == [61.5, 67.0]  # schools 1 and 2 were reviewed
    summary = _text(body["dx-summary"])
    assert "3 trong 4 kết quả năm học này là dữ liệu mô phỏng" in summary
    assert "Chưa gửi: 1 trường · Trả lại để bổ sung: 1" in summary
    trend = body["dx-trend"]["figure"]["data"]
    assert [bar["name"] for bar in trend] == [
        "Mức 1 – chưa đáp ứng",
        "Mức 2 – đáp ứng cơ bản",
        "Mức 3 – đáp ứng tốt",
    ]
    assert list(trend[1]["y"]) == pytest.approx([1.0, 1.0, 1 / 3])


def _grid_rows(node) -> list[dict] | None:
    """The rows of the first DataTable inside a serialised layout."""
    props = find_type(node, "DataTable")
    return None if props is None else props["data"]


def test_ranking_and_schools_link_to_their_pages(small) -> None:
    app, _ = small
    body = _show(app)
    ranking = _grid_rows(body["dx-ranking"])
    # 100 % with one at level 3, 100 %, then 0 % with one school not assessed.
    assert [r["area"] for r in ranking] == [
        "[Phường Sài Gòn](/ward/26734?year=2025)",
        "[Phường Nhiêu Lộc](/ward/26743?year=2025)",
        "[Phường Xuân Hòa](/ward/26740?year=2025)",
    ]
    assert [(r["share_level2plus"], r["not_assessed"]) for r in ranking] == [
        (100.0, 0),
        (100.0, 0),
        (0.0, 1),
    ]
    schools = {r["name"]: r for r in _grid_rows(body["dx-schools"])}
    first = schools["[Trường Tiểu học An Khánh](/school/1)"]
    assert first["ward"] == "[Phường Sài Gòn](/ward/26734)"
    assert (first["reviewed_group1"], first["reviewed_group2"]) == (78.0, 84.0)
    assert first["level"] == "Mức 3 – đáp ứng tốt" and first["generated"] == ""
    # Markdown punctuation in a name is escaped: it shows as text, never as markup.
    assert r"[Trường Mầm non Hoa Sen \<b\>](/school/4)" in schools
    statuses = {r["name"].split("](")[1]: r["status"] for r in schools.values()}
    assert statuses["/school/2)"] == "Trả lại để bổ sung"
    assert statuses["/school/6)"] == "Chưa gửi"


def test_old_districts_and_filters(small) -> None:
    app, _ = small
    ranking = _grid_rows(_show(app, **{"dx-geo.value": "old_district"})["dx-ranking"])
    assert [(r["area"], r["share_level2plus"], r["not_assessed"]) for r in ranking] == [
        ("Quận 1", 100.0, 0),
        ("Quận 3", 50.0, 1),
    ]
    primary = _show(app, **{"dx-level.value": "primary"})
    assert list(primary["dx-levels"]["figure"]["data"][0]["y"]) == [0, 0, 1, 0, 1]
    one_ward = _show(app, **{"dx-area.value": "W1"})
    assert list(one_ward["dx-funnel"]["figure"]["data"][0]["x"]) == [2, 2, 2, 1]
    earlier = _show(app, **{"dx-year.value": 2024})
    assert list(earlier["dx-levels"]["figure"]["data"][0]["y"]) == [0, 5, 0, 0, 0]


def test_empty_states_explain(small) -> None:
    app, _ = small
    body = _show(app, **{"dx-ownership.value": "foreign"})
    assert "Không có trường nào thuộc bộ lọc này trong năm học 2025–2026" in _text(
        body["dx-summary"]
    )
    assert "Chưa có dữ liệu" in _text(body["dx-schools"])


def test_a_year_where_no_school_has_sent_its_assessment(small) -> None:
    app, _ = small
    body = _show(app, **{"dx-area.value": "W2", "dx-level.value": "primary"})
    assert "chưa trường nào trong bộ lọc này gửi kết quả" in _text(body["dx-summary"])
    assert "Trường Tiểu học Nguyễn Du" in _text(body["dx-schools"])


def test_empty_warehouse_says_there_is_nothing_yet(app) -> None:
    client = app.server.test_client()
    sign_in(client, "leader")
    header = call(client, app, "dx-header", {"dx-geo.value": "ward"}).get_json()["response"]
    assert header["dx-year"]["options"] == [] and header["dx-year"]["value"] is None
    body = call(client, app, "dx-summary", BASE).get_json()["response"]
    assert "chưa có kết quả đánh giá chỉ số chuyển đổi số nào" in _text(body["dx-summary"])


def test_csv_and_excel_exports_are_audited(small) -> None:
    app, engine = small
    client = _client(app, "dept.gdtrh")
    csv = _call(client, app, "dx-download").get_json()["response"]["dx-download"]["data"]
    assert csv["filename"] == "dx_2025_ward.csv"
    frame = pd.read_csv(io.StringIO(csv["content"]))
    assert sorted(frame["institution_id"]) == [1, 2, 3, 4, 6]
    assert frame.set_index("institution_id").loc[6, "status"] == "not_submitted"
    assert frame.set_index("institution_id").loc[1, "ward_code"] == 26734
    xlsx = _call(
        client, app, "dx-download", **{"dx-geo.value": "old_district", "dx-export-xlsx.n_clicks": 1}
    )
    data = xlsx.get_json()["response"]["dx-download"]["data"]
    sheet = pd.read_excel(io.BytesIO(base64.b64decode(data["content"])))
    assert data["filename"] == "dx_2025_old_district.xlsx"
    assert set(sheet["area"]) == {"Quận 1", "Quận 3"}
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditLog.target, AuditLog.detail).where(
                AuditLog.action == "export", AuditLog.username == "dept.gdtrh"
            )
        ).all()
    assert ("dx_2025_ward.csv", "5 rows") in rows
    assert ("dx_2025_old_district.xlsx", "5 rows") in rows


def test_the_layout_reads_the_view_from_the_url() -> None:
    page = layout(
        year="2024", geo="old_district", area="OD760", level="primary", ownership="public"
    ).to_plotly_json()
    found = {
        key: find_props(json.loads(json.dumps(page, default=lambda c: c.to_plotly_json())), key)[
            "value"
        ]
        for key in ("dx-year", "dx-geo", "dx-area", "dx-level", "dx-ownership")
    }
    assert found == {
        "dx-year": 2024,
        "dx-geo": "old_district",
        "dx-area": "OD760",
        "dx-level": "primary",
        "dx-ownership": "public",
    }
    forged = layout(year="x", geo="mars", level="<script>", ownership="1").to_plotly_json()
    props = json.loads(json.dumps(forged, default=lambda c: c.to_plotly_json()))
    assert find_props(props, "dx-geo")["value"] == "ward"
    assert find_props(props, "dx-level")["value"] == "all"
    assert find_props(props, "dx-year")["value"] is None


def test_the_criteria_note_is_worded_in_the_page_language() -> None:
    from data_access.reference.dx import NOTE, SET_CODE
    from layouts.dx_panels import criteria_panel

    row = {
        "code": SET_CODE,
        "title": "QĐ 4725",
        "group": 1,
        "criteria": 16,
        "mandatory": 2,
        "max_points": 100,
        "note": NOTE,
        "source": "dx_index/criteria.csv",
    }
    assert "Nguồn thứ cấp: nhóm 1 cộng đủ 100 điểm" in str(criteria_panel([row], "vi"))
    assert "Secondary source" not in str(criteria_panel([row], "vi"))
    assert "Secondary source" in str(criteria_panel([row], "en"))
    other = {**row, "code": "OTHER", "note": "A note loaded with another set."}
    assert "A note loaded with another set." in str(criteria_panel([other], "vi"))
