"""In a real browser: a leader opens /dx, the charts and tables appear, another school year
is chosen and the URL follows, with no console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from data_access.db import transaction
from data_access.models import DxCriteriaSet
from tests.app.control_room_data import small_app as small_app_of
from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def _long_source(engine) -> None:
    """The real criteria sources are long unbroken words (they once widened the page)."""
    with transaction(engine) as session:
        session.execute(
            update(DxCriteriaSet).values(source="dx_index/criteria_4725_secondary_source.csv")
        )


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    """An application on the small hand-made warehouse (DX assessments 2023–2025)."""
    return small_app_of(tmp_path_factory.mktemp("dxb"), _long_source)[0]


def test_leader_opens_dx_and_changes_the_school_year(small_app, serve, page) -> None:
    server = serve(small_app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.goto(f"{server.url}/dx")
    page.wait_for_selector("#dx-levels .main-svg .bars path")
    page.wait_for_selector("#dx-schools a[href='/school/1']")
    expect(page.locator("#dx-ranking")).to_contain_text("Phường Sài Gòn", use_inner_text=True)
    assert page.locator(".badge-generated").count() >= 1  # generated data says so
    page.wait_for_url("**/dx?year=2025*")
    page.click("#dx-year")
    page.get_by_role("option", name="2024–2025").click()
    page.wait_for_url("**/dx?year=2024*")
    page.wait_for_function(
        "document.querySelector('#dx-schools').innerText.includes('Mức 2')"
        " && !document.querySelector('#dx-schools').innerText.includes('Mức 3')"
    )
    page.get_by_role("link", name="Trường Tiểu học An Khánh").first.click()
    page.wait_for_url("**/school/1")
    page.wait_for_selector(".school-facts")
    assert page.errors == []


def test_department_and_leader_pages_fit_a_phone(small_app, serve, page) -> None:
    """At 375 px the page never scrolls sideways: wide tables scroll inside their box."""
    server = serve(small_app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.set_viewport_size({"width": 375, "height": 740})
    for path, ready in (
        ("/dx", "#dx-schools .dash-cell"),
        ("/plan", "#plan-table .dash-cell"),
        ("/domains/students", ".ioc-grid .dash-cell"),
        ("/ward/26743", ".ioc-grid .dash-cell"),
        ("/", ".cr-alert-group"),
        ("/school/1", ".school-facts"),
        ("/about/data", "#about-sources-table :is(table, .empty-state)"),
    ):
        page.goto(f"{server.url}{path}")
        page.wait_for_selector(ready)
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    assert page.errors == []
