"""The control room over HTTP on a small hand-made warehouse: who may open it, what its
callbacks compute, how a refresh patches only what changed, ward and school drill-downs."""

from __future__ import annotations

import base64
import gzip
import io
import json
from datetime import datetime

import pandas as pd
import pytest
from sqlalchemy import insert, update

from data_access import migrate
from data_access.db import make_engine
from data_access.models import FactEnrolment, IngestionBatch
from tests.app.control_room_data import build_small, small_app
from tests.helpers import add_users, call, exports_by, sign_in


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine) on the small warehouse, shared by this module's read-only tests."""
    return small_app(tmp_path_factory.mktemp("cr"))


@pytest.fixture
def leader(small):
    app, _ = small
    client = app.server.test_client()
    sign_in(client, "leader")
    return client


def _summary(client, app, previous=None, year=None):
    response = call(
        client,
        app,
        "cr-tiles",
        {"cr-year.value": year, "cr-signature.data": previous, "cr-rotate.disabled": True},
    )
    assert response.status_code == 200, response.data[:500]
    return response.get_json()["response"]


@pytest.mark.parametrize(
    "user,status", [("planner", 403), ("dept.khtc", 403), ("leader", 200), ("admin", 200)]
)
def test_only_leadership_and_admin_open_the_control_room(small, user, status) -> None:
    app, _ = small
    client = app.server.test_client()
    sign_in(client, user)
    assert client.get("/").status_code == status
    assert call(client, app, "cr-tiles").status_code == status
    assert (
        call(
            client,
            app,
            "cr-units-layer",
            {
                "cr-kpi.value": "pupils",
                "cr-method.value": "quantile",
                "cr-classes.value": 5,
                "cr-geo.value": "ward",
            },
        ).status_code
        == status
    )
    export = {"cr-export-csv.n_clicks": 1, "cr-year.value": 2025, "cr-kpi.value": "pupils"}
    export["cr-geo.value"] = "ward"
    assert call(client, app, "cr-download", export, "cr-export-csv.n_clicks").status_code == status
    alerts = {"cr-alerts-csv.n_clicks": 1, "cr-year.value": 2025}
    assert (
        call(client, app, "cr-alerts-download", alerts, "cr-alerts-csv.n_clicks").status_code
        == status
    )


def test_the_map_indicator_exports_for_every_area_and_is_audited(small, leader) -> None:
    app, engine = small
    values = {"cr-year.value": 2025, "cr-kpi.value": "pupils", "cr-geo.value": "ward"}
    shown = call(
        leader,
        app,
        "cr-units-layer",
        {**values, "cr-method.value": "quantile", "cr-classes.value": 5},
    ).get_json()["response"]["cr-units-layer"]["hideout"]["labels"]
    sent = call(
        leader,
        app,
        "cr-download",
        {**values, "cr-export-csv.n_clicks": 1},
        "cr-export-csv.n_clicks",
    ).get_json()["response"]["cr-download"]["data"]
    assert sent["filename"] == "pupils_ward_2025.csv"
    frame = pd.read_csv(io.StringIO(sent["content"]))
    assert list(frame.columns[:4]) == ["unit_id", "code", "name_vi", "name_en"]
    assert set(frame["unit_id"]) == set(shown)  # every area of the map, none left out
    for row in frame.itertuples():  # the map's own figures, as the hover label words them
        assert shown[row.unit_id].startswith(row.name_vi)
        assert f"{row.value:,.0f}".replace(",", ".") in shown[row.unit_id]
    old = call(
        leader,
        app,
        "cr-download",
        {**values, "cr-geo.value": "old_district", "cr-export-xlsx.n_clicks": 1},
        "cr-export-xlsx.n_clicks",
    ).get_json()["response"]["cr-download"]["data"]
    assert old["filename"] == "pupils_old_district_2025.xlsx"
    workbook = pd.read_excel(io.BytesIO(base64.b64decode(old["content"])))
    assert workbook["estimate"].dtype == bool
    assert {"pupils_ward_2025.csv", "pupils_old_district_2025.xlsx"} <= exports_by(engine, "leader")


def test_tiles_compare_the_year_with_the_previous_one(small, leader) -> None:
    app, _ = small
    body = _summary(leader, app)
    assert body["cr-year"]["value"] == 2025
    assert [o["value"] for o in body["cr-year"]["options"]] == [2025, 2024, 2023]
    signature = body["cr-signature"]["data"]["tiles"]["texts"]
    # 2025: school 1 has 5 grades × 2 classes × 40 pupils, the others 30 per class:
    # 400 + 240 (lower sec.) + 180 (upper sec.) + 60 (preschool) + 300 (school 6) = 1,180.
    assert signature["pupils.total"]["value"] == "1.180"
    # Primary: school 1 (40 per class) and school 6 (30) → 35.0, at the norm, not above it.
    assert signature["class_size.primary"]["value"] == "35,0"
    assert signature["class_size.primary"]["over"] == ""
    assert signature["class_size.primary"]["norm"] == "định mức 35"
    assert signature["facilities.classroom_shortfall"]["value"] == "1"
    assert [signature[f"plan.{s}"]["value"] for s in ("done", "on_track", "late")] == ["1"] * 3
    assert signature["dx.level3"]["value"] == "20,0 %"
    assert "Năm học 2025–2026 so với năm học 2024–2025" in json.dumps(
        body["cr-subtitle"], ensure_ascii=False
    )


def test_every_alert_rule_fires_with_its_reason_and_link(small, leader) -> None:
    app, _ = small
    text = json.dumps(_summary(leader, app)["cr-alerts"], ensure_ascii=False)
    assert "Sĩ số vượt định mức" in text and "/ward/26734?year=2025" in text  # school 1, W1
    assert "Sĩ số tiểu học bình quân 40,0 học sinh/lớp, vượt định mức 35." in text
    assert "Thiếu giáo viên" in text and "/ward/26740?year=2025" in text  # school 3, W2
    assert "Nhiệm vụ quá hạn" in text and "1.1 — Phòng máy đạt chuẩn" in text
    assert "1.4 — Xây dựng IOC" not in text  # reported done
    assert "Chưa nộp báo cáo quý" in text and "nộp trễ 4 ngày" in text
    assert "Đơn vị chưa báo cáo" in text and "/domains/staff?year=2025" in text
    assert "Dữ liệu quá hạn cập nhật" in text and "Chưa từng được nạp dữ liệu." in text


def test_every_alert_exports_with_its_reason_and_link(small, leader) -> None:
    """The page shows the worst alerts of each rule; the export has all of them."""
    app, engine = small
    sent = call(
        leader,
        app,
        "cr-alerts-download",
        {"cr-alerts-xlsx.n_clicks": 1, "cr-year.value": 2025},
        "cr-alerts-xlsx.n_clicks",
    ).get_json()["response"]["cr-alerts-download"]["data"]
    assert sent["filename"] == "alerts_2025.xlsx"
    frame = pd.read_excel(io.BytesIO(base64.b64decode(sent["content"])))
    assert list(frame.columns) == [
        "school_year",
        "rule",
        "alert",
        "severity",
        "subject",
        "why",
        "link",
    ]
    shown = json.dumps(_summary(leader, app)["cr-alerts"], ensure_ascii=False)
    for row in frame.itertuples():  # each exported alert is worded as a page would word it
        assert row.alert in shown
    staff = frame[(frame["rule"] == "not_reported") & (frame["link"] == "/domains/staff?year=2025")]
    assert len(staff) == 1 and staff["subject"].iloc[0] in shown
    assert "Sĩ số tiểu học bình quân 40,0 học sinh/lớp, vượt định mức 35." in set(frame["why"])
    assert "alerts_2025.xlsx" in exports_by(engine, "leader")


def test_freshness_names_last_load_coverage_and_source(small, leader) -> None:
    app, _ = small
    text = json.dumps(_summary(leader, app)["cr-freshness"], ensure_ascii=False)
    assert "System 3" in text and "Chưa nạp" in text and "Quá hạn" in text
    assert "80,0 %" in text  # staff: 4 of the 5 schools reported in 2025


def test_english_words_the_same_figures(small, leader) -> None:
    app, _ = small
    leader.set_cookie("ioc_lang", "en")
    body = _summary(leader, app)
    text = json.dumps(body, ensure_ascii=False)
    assert "Average primary class of 40.0 pupils, above the norm of 35." in text
    assert body["cr-signature"]["data"]["tiles"]["texts"]["pupils.total"]["value"] == "1,180"


def test_map_classes_legend_and_ranking_by_ward(small, leader) -> None:
    app, _ = small
    response = call(
        leader,
        app,
        "cr-units-layer",
        {
            "cr-year.value": 2025,
            "cr-kpi.value": "class_size",
            "cr-method.value": "equal_interval",
            "cr-classes.value": 3,
            "cr-geo.value": "ward",
        },
    )
    body = response.get_json()["response"]
    hideout = body["cr-units-layer"]["hideout"]
    # W1: (40×10 + 30×8)/18 = 35.6; W2: 30; W3: 30 (the centre has no classes); W4 no data.
    assert hideout["classes"] == {"W1": 2, "W2": 0, "W3": 0}
    assert hideout["labels"]["W1"] == "Phường Sài Gòn: 35,6"
    assert body["cr-units-layer"]["url"] == "/control-room/units/ward.geojson"
    ranking = json.dumps(body["cr-ranking"], ensure_ascii=False)
    assert ranking.index("Phường Sài Gòn") < ranking.index("Phường Xuân Hòa")
    assert "/ward/26734?year=2025" in ranking
    assert "30,0 – 31,9" in json.dumps(body["cr-legend"], ensure_ascii=False)
    again = call(
        leader,
        app,
        "cr-units-layer",
        {
            "cr-year.value": 2025,
            "cr-kpi.value": "class_size",
            "cr-method.value": "equal_interval",
            "cr-classes.value": 3,
            "cr-geo.value": "ward",
            "cr-units-layer.hideout": hideout,
        },
    )
    assert again.get_json()["response"] == {}  # nothing changed: the map is left alone


def test_map_of_an_old_year_in_2025_wards_marks_split_wards_as_estimates(small, leader) -> None:
    app, _ = small
    body = call(
        leader,
        app,
        "cr-units-layer",
        {
            "cr-year.value": 2024,
            "cr-kpi.value": "pupils",
            "cr-method.value": "quantile",
            "cr-classes.value": 3,
            "cr-geo.value": "ward",
        },
    ).get_json()["response"]
    hideout = body["cr-units-layer"]["hideout"]
    # Old ward 3 was split between W2 and W3 (60/40 officially), but both its schools
    # (180 + 300 pupils) lie in W2: the measured weights send all of it there. Still a
    # split ward, so an estimate; W3 (old ward 4 whole, nothing from ward 3) is exact.
    assert hideout["estimates"] == ["W2"]
    assert hideout["labels"]["W2"] == "Phường Xuân Hòa: 480 (ước tính)"
    assert hideout["labels"]["W3"] == "Phường Nhiêu Lộc: 60"


def test_map_by_old_district(small, leader) -> None:
    app, _ = small
    body = call(
        leader,
        app,
        "cr-units-layer",
        {
            "cr-year.value": 2025,
            "cr-kpi.value": "pupils",
            "cr-method.value": "natural_breaks",
            "cr-classes.value": 3,
            "cr-geo.value": "old_district",
        },
    ).get_json()["response"]
    labels = body["cr-units-layer"]["hideout"]["labels"]
    assert labels == {"OD760": "Quận 1: 640", "OD770": "Quận 3: 540"}
    assert body["cr-units-layer"]["url"] == "/control-room/units/old_district.geojson"
    assert "/ward/" not in json.dumps(body["cr-ranking"])


def test_a_refresh_patches_only_the_tiles_that_changed(tmp_path) -> None:
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config

    url = f"sqlite:///{tmp_path / 'small.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    build_small(engine)
    add_users(engine)
    app = create_app(test_config(url))
    client = app.server.test_client()
    sign_in(client, "leader")
    first = _summary(client, app)
    signature = first["cr-signature"]["data"]
    quiet = _summary(client, app, previous=signature, year=2025)
    assert "cr-tiles" not in quiet and "cr-alerts" not in quiet and "cr-freshness" not in quiet
    with engine.begin() as connection:  # a new load: 100 more primary pupils at school 1
        connection.execute(
            update(FactEnrolment)
            .where(
                FactEnrolment.institution_id == 1,
                FactEnrolment.school_year == 2025,
                FactEnrolment.grade == 1,
            )
            .values(pupils=FactEnrolment.pupils + 100)
        )
        connection.execute(
            insert(IngestionBatch).values(
                dataset="enrolment",
                domain_id=1,
                source_system="test",
                started_at=datetime.now(),
                finished_at=datetime.now(),
                status="done",
                rows_in=1,
                rows_loaded=1,
            )
        )
    patched = _summary(client, app, previous=signature, year=2025)
    patch = patched["cr-tiles"]["children"]
    assert patch["__dash_patch_update"] == "__dash_patch_update"
    changed = {op["params"]["value"]["props"]["data-key"] for op in patch["operations"]}
    assert changed == {
        "pupils.primary",
        "pupils.total",
        "teachers.pupil_ratio",
        "class_size.primary",
    }


def test_kiosk_mode_from_the_url(small, leader) -> None:
    app, _ = small
    response = call(
        leader, app, "page-content", {"url.pathname": "/", "url.search": "?kiosk=1&rotate=12"}
    )
    text = json.dumps(response.get_json()["response"])
    assert '"data-kiosk": "1"' in text and "kiosk theme-dark" in text
    assert '"interval": 12000' in text and '"disabled": false' in text
    normal = json.dumps(call(leader, app, "page-content", {"url.pathname": "/"}).get_json())
    assert '"data-kiosk": "0"' in normal


def test_map_layers_are_served_gzipped_to_signed_in_users(small, leader) -> None:
    app, _ = small
    response = leader.get("/control-room/units/ward.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    layer = json.loads(gzip.decompress(response.data))
    assert {f["id"] for f in layer["features"]} == {"W1", "W2", "W3", "W4"}
    schools = json.loads(leader.get("/control-room/schools.geojson?ward_code=26743").data)
    assert {f["properties"]["name"] for f in schools["features"]} == {
        "Trường Mầm non Hoa Sen <b>",
        "Trung tâm Ngoại ngữ ABC",
    }
    assert leader.get("/control-room/units/province.geojson").status_code == 404
    assert app.server.test_client().get("/control-room/units/ward.geojson").status_code == 401


def test_each_group_of_tiles_says_how_many_units_reported(small, leader) -> None:
    """Small warehouse, 2025: every school reported pupils; school 6 sent no staff report,
    so teachers are summed over 4 of the 5 schools expected to report."""
    app, _ = small
    body = call(leader, app, "cr-tiles", {"cr-year.value": 2025}).get_json()["response"]
    titles = {
        section["props"]["className"].split()[-1]: json.dumps(
            section["props"]["children"][0], ensure_ascii=False
        )
        for section in body["cr-tiles"]["children"]
    }
    assert "100,0 % đơn vị đã báo cáo" in titles["cr-group-pupils"]
    assert "80,0 % đơn vị đã báo cáo" in titles["cr-group-teachers"]
    assert "cr-group-gap" in titles["cr-group-teachers"]  # below 95 %: flagged
    assert "đã báo cáo" not in titles["cr-group-institutions"]  # the registry, not a report
    # the teachers' sum estimates school 6 from its own 2024 report, and says so
    assert "1 trường ước tính" in titles["cr-group-teachers"]
    assert "ước tính" not in titles["cr-group-pupils"]
