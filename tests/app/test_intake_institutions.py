"""The datasets added to /intake: a new centre appears on the public map and in its search at
once (the registry caches are dropped on commit) and leaves both when the batch is undone; a
unit's Phụ lục II is checked by the report rules for the uploader."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select

from data_access.models import IngestionBatch, PlanTaskUnit, ReportVersion
from data_access.plan_calendar import quarter_of
from data_access.plan_report_reads import current_reports
from ioc_app.core import ids
from tests.app.control_room_data import small_app
from tests.app.test_intake import _commit, _undo, _upload, _validate
from tests.helpers import client_as

NAME = "Trung tâm Ngoại ngữ Bình Minh Mới"
#: A centre in the small warehouse's 2025 ward Sài Gòn (code 26734), dated after the merger.
CENTRE = (
    "code,name,kind,level,ownership,address,ward_code,as_of,latitude,longitude,licence_no,"
    "licence_issued,licence_valid_until,licence_status\n"
    f"79-NN-777,{NAME},language_it_centre,,private,5 Lê Lợi,26734,15/08/2025,"
    '"10,7101","106,6101",77/GP,01/08/2025,,active\n'
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return small_app(tmp_path_factory.mktemp("intake_registry"))


def _names_on_map(client) -> list[str]:
    response = client.get("/api/v1/map/points.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    features = json.loads(gzip.decompress(response.data))["features"]
    return [f["properties"]["tooltip"] for f in features]


def _found(client) -> list[str]:
    response = client.get("/api/v1/search", query_string={"q": "binh minh moi"})
    return [r["name"] for r in response.get_json()["results"]]


def test_a_new_centre_appears_on_the_map_and_in_search_and_undo_removes_it(warehouse) -> None:
    app, engine = warehouse
    public = app.server.test_client()
    assert not any(NAME in tip for tip in _names_on_map(public))  # the snapshot is cached now
    assert NAME not in _found(public)
    admin = client_as(app, "admin")
    kept = _upload(admin, app, CENTRE, name="institutions", filename="edugis.csv")
    validated = _validate(admin, app, kept[ids.INTAKE_TOKEN]["data"])
    assert validated[ids.INTAKE_VALIDATED]["data"]["clean"] is True, validated
    assert "1" in _commit(admin, app, validated[ids.INTAKE_VALIDATED]["data"])
    assert any(NAME in tip for tip in _names_on_map(public))
    assert NAME in _found(public)
    with engine.connect() as connection:
        latest = connection.execute(
            select(func.max(IngestionBatch.id)).where(IngestionBatch.dataset == "institutions")
        ).scalar_one()
    assert "Đã hoàn tác" in _undo(admin, app, latest, {})
    assert not any(NAME in tip for tip in _names_on_map(public))
    assert NAME not in _found(public)


PLAN_HEADER = "quarter,reporter,task,status,progress,done,next,difficulties,recommendations\n"


def _lead(engine) -> None:
    with engine.begin() as connection:
        connection.execute(insert(PlanTaskUnit).values(task_id=1, unit_code="KHTC", role="lead"))


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    return small_app(tmp_path_factory.mktemp("intake_plan"), shape=_lead)


def test_a_unit_loads_its_quarterly_report_as_itself(planned) -> None:
    app, engine = planned
    client = client_as(app, "dept.khtc")
    quarter = quarter_of(datetime.now(UTC))
    mine = f"{quarter},KHTC,DX-1.1,in_progress,55,Đã lắp 3 phòng máy.,,,\n"
    theirs = f"{quarter},TCCB,DX-1.1,done,100,,,,\n"
    kept = _upload(client, app, PLAN_HEADER + mine + theirs, name="plan_reports")
    report = _validate(client, app, kept[ids.INTAKE_TOKEN]["data"])
    assert report[ids.INTAKE_VALIDATED]["data"]["clean"] is False
    shown = str(report[ids.INTAKE_REPORT]["children"])
    assert "'row': 3" in shown and "'column': 'reporter'" in shown
    assert "dept.khtc (department) may not write the report of TCCB" in shown
    kept = _upload(client, app, PLAN_HEADER + mine, name="plan_reports")
    validated = _validate(client, app, kept[ids.INTAKE_TOKEN]["data"])[ids.INTAKE_VALIDATED]
    assert validated["data"]["clean"] is True
    assert "1 dòng thêm mới" in _commit(client, app, validated["data"])
    stored = current_reports(engine, quarter=quarter, unit="KHTC")[0]
    assert [(i["key"], i["progress"]) for i in stored["items"]] == [("DX-1.1", 55)]
    with engine.connect() as connection:
        author = connection.execute(select(ReportVersion.username)).scalars().all()
    assert author == ["dept.khtc"]
