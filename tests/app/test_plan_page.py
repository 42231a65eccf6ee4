"""/plan over HTTP on the small warehouse: who may open it (page, callbacks, export), the
department's own units preselected, tiles, filters, punctuality, audited exports, links."""

from __future__ import annotations

import base64
import io
import json
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select, update

from analytics.plan_progress import previous_quarter, quarter_of, report_due
from data_access.db import transaction
from data_access.models import AuditLog, PlanTask
from tests.app.control_room_data import _last_due_quarter, build_small, small_app
from tests.helpers import call, client_as, find_props, sign_in

TODAY = date.today()
REPORTED, REPORT_DUE = _last_due_quarter(TODAY)  # the one quarter the small warehouse reports
FILTERS = {
    "plan-quarter.value": REPORTED,
    "plan-unit.value": [],
    "plan-status.value": "all",
    "plan-kind.value": "all",
}
#: Every server callback of the page, with inputs that make it run.
PLAN_CALLBACKS = {
    "plan-quarter": {"plan-params.data": {}},
    "plan-tiles": FILTERS,
    "plan-download": {**FILTERS, "plan-export-csv.n_clicks": 1},
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine) on the small warehouse, shared by this module."""
    return small_app(tmp_path_factory.mktemp("plan"))


def _client(app, user: str | None):
    return client_as(app, user)


def _post(client, app, output: str, **values):
    trigger = "plan-export-csv.n_clicks" if output == "plan-download" else None
    return call(client, app, output, {**PLAN_CALLBACKS[output], **values}, triggered=trigger)


def _exports(engine) -> int:
    with engine.connect() as connection:
        return len(connection.execute(select(AuditLog.id).where(AuditLog.action == "export")).all())


def _show(client, app, **values) -> dict:
    response = call(client, app, "plan-tiles", {**FILTERS, **values})
    assert response.status_code == 200, response.data[:400]
    return response.get_json()["response"]


def _tiles(body: dict) -> dict[str, str]:
    return {
        tile["props"]["data-key"]: tile["props"]["children"][1]["props"]["children"]
        for tile in body["plan-tiles"]["children"]
    }


def _table_rows(body: dict) -> list[dict]:
    table = body["plan-table"]["children"]
    return table["props"]["data"] if table.get("type") == "DataTable" else []


@pytest.mark.parametrize(
    "user,status",
    [
        ("leader", 200),
        ("admin", 200),
        ("dept.khtc", 200),
        ("dept.gdtrh", 200),
        ("planner", 403),
        (None, 302),
    ],
)
def test_only_leadership_and_departments_open_the_page(small, user, status) -> None:
    app, _ = small
    response = _client(app, user).get("/plan")
    assert response.status_code == status
    if user is None:
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("output", list(PLAN_CALLBACKS))
@pytest.mark.parametrize("user,status", [("planner", 403), (None, 401)])
def test_planners_and_visitors_are_refused_by_every_callback_and_the_export(
    small, output, user, status
) -> None:
    app, engine = small
    before = _exports(engine)
    assert _post(_client(app, user), app, output).status_code == status
    assert _exports(engine) == before  # nothing ran, nothing was exported
    assert _post(_client(app, "dept.khtc"), app, output).status_code == 200


def test_a_department_finds_its_own_unit_preselected(small) -> None:
    app, _ = small
    body = _post(_client(app, "dept.khtc"), app, "plan-quarter").get_json()["response"]
    assert body["plan-unit"]["value"] == ["KHTC"]
    assert body["plan-quarter"]["value"] == quarter_of(TODAY)  # the running quarter
    quarters = [o["value"] for o in body["plan-quarter"]["options"]]
    assert quarters[0] == quarter_of(TODAY) and quarters[-1] == "2023Q1"
    units = {o["value"]: o["label"] for o in body["plan-unit"]["options"]}
    assert units["KHTC"] == "KHTC — Phòng Kế hoạch Tài chính"
    leader = _post(_client(app, "leader"), app, "plan-quarter").get_json()["response"]
    assert leader["plan-unit"]["value"] == []


@pytest.mark.parametrize(
    "params,units,quarter",
    [
        ({"unit": "all"}, [], None),  # the department cleared its units: the link keeps that
        ({"unit": "VPS,TCCB,forged"}, ["VPS", "TCCB"], None),
        ({"quarter": "2024Q2"}, ["KHTC"], "2024Q2"),
        ({"quarter": "1999Q1"}, ["KHTC"], None),
    ],
)
def test_the_url_choice_wins_over_the_preselection(small, params, units, quarter) -> None:
    app, _ = small
    body = _post(
        _client(app, "dept.khtc"), app, "plan-quarter", **{"plan-params.data": params}
    ).get_json()["response"]
    assert body["plan-unit"]["value"] == units
    assert body["plan-quarter"]["value"] == (quarter or quarter_of(TODAY))


def test_tiles_table_and_punctuality_of_the_reported_quarter(small) -> None:
    app, _ = small
    body = _show(_client(app, "leader"), app)
    # 1.1 (due 2024) is 60 % done: late; 1.2 (due in 200 days) 20 %: on track; 1.4 done.
    assert _tiles(body) == {"done": "1", "on_track": "1", "late": "1", "not_started": "0"}
    rows = _table_rows(body)
    assert [(r["code"], r["state_key"], r["percent"]) for r in rows] == [
        ("1.1", "late", 60.0),
        ("1.2", "on_track", 20.0),
        ("1.4", "done", 100.0),
    ]
    assert rows[0]["title"] == "Phòng máy đạt chuẩn" and rows[0]["leads"] == "KHTC"
    assert {r["quarter"] for r in rows} == {f"Quý {REPORTED[-1]}/{REPORTED[:4]}"}
    text = json.dumps(body["plan-punctuality"], ensure_ascii=False)
    assert "⚠ Chưa nộp, quá hạn" in text and "⚠ Trễ 4 ngày" in text and "Đúng hạn" in text
    assert (
        text.index("Văn phòng Sở")
        < text.index("Phòng Tổ chức Cán bộ")
        < text.index("Phòng Kế hoạch Tài chính")
    )  # missing, then late, then on time
    note = json.dumps(body["plan-note"], ensure_ascii=False)
    assert "mô phỏng" in note  # the reports are generated, and say so
    late = _show(_client(app, "leader"), app, **{"plan-status.value": "late"})
    assert [r["code"] for r in _table_rows(late)] == ["1.1"]


def test_english_words_the_same_view(small) -> None:
    app, _ = small
    client = app.server.test_client()
    sign_in(client, "leader")
    client.set_cookie("ioc_lang", "en")
    body = _show(client, app)
    assert [r["title"] for r in _table_rows(body)] == [
        "Standard computer rooms",
        "Fast connections",
        "Build the IOC",
    ]
    assert _table_rows(body)[0]["state"] == "Late"
    text = json.dumps(body["plan-punctuality"], ensure_ascii=False)
    assert "⚠ 4 days late" in text and "Department Office" in text
    assert "generated" in json.dumps(body["plan-note"])


def test_english_falls_back_to_the_vietnamese_title_of_a_task_without_one(tmp_path) -> None:
    def untranslated(engine) -> None:
        with transaction(engine) as session:
            session.execute(update(PlanTask).where(PlanTask.id == 1).values(title_en=None))

    app, _ = small_app(tmp_path, untranslated)
    client = client_as(app, "leader")
    client.set_cookie("ioc_lang", "en")
    titles = [r["title"] for r in _table_rows(_show(client, app))]
    assert titles == ["Phòng máy đạt chuẩn", "Fast connections", "Build the IOC"]


def test_filters_by_unit_status_and_kind(small) -> None:
    app, _ = small
    client = _client(app, "dept.khtc")
    body = _show(client, app, **{"plan-unit.value": ["KHTC"]})
    assert [r["code"] for r in _table_rows(body)] == ["1.1", "1.2"]
    assert _tiles(body) == {"done": "0", "on_track": "1", "late": "1", "not_started": "0"}
    punctual = json.dumps(body["plan-punctuality"], ensure_ascii=False)
    assert "Phòng Kế hoạch Tài chính" in punctual and "Văn phòng Sở" not in punctual
    items = _show(client, app, **{"plan-kind.value": "item"})
    assert [r["code"] for r in _table_rows(items)] == ["1.4"]
    none = _show(client, app, **{"plan-unit.value": ["KHTC"], "plan-status.value": "done"})
    assert "Không có nhiệm vụ nào khớp bộ lọc" in json.dumps(none["plan-table"], ensure_ascii=False)
    forged = _show(
        client,
        app,
        **{
            "plan-unit.value": "KHTC",
            "plan-status.value": "<b>",
            "plan-kind.value": 7,
            "plan-quarter.value": "x",
        },
    )
    assert len(_table_rows(forged)) == 3  # unknown values fall back to their defaults


def test_a_quarter_before_any_report_explains_what_it_shows(small) -> None:
    app, _ = small
    body = _show(_client(app, "leader"), app, **{"plan-quarter.value": "2023Q1"})
    # Early-2023 statuses, judged on 31/03/2023: 1.1 and 1.4 in progress, 1.2 not started.
    assert _tiles(body) == {"done": "0", "on_track": "2", "late": "0", "not_started": "1"}
    assert {r["quarter"] for r in _table_rows(body)} == {"—"}
    note = json.dumps(body["plan-note"], ensure_ascii=False)
    assert "trạng thái đầu năm 2023" in note and "31/03/2023" in note
    empty = json.dumps(body["plan-punctuality"], ensure_ascii=False)
    assert "Chưa có báo cáo quý nào cho Quý 1/2023 (hạn nộp 25/03/2023)" in empty
    assert "/plan?quarter=" not in empty  # no quarter before the plan's first to go to
    chart = body["plan-chart"]["figure"]["data"]
    assert all(trace["x"] == ["Quý 1/2023"] for trace in chart) and len(chart) == 4


def test_chart_counts_every_quarter_up_to_the_chosen_one(small) -> None:
    app, _ = small
    body = _show(_client(app, "leader"), app)
    traces = {trace["name"]: trace for trace in body["plan-chart"]["figure"]["data"]}
    assert set(traces) == {"Hoàn thành", "Đúng tiến độ", "Trễ hạn", "Chưa triển khai"}
    assert traces["Hoàn thành"]["x"][-1] == f"Quý {REPORTED[-1]}/{REPORTED[:4]}"
    assert [
        traces[n]["y"][-1] for n in ("Hoàn thành", "Đúng tiến độ", "Trễ hạn", "Chưa triển khai")
    ] == [1, 1, 1, 0]
    assert traces["Hoàn thành"]["y"][0] == 0 and len(traces["Hoàn thành"]["x"]) > 4
    assert body["plan-chart"]["figure"]["layout"]["yaxis"]["dtick"] == 1  # whole tasks


def test_a_quarter_without_reports_links_to_the_one_before_with_the_same_filters(small) -> None:
    app, _ = small
    quarter = previous_quarter(REPORTED)  # the small warehouse has no report for it
    body = _show(
        _client(app, "leader"),
        app,
        **{
            "plan-quarter.value": quarter,
            "plan-unit.value": ["KHTC", "VPS"],
            "plan-kind.value": "dx",
        },
    )
    text = json.dumps(body["plan-punctuality"], ensure_ascii=False)
    year, number = quarter[:4], quarter[-1]
    due = report_due(quarter).strftime("%d/%m/%Y")
    assert f"Chưa có báo cáo quý nào cho Quý {number}/{year} (hạn nộp {due})" in text
    assert f"/plan?quarter={previous_quarter(quarter)}&unit=KHTC%2CVPS&kind=dx" in text
    units = _show(_client(app, "leader"), app, **{"plan-unit.value": ["CTTT"]})
    assert "Các đơn vị đã chọn không có báo cáo quý" in json.dumps(
        units["plan-punctuality"], ensure_ascii=False
    )


def test_csv_and_excel_exports_follow_the_filters_and_are_audited(small) -> None:
    app, engine = small
    client = _client(app, "dept.khtc")
    values = {**FILTERS, "plan-unit.value": ["KHTC"]}
    before = _exports(engine)
    csv = call(
        client,
        app,
        "plan-download",
        {**values, "plan-export-csv.n_clicks": 1},
        triggered="plan-export-csv.n_clicks",
    ).get_json()["response"]["plan-download"]["data"]
    assert csv["filename"] == f"plan_{REPORTED}.csv"
    frame = pd.read_csv(io.StringIO(csv["content"]), dtype=str)
    assert frame["code"].tolist() == ["1.1", "1.2"]
    assert list(frame.columns) == [
        "kind",
        "code",
        "title_vi",
        "title_en",
        "lead_units",
        "due",
        "state",
        "status",
        "percent",
        "last_quarter",
    ]
    xlsx = call(
        client,
        app,
        "plan-download",
        {**values, "plan-export-xlsx.n_clicks": 1},
        triggered="plan-export-xlsx.n_clicks",
    ).get_json()["response"]["plan-download"]["data"]
    sheet = pd.read_excel(io.BytesIO(base64.b64decode(xlsx["content"])))
    assert xlsx["filename"] == f"plan_{REPORTED}.xlsx" and len(sheet) == 2
    assert _exports(engine) == before + 2
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditLog.target, AuditLog.role, AuditLog.detail).where(
                AuditLog.action == "export", AuditLog.username == "dept.khtc"
            )
        ).all()
    assert (f"plan_{REPORTED}.csv", "department:KHTC", "2 rows") in rows


def test_a_link_reproduces_the_view(small) -> None:
    app, _ = small
    response = call(
        _client(app, "leader"),
        app,
        "page-content",
        {
            "url.pathname": "/plan",
            "url.search": "?quarter=2025Q2&unit=KHTC,VPS&status=late&kind=dx",
        },
    )
    layout = response.get_json()["response"]["page-content"]["children"]
    assert find_props(layout, "plan-params")["data"] == {"quarter": "2025Q2", "unit": "KHTC,VPS"}
    assert find_props(layout, "plan-status")["value"] == "late"
    assert find_props(layout, "plan-kind")["value"] == "dx"
    body = _post(
        _client(app, "leader"),
        app,
        "plan-quarter",
        **{"plan-params.data": {"quarter": "2025Q2", "unit": "KHTC,VPS"}},
    )
    response = body.get_json()["response"]
    assert response["plan-quarter"]["value"] == "2025Q2"
    assert response["plan-unit"]["value"] == ["KHTC", "VPS"]


def test_the_control_room_plan_alerts_link_to_the_page_with_their_filters(small) -> None:
    app, _ = small
    body = call(_client(app, "leader"), app, "cr-tiles", {"cr-rotate.disabled": True})
    text = json.dumps(body.get_json()["response"]["cr-alerts"], ensure_ascii=False)
    assert "/plan?status=late&kind=dx&unit=KHTC" in text  # overdue task 1.1
    assert f"/plan?quarter={REPORTED}&unit=VPS" in text  # missing report
    assert f"/plan?quarter={REPORTED}&unit=TCCB" in text  # late report
    # The overdue link's view lists that task among the late ones.
    late = _show(
        _client(app, "leader"),
        app,
        **{
            "plan-quarter.value": quarter_of(TODAY),
            "plan-unit.value": ["KHTC"],
            "plan-status.value": "late",
            "plan-kind.value": "dx",
        },
    )
    assert [r["code"] for r in _table_rows(late)] == ["1.1"]


def test_plan_queries_give_the_same_answers_on_sqlite_and_postgresql(migrated_engine) -> None:
    from data_access.queries import plan

    build_small(migrated_engine)
    progress = plan.task_progress(migrated_engine)
    assert sorted(zip(progress["task_id"], progress["unit_code"], strict=True)) == [
        (1, "KHTC"),
        (2, "KHTC"),
        (3, "TCCB"),
    ]
    assert set(progress["quarter"]) == {REPORTED}
    now = plan.task_status(migrated_engine).set_index("code")
    assert now.loc["1.2", "percent"] == 20 and now.loc["1.2", "quarter"] == REPORTED
    before = plan.task_status(migrated_engine, as_of="2023Q1").set_index("code")
    assert before["status"].to_dict() == {
        "1.1": "in_progress",
        "1.2": "not_started",
        "1.4": "in_progress",
    }
    assert before["quarter"].isna().all() and before.loc["1.1", "due"] == date(2024, 12, 31)
    reports = plan.quarterly_reports(migrated_engine)
    assert reports["generated"].astype(bool).all() and len(reports) == 3
