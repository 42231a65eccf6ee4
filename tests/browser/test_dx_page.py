"""In a real browser: a leader opens /dx, the charts and tables appear, another school year
is chosen and the URL follows, with no console error."""

from __future__ import annotations

import pytest

from data_access import migrate
from data_access.db import make_engine
from tests.app.control_room_data import build_small
from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD, add_users

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    """An application on the small hand-made warehouse (DX assessments 2023–2025)."""
    from ioc_app import create_app
    from ioc_app.config import test_config

    url = f"sqlite:///{tmp_path_factory.mktemp('dxb') / 'small.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    build_small(engine)
    add_users(engine)
    return create_app(test_config(url))


def test_leader_opens_dx_and_changes_the_school_year(small_app, serve, page) -> None:
    server = serve(small_app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.goto(f"{server.url}/dx")
    page.wait_for_selector("#dx-levels .main-svg .bars path")
    page.wait_for_selector("#dx-schools a[href='/school/1']")
    assert "Phường Sài Gòn" in page.locator("#dx-ranking").inner_text()
    assert page.locator(".badge-generated").count() >= 1  # generated data says so
    page.wait_for_url("**/dx?year=2025*")
    page.click("#dx-year")
    page.get_by_role("option", name="2024–2025").click()
    page.wait_for_url("**/dx?year=2024*")
    page.wait_for_function(
        "document.querySelector('#dx-schools').innerText.includes('Mức 2')"
        " && !document.querySelector('#dx-schools').innerText.includes('Mức 3')")
    page.get_by_role("link", name="Trường Tiểu học An Khánh").first.click()
    page.wait_for_url("**/school/1")
    page.wait_for_selector(".school-facts")
    assert page.errors == []
