"""/ward/<code> and /school/<id> over HTTP on the small warehouse: a ward's institutions of
the chosen year (schools first), an institution's profile (licence, years, figures) and the
audited exports."""

from __future__ import annotations

import base64
import io
import json
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select, update

from data_access.db import transaction
from data_access.models import AuditLog, Institution
from tests.app.control_room_data import small_app
from tests.helpers import call, client_as, find_type, sign_in


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine) on the small warehouse, shared by this module's read-only tests."""
    return small_app(tmp_path_factory.mktemp("wardschool"))


def test_ward_page_shows_its_schools_kpis_and_origins(small) -> None:
    app, _ = small
    client = app.server.test_client()
    sign_in(client, "planner")
    body = call(
        client, app, "ward-header", {"ward-code.data": "26743", "ward-year.value": "2025"}
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
            client, app, "ward-header", {"ward-code.data": code, "ward-year.value": "2025"}
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
            client, app, "ward-header", {"ward-code.data": "26743", "ward-year.value": year}
        ).get_json()["response"]
        return json.dumps(find_type(body["ward-schools"], "DataTable")["data"], ensure_ascii=False)

    body = call(client, app, "ward-header", {"ward-code.data": "26743"}).get_json()["response"]
    assert [o["value"] for o in body["ward-year"]["options"]] == [2025, 2024, 2023]
    assert body["ward-year"]["value"] == 2025  # no year asked: the latest
    assert "Trung tâm Ngoại ngữ ABC" in names("2024")
    assert "Trung tâm Ngoại ngữ ABC" not in names("2025")
    assert "Hoa Sen" in names("2025")


def test_ward_page_says_how_many_late_reports_it_estimated(small) -> None:
    """W2, 2025: school 6 sent no staff report; its teachers are estimated from its own
    history, the KPIs say so and the trend marks that year; W1 estimated none."""
    app, _ = small
    client = client_as(app, "leader")

    def show(code: str) -> dict:
        inputs = {"ward-code.data": code, "ward-year.value": "2025"}
        return call(client, app, "ward-header", inputs).get_json()["response"]

    body = show("26740")
    kpis = json.dumps(body["ward-kpis"], ensure_ascii=False)
    assert "1 trường chưa báo cáo năm học này được ước tính" in kpis
    symbols = body["ward-trends"]["figure"]["data"][0]["marker"]["symbol"]
    assert symbols == ["circle-open", "circle-open", "diamond"]
    assert "ước tính từ số liệu" not in json.dumps(show("26734")["ward-kpis"], ensure_ascii=False)
    # the count spans three domains: a division that reads one of them is not told it
    facilities = client_as(app, "dept.khtc")
    inputs = {"ward-code.data": "26740", "ward-year.value": "2025"}
    body = call(facilities, app, "ward-header", inputs).get_json()["response"]
    assert "ước tính từ số liệu" not in json.dumps(body["ward-kpis"], ensure_ascii=False)
