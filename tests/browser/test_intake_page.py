"""In a real browser (issue 11): a facilities officer uploads a file with an error, reads the
report, uploads the fixed file, commits it and sees the new figure on the domain page; an
admin then undoes the batch."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.control_room_data import small_app
from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

HEADER = (
    "school_year,institution_code,classrooms,classrooms_solid,functional_rooms,"
    "computer_rooms,computers,smart_classrooms,site_area_m2,internet_mbps\n"
)
FIXED = HEADER + "2025,T1,37,30,6,2,4321,5,9000,300\n"
BROKEN = HEADER + "2025,T1,37,40,6,2,4321,5,9000,300\n"  # more solid classrooms than rooms


def _upload(page, text: str) -> None:
    page.locator("#intake-upload input[type=file]").set_input_files(
        {"name": "csvc_2025.csv", "mimeType": "text/csv", "buffer": text.encode()}
    )


def test_an_officer_loads_a_facilities_file_and_an_admin_undoes_it(
    tmp_path, serve, page, browser
) -> None:
    app, _ = small_app(tmp_path)
    server = serve(app)
    sign_in_browser(page, server.url, "dept.khtc", PASSWORD)
    page.goto(f"{server.url}/intake")
    expect(page.locator("#intake-dataset")).to_contain_text("facilities", use_inner_text=True)
    _upload(page, BROKEN)
    report = page.locator("#intake-report")
    expect(report).to_contain_text("1 lỗi", use_inner_text=True, timeout=30_000)
    expect(report).to_contain_text("classrooms_solid", use_inner_text=True)
    expect(page.locator("#intake-commit")).to_be_disabled()
    _upload(page, FIXED)
    expect(report).to_contain_text("hợp lệ", use_inner_text=True, timeout=30_000)
    expect(page.locator("#intake-commit")).to_be_enabled()
    page.click("#intake-commit")
    result = page.locator("#intake-result")
    expect(result).to_contain_text("1 dòng cập nhật", use_inner_text=True)
    expect(page.locator("#intake-batches")).to_contain_text("csvc_2025.csv", use_inner_text=True)
    page.get_by_role("link", name="Xem trang lĩnh vực").click()
    expect(page.locator("#dom-table")).to_contain_text("4.3", use_inner_text=True, timeout=30_000)
    assert page.errors == []

    admin = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in_browser(admin, server.url, "admin", PASSWORD)
    admin.goto(f"{server.url}/intake?dataset=facilities")
    batches = admin.locator("#intake-batches")
    expect(batches).to_contain_text("csvc_2025.csv", use_inner_text=True)
    batches.get_by_role("button", name="Hoàn tác").click()
    expect(admin.locator("#intake-undo-message")).to_contain_text(
        "Đã hoàn tác", use_inner_text=True
    )
    expect(batches).to_contain_text("Đã hoàn tác", use_inner_text=True)
