"""In a real browser, on the seeded city: a leader opens /plan for a quarter of the generated
history, sees the themes of the quarter and expands one to the reports behind it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.report_warehouse import report_warehouse
from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser
QUARTER = "2026Q3"


@pytest.fixture(scope="module")
def city_app(tmp_path_factory, seeded_sqlite_url):
    """The application on a writable copy of the seeded city (pages write audit rows)."""
    return report_warehouse(tmp_path_factory.mktemp("themesb"), seeded_sqlite_url)[0]


def test_a_leader_expands_a_theme_of_the_quarter(city_app, serve, page) -> None:
    server = serve(city_app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.goto(f"{server.url}/plan?quarter={QUARTER}")
    page.wait_for_selector("#plan-themes li.plan-theme", timeout=60_000)
    themes = page.locator("#plan-themes li.plan-theme")
    assert themes.count() >= 5
    first = themes.first
    expect(first.locator(".plan-theme-label")).not_to_be_empty()
    expect(first.locator(".plan-trend")).to_contain_text("quý trước")
    assert first.locator("blockquote.plan-theme-quote").count() >= 1
    links = first.locator(".plan-theme-reports a")
    expect(links.first).to_be_hidden()  # collapsed until asked for
    first.locator("summary").click()
    expect(first.locator("details.plan-theme-details")).to_have_attribute("open", "")
    expect(links.first).to_be_visible()
    href = links.first.get_attribute("href")
    assert href.startswith(f"/report?quarter={QUARTER}&unit=")
    # The punctuality cards and the generated label are on the same page.
    expect(page.locator("#plan-reports-note")).to_contain_text("mô phỏng")
    page.wait_for_selector("#plan-wards td.dash-cell")
    assert page.errors == []
