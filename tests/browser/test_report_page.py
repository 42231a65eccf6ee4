"""In a real browser (issue 10): a division fills and submits its quarterly report; a school
does the same on a 390-px phone; a leader returns one report, and the unit sees it returned."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.report_warehouse import report_warehouse
from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reports(tmp_path_factory, seeded_sqlite_url):
    return report_warehouse(tmp_path_factory.mktemp("reportb"), seeded_sqlite_url)


def fill_first_task(page, status: str, progress: int, done: str) -> None:
    task = page.locator(".rep-task").first
    task.get_by_label(status, exact=True).check()
    task.locator("input[type=number]").fill(str(progress))
    task.locator("textarea").first.fill(done)


def test_a_division_fills_and_submits_its_report(reports, serve, page) -> None:
    app, _, _ = reports
    server = serve(app)
    sign_in_browser(page, server.url, "dept.khtc", PASSWORD)
    page.goto(f"{server.url}/report")
    page.wait_for_selector(".rep-task")
    expect(page.locator("#rep-deadline")).to_contain_text("Hạn nộp", use_inner_text=True)
    fill_first_task(page, "Đang thực hiện", 45, "Đã rà soát phòng máy của 120 trường")
    page.click("#rep-submit")
    expect(page.locator("#rep-message")).to_contain_text("Đã nộp báo cáo", use_inner_text=True)
    expect(page.locator("#rep-state")).to_contain_text("Đã nộp", use_inner_text=True)
    task = page.locator(".rep-task").first
    expect(task.locator("textarea").first).to_have_value("Đã rà soát phòng máy của 120 trường")
    expect(page.locator("#rep-history")).to_contain_text("Nộp", use_inner_text=True)
    assert page.errors == []


def test_a_school_reports_from_a_phone(reports, serve, browser) -> None:
    app, _, _ = reports
    server = serve(app)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_browser(page, server.url, "school.a", PASSWORD)
    page.goto(f"{server.url}/report")
    page.wait_for_selector(".rep-task")
    fill_first_task(page, "Đã hoàn thành", 100, "Đã triển khai sổ điểm điện tử")
    page.click("#rep-submit")
    expect(page.locator("#rep-message")).to_contain_text("Đã nộp báo cáo", use_inner_text=True)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the report page scrolls sideways on a phone ({wide} px)"
    assert errors == []
    context.close()


def test_a_leader_returns_a_report_and_the_unit_sees_it(reports, serve, browser) -> None:
    app, _, _ = reports
    server = serve(app)
    unit = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in_browser(unit, server.url, "dept.gdtrh", PASSWORD)
    unit.goto(f"{server.url}/report")
    unit.wait_for_selector(".rep-task")
    fill_first_task(unit, "Đang thực hiện", 30, "Đã tập huấn giáo viên")
    unit.click("#rep-submit")
    expect(unit.locator("#rep-state")).to_contain_text("Đã nộp", use_inner_text=True)
    quarter = unit.locator("#rep-quarter").inner_text().strip()

    leader = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in_browser(leader, server.url, "leader", PASSWORD)
    leader.goto(f"{server.url}/report?quarter={quarter}&unit=GDTrH")
    leader.wait_for_selector("#rep-return-box", state="visible")
    expect(leader.locator("#rep-form")).to_contain_text("chỉ xem", use_inner_text=True)
    leader.fill("#rep-return-comment", "Bổ sung số trường đã tập huấn")
    leader.click("#rep-return")
    expect(leader.locator("#rep-message")).to_contain_text("Đã trả lại", use_inner_text=True)

    unit.reload()
    unit.wait_for_selector(".rep-task")
    expect(unit.locator("#rep-state")).to_contain_text("Bị trả lại", use_inner_text=True)
    expect(unit.locator("#rep-state")).to_contain_text(
        "Bổ sung số trường đã tập huấn", use_inner_text=True
    )
