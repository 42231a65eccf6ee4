"""In a real browser: a leader opens /plan, the task table fills, a filter changes the view
and the URL, and nothing is written to the console."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.app.control_room_data import small_app as small_app_of
from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    """An application on the small hand-made warehouse, shared by this module."""
    return small_app_of(tmp_path_factory.mktemp("planb"))[0]


def test_a_leader_filters_the_plan_and_the_url_follows(small_app, serve, page) -> None:
    server = serve(small_app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.goto(f"{server.url}/plan")
    page.wait_for_selector("#plan-table td.dash-cell")
    rows = page.locator("#plan-table tr:has(td.dash-cell)")
    assert rows.count() == 3
    # The loading wrapper hides new content until it settles: assert on what is shown.
    expect(page.locator("#plan-table")).to_contain_text("Phòng máy đạt chuẩn", use_inner_text=True)
    assert page.locator(".plan-tile").count() == 4
    page.wait_for_selector("#plan-chart .main-svg")
    page.click("#plan-status")
    page.get_by_role("option", name="Trễ hạn", exact=True).click()
    page.wait_for_url("**/plan?*status=late*")
    page.wait_for_function(
        "document.querySelectorAll('#plan-table tr td.dash-cell[data-dash-column=\"code\"]')"
        ".length === 1"
    )
    state = page.locator("#plan-table td.dash-cell[data-dash-column='state']")
    expect(state).to_have_text(["Trễ hạn"], use_inner_text=True)
    expect(state).to_be_visible()
    query = parse_qs(urlsplit(page.url).query)
    assert query["status"] == ["late"] and query["unit"] == ["all"]
    page.goto(page.url)  # the link reproduces the view
    page.wait_for_selector("#plan-table td.dash-cell")
    assert page.locator("#plan-table td.dash-cell[data-dash-column='code']").count() == 1
    assert page.errors == []
