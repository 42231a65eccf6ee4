"""In a real browser on the seeded city: a planner picks a ward and a level, moves a lever,
reads the seat gaps, reopens the link and downloads the forecast table."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ioc_app.core.i18n import LANG_COOKIE
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser
WARD_NAME = "Phường Thủ Dầu Một"
WARD_ID = "W25747"
TIMEOUT = 60_000


def _summary(page) -> str:
    page.wait_for_selector("#fc-summary h3", timeout=TIMEOUT)
    return page.inner_text("#fc-summary")


def _wait_for_title(page, text: str) -> None:
    page.wait_for_selector(f"#fc-chart .gtitle:has-text('{text}')", timeout=TIMEOUT)


def test_planner_forecast_scenario_link_and_export(seeded_app, serve, page, tmp_path) -> None:
    server = serve(seeded_app)
    page.goto(f"{server.url}/login?next=%2Fforecast")
    page.fill("#username", "planner")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    _summary(page)
    _wait_for_title(page, "Toàn thành phố · Tiểu học")
    assert page.locator(".badge-generated").count() == 1

    # pick a ward by typing its name, then a level
    page.click("#fc-area")
    page.fill(".dash-dropdown-search", "Thủ Dầu Một")
    page.get_by_role("option", name=WARD_NAME, exact=True).click()
    _wait_for_title(page, f"{WARD_NAME} · Tiểu học")
    page.get_by_label("THCS").check()
    _wait_for_title(page, f"{WARD_NAME} · THCS")
    before = _summary(page)

    # move the migration lever with the keyboard: +0.5 %/year
    page.focus("#fc-migration [role=slider]")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_selector("#fc-chart .legendtext:has-text('Dự báo gốc')", timeout=TIMEOUT)
    page.wait_for_function(
        "(old) => document.querySelector('#fc-summary').innerText !== old",
        arg=before,
        timeout=TIMEOUT,
    )
    after = _summary(page)

    # the seat-gap list and map
    page.wait_for_selector(".fc-worst-table tbody tr", timeout=TIMEOUT)
    assert page.locator(".fc-worst-table tbody tr").count() == 10
    page.wait_for_selector("#fc-map .leaflet-interactive", timeout=TIMEOUT)
    assert "THCS, năm học 2030–2031" in page.inner_text("#fc-map-title")

    # the URL holds the state, and reopening it reproduces the view
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"area": [WARD_ID], "level": ["lower_secondary"], "mig": ["0.5"]}
    page.goto(page.url)
    _wait_for_title(page, f"{WARD_NAME} · THCS")
    assert _summary(page) == after
    assert page.inner_text("#fc-area") == WARD_NAME
    assert page.locator("#fc-chart .legendtext:has-text('Dự báo gốc')").count() == 1

    # a ward chosen from the list of shortages becomes the area
    first = page.locator(".fc-worst-table tbody tr th button").first
    name = first.inner_text()
    first.click()
    _wait_for_title(page, f"{name} · THCS")

    # the export downloads the forecast table
    with page.expect_download(timeout=TIMEOUT) as download:
        page.click("#fc-export-csv")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("forecast_W") and saved.suffix == ".csv"
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    header = saved.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("area_code,area_name,level,year,period,pupils,forecast")
    assert page.errors == []


#: The thousands separator a reader of each language expects (1.000.000 / 1,000,000).
THOUSANDS = {"vi": ".", "en": ","}


@pytest.mark.parametrize(("lang", "width"), [("vi", 390), ("en", 1920), ("vi", 1920)])
def test_ticks_follow_the_language_and_the_year_box_is_never_blank(
    seeded_app, serve, browser, lang, width
) -> None:
    server = serve(seeded_app)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    context.add_cookies([{"name": LANG_COOKIE, "value": lang, "url": server.url}])
    page.goto(f"{server.url}/login?next=%2Fforecast")
    page.fill("#username", "planner")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    _summary(page)
    page.wait_for_selector("#fc-chart .ytick text", timeout=TIMEOUT)
    ticks = page.locator("#fc-chart .ytick text").all_text_contents()
    big = [tick for tick in ticks if len(tick.replace(".", "").replace(",", "")) > 3]
    assert big, ticks  # the city's pupils run into the hundreds of thousands
    other = THOUSANDS["en" if lang == "vi" else "vi"]
    assert all(THOUSANDS[lang] in tick and other not in tick for tick in big), ticks
    # "From school year": without a choice, the first forecast year, never an empty box
    shown = page.inner_text("#fc-added-year").strip()
    page.click("#fc-added-year")
    first = page.get_by_role("option").first.inner_text().strip()
    assert shown and shown == first
    context.close()
