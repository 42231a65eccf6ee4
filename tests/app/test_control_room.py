"""The control room over HTTP on a small hand-made warehouse: who may open it, what its
callbacks compute, how a refresh patches only what changed, ward and school drill-downs."""

from __future__ import annotations

import base64
import gzip
import io
import json
from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import func, insert, select, update

from data_access import migrate
from data_access.db import make_engine, transaction
from data_access.models import AuditLog, FactEnrolment, IngestionBatch, Institution
from tests.app.control_room_data import build_small, small_app
from tests.helpers import add_users, call, client_as, find_type, sign_in


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine) on the small warehouse, shared by this module's read-only tests."""
    from ioc_app import create_app
    from ioc_app.config import test_config

    url = f"sqlite:///{tmp_path_factory.mktemp('cr') / 'small.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    build_small(engine)
    add_users(engine)
    return create_app(test_config(url)), engine


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
    with engine.connect() as connection:
        targets = (
            connection.execute(
                select(AuditLog.target).where(
                    AuditLog.action == "export", AuditLog.username == "leader"
                )
            )
            .scalars()
            .all()
        )
    assert {"pupils_ward_2025.csv", "pupils_old_district_2025.xlsx"} <= set(targets)


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
    from ioc_app import create_app
    from ioc_app.config import test_config

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


def test_ward_page_shows_its_schools_kpis_and_origins(small) -> None:
    app, _ = small
    client = app.server.test_client()
    sign_in(client, "planner")
    body = call(
        client, app, "ward-header", {"ward-code.data": "26743", "ward-year.data": "2025"}
    ).get_json()["response"]
    text = json.dumps(body, ensure_ascii=False)
    assert "Phường Nhiêu Lộc" in text
    assert "Phường Võ Thị Sáu (một phần); Phường 9" in text
    grid = find_type(body["ward-schools"], "DataTable")
    names = [row["name"] for row in grid["data"]]
    # a name full of markup stays text: markdown-escaped, and the table renders no HTML
    assert r"[Trường Mầm non Hoa Sen \<b\>](/school/4)" in names
    assert grid["markdown_options"]["html"] is False
    assert body["ward-unit-layer"]["data"]["features"][0]["id"] == "W3"
    unknown = call(client, app, "ward-header", {"ward-code.data": "99999"}).get_json()
    assert "Không có phường, xã mã 99999." in json.dumps(unknown, ensure_ascii=False)


def test_ward_page_lists_schools_by_kind_and_level_before_centres(small) -> None:
    app, _ = small
    client = app.server.test_client()
    sign_in(client, "planner")
    for code, expected in (
        ("26740", ["Trường Tiểu học Nguyễn Du", "Trường THPT Lê Quý Đôn"]),  # ids 6, 3
        ("26743", ["Trường Mầm non Hoa Sen", "Trung tâm Ngoại ngữ ABC"]),  # school, centre
    ):
        body = call(
            client, app, "ward-header", {"ward-code.data": code, "ward-year.data": "2025"}
        ).get_json()["response"]
        names = [row["name"] for row in find_type(body["ward-schools"], "DataTable")["data"]]
        assert [next(n for n in names if e in n) for e in expected] == [
            n for n in names if any(e in n for e in expected)
        ], code


def test_school_page_and_its_audited_export(small) -> None:
    app, engine = small
    client = app.server.test_client()
    sign_in(client, "dept.gdtrh")
    body = call(client, app, "school-header", {"school-id.data": "1"}).get_json()["response"]
    text = json.dumps(body, ensure_ascii=False)
    assert "Trường Tiểu học An Khánh" in text and "2025–2026" in text
    assert "/ward/26734" in text
    with engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(AuditLog)).scalar()
    download = call(
        client, app, "school-download", {"school-export.n_clicks": 1, "school-id.data": "1"}
    ).get_json()
    content = download["response"]["school-download"]["data"]
    assert content["filename"] == "institution_1_figures.csv"
    assert "school_year,pupils,classes" in content["content"]
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditLog.target, AuditLog.username).where(AuditLog.action == "export")
        ).all()
        after = connection.execute(select(func.count()).select_from(AuditLog)).scalar()
    assert ("institution_1_figures.csv", "dept.gdtrh") in rows and after == before + 1
    excel = call(
        client,
        app,
        "school-download",
        {"school-export-xlsx.n_clicks": 1, "school-id.data": "1"},
        triggered="school-export-xlsx.n_clicks",
    ).get_json()
    workbook = excel["response"]["school-download"]["data"]
    assert workbook["filename"] == "institution_1_figures.xlsx" and workbook["base64"]
    frame = pd.read_excel(io.BytesIO(base64.b64decode(workbook["content"])))
    assert list(frame.columns[:3]) == ["school_year", "pupils", "classes"]
    ward = call(
        client,
        app,
        "ward-download",
        {"ward-export-xlsx.n_clicks": 1, "ward-code.data": "26743"},
        triggered="ward-export-xlsx.n_clicks",
    ).get_json()
    assert ward["response"]["ward-download"]["data"]["filename"].endswith(".xlsx")


def test_sql_coverage_agrees_with_the_pure_definition(small) -> None:
    from analytics.kpis import active_institutions
    from analytics.quality import reporting_coverage
    from data_access.queries import facts, registry

    _, engine = small
    pure = reporting_coverage(
        facts.reporters(engine, [2024, 2025]),
        active_institutions(registry.institution_keys(engine), 2025)["id"],
        2025,
    )
    sql = facts.coverage(engine, 2025)
    merged = sql.merge(pure, on="domain_id", suffixes=("", "_pure"))
    assert len(merged) == 7
    assert (merged["expected"] == merged["expected_pure"]).all()
    assert (merged["reported"] == merged["reported_pure"]).all()
    assert merged.set_index("domain_id").loc[2, ["expected", "reported"]].tolist() == [5, 4]


def _add_another_province(engine) -> None:
    """A school of Hà Nội with facts in 2025: the city's pages must not count it."""
    from data_access.db import transaction
    from data_access.models import AdminUnit, FactEnrolment, Institution

    with transaction(engine) as session:
        session.add(AdminUnit(id="P01", code="01", kind="province", name="Hà Nội", source="test"))
        session.flush()
        session.add(
            Institution(
                id=99,
                code="HN1",
                name="Trường Tiểu học Hà Nội",
                kind="school",
                level="primary",
                ownership="public",
                ward_id="P01",
                lon=105.85,
                lat=21.03,
                source="test",
            )
        )
        session.flush()
        session.add(
            FactEnrolment(
                school_year=2025,
                institution_id=99,
                unit_id="P01",
                grade=1,
                pupils=1000,
                girls=500,
                classes=20,
            )
        )


def test_queries_give_the_same_answers_on_sqlite_and_postgresql(migrated_engine) -> None:
    from data_access.queries import facts, plan, registry

    build_small(migrated_engine)
    bind = migrated_engine
    _add_another_province(bind)
    assert facts.school_years(bind) == [2023, 2024, 2025]
    enrolment = facts.enrolment(bind, [2025])
    assert enrolment.groupby("level")["pupils"].sum().to_dict() == {
        "lower_secondary": 240,
        "preschool": 60,
        "primary": 700,
        "upper_secondary": 180,
    }
    assert facts.dx_levels(bind, [2024])["unit_id"].str.startswith("OW").all()
    frame = facts.domain_frame(bind, 4)
    assert frame["graduation_pass_rate__num"].sum() == pytest.approx(0.98 * 60 * 3)
    assert facts.domain_frame(bind, 3)["internet_mbps__den"].sum() == 15  # 5 schools × 3 years
    assert facts.coverage(bind, 2025).set_index("domain_id")["reported"].to_dict() == {
        1: 5,
        2: 4,
        3: 5,
        4: 1,
        5: 1,
        6: 5,
        7: 5,
    }
    assert len(facts.reporters(bind, [2025], domain_ids=[5])) == 1
    values = facts.institution_values(bind, 1, 2025).set_index("institution_id")
    assert values.loc[1, "pupils__num"] == 400
    tasks = plan.task_status(bind).set_index("code")
    assert tasks.loc["1.1", "percent"] == 60 and tasks.loc["1.4", "status"] == "done"
    assert plan.quarterly_reports(bind)["submitted_at"].isna().sum() == 1
    shapes = registry.unit_features(bind, "ward", unit_ids=["W2"])
    assert shapes["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    points = registry.school_points(bind, ward_code="26743")["features"]
    assert sorted(f["id"] for f in points) == [4, 5]
    assert registry.domains(bind).set_index("slug").loc["administration", "supervising_units"] == (
        "VPS",
        "TTS",
    )
    assert registry.data_version(bind).startswith("6@")
    assert 99 not in set(registry.institution_keys(bind)["id"])
    assert 99 not in {f["id"] for f in registry.school_points(bind)["features"]}


def test_a_centre_shows_its_licence_and_activity_and_a_school_only_school_figures(
    tmp_path,
) -> None:
    def licensed(engine) -> None:
        with transaction(engine) as session:
            session.execute(
                update(Institution)
                .where(Institution.id == 5)
                .values(
                    licence_no="79-NN-00042",
                    licence_issued=date(2022, 3, 1),
                    licence_valid_until=date(2027, 2, 28),
                    licence_status="expiring",
                    closed_year=2026,
                )
            )

    app, _ = small_app(tmp_path, licensed)
    client = client_as(app, "leader")
    centre = call(client, app, "school-header", {"school-id.data": "5"}).get_json()["response"]
    header = json.dumps(centre["school-header"], ensure_ascii=False)
    assert "Sắp hết hạn · số 79-NN-00042 · 01/03/2022 – 28/02/2027" in header
    assert "⚠ đã ngừng hoạt động từ năm học 2026–2027" in header
    table = json.dumps(centre["school-figures"], ensure_ascii=False)
    assert "Học viên" in table and "305" in table and "Vi phạm" in table
    assert "Sĩ số / lớp" not in table  # a centre has no classes
    assert [s["name"] for s in centre["school-trends"]["figure"]["data"]] == ["Học viên", "Nhân sự"]
    school = call(client, app, "school-header", {"school-id.data": "1"}).get_json()["response"]
    table = json.dumps(school["school-figures"], ensure_ascii=False)
    assert "Sĩ số / lớp" in table and "Học viên" not in table
    header = json.dumps(school["school-header"], ensure_ascii=False)
    assert "Giấy phép" in header and "từ năm học" in header and "ngừng" not in header


def test_the_ward_lists_the_institutions_open_in_the_chosen_year(tmp_path) -> None:
    def centre_closes_in_2025(engine) -> None:
        with transaction(engine) as session:
            session.execute(update(Institution).where(Institution.id == 5).values(closed_year=2025))

    app, _ = small_app(tmp_path, centre_closes_in_2025)
    client = client_as(app, "leader")

    def names(year: str) -> str:
        body = call(
            client, app, "ward-header", {"ward-code.data": "26743", "ward-year.data": year}
        ).get_json()["response"]
        return json.dumps(find_type(body["ward-schools"], "DataTable")["data"], ensure_ascii=False)

    assert "Trung tâm Ngoại ngữ ABC" in names("2024")
    assert "Trung tâm Ngoại ngữ ABC" not in names("2025")
    assert "Hoa Sen" in names("2025")


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
