"""/plan's reports cards over HTTP on a writable copy of the seeded city (issue 10): the
quarter's punctuality matches the service, a unit's submission through the API changes the
punctuality and the themes (the caches follow the reports version), a department sees only
its own reports' texts, and the Phụ lục II workbook downloads with columns (3)–(6) filled."""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from analytics.report_punctuality import punctuality_counts
from data_access import plan_calendar as cal
from data_access.report_punctuality import punctuality
from data_access.users import create_user
from ioc_app.core import ids
from ioc_app.services.report_workbook import SHEETS
from tests.app.report_warehouse import report_warehouse
from tests.helpers import PASSWORD, call, exports_by, sign_in

NOW = datetime.now(UTC)
RUNNING = cal.quarter_of(NOW)
PAST = "2026Q3"  # the last quarter of the seeded history
LINK = re.compile(r"/report\?quarter=(\w+)&unit=([^\"&]+)")


@pytest.fixture(scope="module")
def city(tmp_path_factory, seeded_sqlite_url):
    """(app, engine) on a writable copy of the seeded city."""
    app, engine, _ = report_warehouse(tmp_path_factory.mktemp("planreports"), seeded_sqlite_url)
    return app, engine


def _client(app, user: str | None):
    client = app.server.test_client()
    if user:
        sign_in(client, user)
    return client


def _cards(client, app, quarter: str) -> dict:
    response = call(client, app, ids.PLAN_REPORTS_NOTE, {f"{ids.PLAN_QUARTER}.value": quarter})
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def _themes(client, app, quarter: str) -> str:
    response = call(client, app, ids.PLAN_THEMES, {f"{ids.PLAN_QUARTER}.value": quarter})
    assert response.status_code == 200, response.data[:300]
    return json.dumps(response.get_json(), ensure_ascii=False)


def _texts(node) -> list[str]:
    """Every string inside a rendered component tree, in order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [text for child in node for text in _texts(child)]
    if isinstance(node, dict):
        return _texts(node.get("props", {}).get("children"))
    return []


def _rows(table) -> list[list[str]]:
    """The body rows of a rendered html.Table, as cell texts."""
    body = next(part for part in table["props"]["children"] if part["type"] == "Tbody")
    return [
        [" ".join(_texts(cell)) for cell in row["props"]["children"]]
        for row in body["props"]["children"]
    ]


def _number(text: str) -> int:
    return int(text.replace(".", "").replace(",", ""))


def test_punctuality_matches_the_service(city) -> None:
    app, engine = city
    body = _cards(_client(app, "leader"), app, PAST)
    frame = punctuality(engine, PAST, now=NOW)
    # By 2025 ward (schools): the DataTable's rows are the service's counts, worst first.
    wards = body[ids.PLAN_WARDS]["children"]["props"]["data"]
    expected = punctuality_counts(frame[frame["group"] == "school"], by="ward_code")
    assert len(wards) == len(expected) > 100
    by_code = expected.set_index("ward_code")
    for row in wards:
        for state in ("on_time", "late", "returned", "missing", "expected"):
            assert row[state] == by_code.loc[row["ward_code"], state]
    shares = [row["on_time_share"] for row in wards]
    assert shares == sorted(shares)
    # By kind: one row per kind, the counts of punctuality_counts.
    units_table, kinds_table = body[ids.PLAN_BY_KIND]["children"]["props"]["children"]
    kinds = punctuality_counts(frame, by="kind")
    rows = _rows(kinds_table)
    assert len(rows) == len(kinds)
    assert sorted(_number(r[1]) for r in rows) == sorted(kinds["on_time"])
    assert sum(_number(r[6]) for r in rows) == len(frame)
    # Per unit: the twelve reporting units, each with its state.
    assert len(_rows(units_table)) == int((frame["group"] == "unit").sum()) == 12
    # The seeded history is generated, and says so.
    assert "mô phỏng" in " ".join(_texts(body[ids.PLAN_REPORTS_NOTE]["children"]))


def _waiting_unit(engine) -> str:
    frame = punctuality(engine, RUNNING, now=NOW)
    units = frame[(frame["group"] == "unit") & frame["state"].isin(["not_due", "missing"])]
    if units.empty:
        pytest.skip(f"every unit has already reported for {RUNNING}")
    return str(units["reporter"].iloc[0])


def test_a_submission_changes_punctuality_and_themes(city) -> None:
    app, engine = city
    unit = _waiting_unit(engine)
    create_user(engine, "dept.waiting", PASSWORD, role="department", units=(unit,))
    leader = _client(app, "leader")
    # Read first, so that the caches hold the quarter before the submission.
    before_cards = _cards(leader, app, RUNNING)
    before_themes = _themes(leader, app, RUNNING)
    assert f"unit={unit}" not in before_themes

    writer = _client(app, "dept.waiting")
    task = writer.get(f"/api/v1/plan/tasks?unit={unit}").get_json()["tasks"][0]["key"]
    sent = writer.post(
        "/api/v1/plan/reports",
        json={
            "quarter": RUNNING,
            "unit": unit,
            "task": task,
            "status": "in_progress",
            "progress": 40,
            "done": "Đã rà soát hạ tầng",
            "next": "Mua sắm thiết bị",
            "difficulties": "Thiếu kinh phí mua máy tính cho phòng máy",
            "recommendations": "De nghi bo sung kinh phi mua may tinh",  # without diacritics
            "submit": True,
        },
    )
    assert sent.status_code == 201, sent.get_json()

    after_cards = _cards(leader, app, RUNNING)
    assert after_cards[ids.PLAN_BY_KIND] != before_cards[ids.PLAN_BY_KIND]
    unit_rows = _rows(after_cards[ids.PLAN_BY_KIND]["children"]["props"]["children"][0])
    assert any(state.endswith("Đúng hạn") or state.endswith("On time") for _, state, _ in unit_rows)
    after_themes = _themes(leader, app, RUNNING)
    assert f"unit={unit}" in after_themes
    assert "Thiếu kinh phí mua máy tính cho phòng máy" in after_themes


def test_a_department_reads_only_its_own_reports_texts(city) -> None:
    app, _ = city
    leader = _themes(_client(app, "leader"), app, PAST)
    everyone = {unit for _, unit in LINK.findall(leader)}
    assert len(everyone) > 20 and any(u.startswith("school") for u in everyone)
    own = _themes(_client(app, "dept.khtc"), app, PAST)
    assert {unit for _, unit in LINK.findall(own)} <= {"KHTC"}
    assert "Quotes and reports are only" in own or "chỉ gồm báo cáo của đơn vị bạn" in own
    # The page's access: a planner is refused, an anonymous caller is asked to sign in.
    planner = call(_client(app, "planner"), app, ids.PLAN_THEMES, {"plan-quarter.value": PAST})
    assert planner.status_code == 403
    anonymous = call(_client(app, None), app, ids.PLAN_THEMES, {"plan-quarter.value": PAST})
    assert anonymous.status_code == 401


def _workbook(client, app, quarter: str, units: list[str]):
    response = call(
        client,
        app,
        ids.PLAN_WORKBOOK_DOWNLOAD,
        {
            f"{ids.PLAN_WORKBOOK}.n_clicks": 1,
            f"{ids.PLAN_QUARTER}.value": quarter,
            f"{ids.PLAN_UNIT}.value": units,
        },
        triggered=f"{ids.PLAN_WORKBOOK}.n_clicks",
    )
    assert response.status_code == 200, response.data[:300]
    sent = response.get_json()["response"][ids.PLAN_WORKBOOK_DOWNLOAD]["data"]
    assert sent["filename"] == f"phu_luc_II_{quarter}.xlsx"
    return load_workbook(io.BytesIO(base64.b64decode(sent["content"])))


def test_the_workbook_is_the_annex_with_columns_3_to_6_filled(city) -> None:
    app, engine = city
    book = _workbook(_client(app, "leader"), app, PAST, [])
    table = book[SHEETS["vi"][1]]
    header = [cell.value for cell in table[1]]
    columns = [
        i for i, name in enumerate(header) if name and name[:3] in ("(3)", "(4)", "(5)", "(6)")
    ]
    assert len(columns) == 4
    rows = list(table.iter_rows(min_row=2, values_only=True))
    for column in columns:
        assert sum(1 for row in rows if row[column]) > 5
    assert len(book.sheetnames) > 3 + 5  # a sheet per unit that reported
    assert f"phu_luc_II_{PAST}.xlsx" in exports_by(engine, "leader")
    # A department gets its own units' reports only.
    own = _workbook(_client(app, "dept.khtc"), app, PAST, [])
    assert own.sheetnames[3:] == ["KHTC"]
    assert f"phu_luc_II_{PAST}.xlsx" in exports_by(engine, "dept.khtc")
