"""In a real browser: the control room in both themes, the wall screen rotating without a
reload, a ward click drilling down to the ward and a school, and an export downloading."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.control_room_data import small_app as small_app_of
from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    """An application on the small hand-made warehouse, shared by this module."""
    return small_app_of(tmp_path_factory.mktemp("crb"))[0]


def test_control_room_renders_without_errors_in_both_themes(small_app, serve, page) -> None:
    server = serve(small_app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.wait_for_selector(".cr-tile")
    page.wait_for_selector(
        "#cr-units-layer path.leaflet-interactive, #cr-map path.leaflet-interactive"
    )
    assert page.locator(".cr-alert-group").count() >= 5
    expect(page.locator("#cr-ranking")).to_contain_text("Phường Sài Gòn", use_inner_text=True)
    assert "year=2025" in page.url  # the view is in the URL
    page.click("#theme-link")
    page.wait_for_selector("#shell.theme-dark")
    page.wait_for_selector(".cr-tile")
    page.wait_for_selector("#cr-map path.leaflet-interactive")
    assert page.locator(".cr-legend-box li").count() >= 2
    assert page.errors == []


def test_wall_screen_rotates_views_without_reloading(small_app, serve, page) -> None:
    server = serve(small_app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.goto(f"{server.url}/?kiosk=1&rotate=3")
    page.wait_for_selector("#cr-views.view-0")
    page.wait_for_selector(".cr-tile")
    page.evaluate("window.__sameDocument = true")
    assert not page.locator(".app-header").is_visible()  # the wall shows no chrome
    assert page.locator("#cr-root.kiosk.theme-dark").count() == 1
    page.wait_for_selector("#cr-views.view-1", timeout=8000)
    page.wait_for_selector("#cr-views.view-2", timeout=8000)
    assert page.evaluate("window.__sameDocument") is True
    page.wait_for_function(  # the alerts view fades in; the others are hidden
        "getComputedStyle(document.querySelector('.cr-view-alerts')).opacity === '1'"
    )
    assert page.locator(".cr-view-kpis").evaluate("e => getComputedStyle(e).opacity") == "0"
    assert page.errors == []


def test_a_ward_click_drills_down_to_the_ward_and_a_school(small_app, serve, page) -> None:
    server = serve(small_app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.wait_for_selector("#cr-map path.leaflet-interactive")
    page.wait_for_selector(".cr-tile")
    wards = page.locator("#cr-map path.leaflet-interactive")
    wards.first.hover(force=True)
    page.wait_for_function("document.getElementById('cr-hover').innerText.includes('Phường')")
    wards.first.click(force=True)
    page.wait_for_url("**/ward/*")
    page.wait_for_selector(".ward-page h1")
    assert page.locator(".ward-page h1").inner_text().startswith(("Phường", "Đặc khu"))
    page.goto(f"{server.url}/ward/26734?year=2025")
    page.wait_for_selector("text=Trường Tiểu học An Khánh")
    # a screen reader names each filter box after its column
    page.wait_for_function(
        "[...document.querySelectorAll('.dash-filter input')].every("
        "i => (i.getAttribute('aria-label') || '').startsWith('Lọc cột '))"
    )
    labels = page.eval_on_selector_all(
        ".dash-filter input", "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert "Lọc cột Tên" in labels and "Lọc cột Học sinh" in labels
    # the keyboard sorts a table: Tab reaches the sort button, Enter presses it
    names = page.locator(".dash-cell[data-dash-column='name']")
    before = names.all_inner_texts()
    sort = page.get_by_role("button", name="Sắp xếp theo Tên").first
    sort.focus()
    page.keyboard.press("Enter")
    expect(names).not_to_have_text(before)
    assert names.all_inner_texts() == sorted(before)
    # a link in a table looks like every other link (DataTable would paint it hot pink)
    colour = "e => getComputedStyle(e).color"
    link = page.locator(".dash-cell a", has_text="Trường Tiểu học An Khánh")
    assert link.evaluate(colour) == page.locator("footer a").first.evaluate(colour)
    # another school year from the ward page itself; the address follows
    page.click("#ward-year")
    page.get_by_role("option", name="2023–2024", exact=True).click()
    page.wait_for_url("**/ward/26734?year=2023")
    expect(page.locator("#ward-kpis")).to_contain_text("2023–2024", use_inner_text=True)
    page.click("text=Trường Tiểu học An Khánh")
    page.wait_for_url("**/school/1")
    page.wait_for_selector(".school-facts")
    assert "Trường Tiểu học An Khánh" in page.locator("h1").inner_text()
    assert page.errors == []


def test_domain_export_downloads_a_file(small_app, serve, page) -> None:
    server = serve(small_app)
    sign_in_browser(page, server.url, "dept.khtc", PASSWORD)
    page.goto(f"{server.url}/domains/facilities")
    page.wait_for_selector(".ioc-grid td.dash-cell")
    with page.expect_download() as download_info:
        page.click("#dom-export-csv")
    download = download_info.value
    assert download.suggested_filename == "facilities_2025_ward.csv"
    with open(download.path(), "rb") as file:
        saved = file.read()
    assert saved.startswith(b"\xef\xbb\xbf")  # the UTF-8 mark Excel needs for diacritics
    assert saved.decode("utf-8-sig").startswith("unit,area,classrooms")
    assert page.errors == []
    assert page.goto(f"{server.url}/domains/students").status == 403  # not its domain


def test_a_phone_is_told_to_tap_and_a_mouse_to_hover(small_app, serve, page, browser) -> None:
    server = serve(small_app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.wait_for_selector("#cr-hover", state="visible")
    assert not page.is_visible(".tap-hint")
    phone = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    tab = phone.new_page()
    sign_in_browser(tab, server.url, "leader", PASSWORD)
    tab.wait_for_selector(".cr-view-map .tap-hint", state="visible")
    assert "Chạm" in tab.inner_text(".cr-view-map .tap-hint")
    assert not tab.is_visible("#cr-hover")
    phone.close()


def test_a_link_to_an_earlier_year_opens_that_year(small_app, serve, page) -> None:
    """Dash 4's Dropdown drops a value missing from its options: the linked year must
    survive until the options arrive, on the control room and on a ward page."""
    server = serve(small_app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.goto(f"{server.url}/?year=2024")
    expect(page.locator("#cr-subtitle")).to_contain_text("2024–2025", use_inner_text=True)
    expect(page.locator("#cr-year")).to_contain_text("2024–2025", use_inner_text=True)
    assert "year=2024" in page.url
    page.goto(f"{server.url}/ward/26734?year=2023")
    expect(page.locator("#ward-kpis")).to_contain_text("2023–2024", use_inner_text=True)
    page.wait_for_timeout(500)  # nothing moves it back to the latest year
    assert "year=2023" in page.url
    expect(page.locator("#ward-kpis")).to_contain_text("2023–2024", use_inner_text=True)
