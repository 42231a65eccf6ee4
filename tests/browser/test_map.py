"""In a real browser, on the seeded city warehouse: the map's journeys, offline, on a phone."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

LQD = "Trường THPT Lê Quý Đôn"
DRAWN_TIMEOUT = 20_000


@pytest.fixture
def server(seeded_app, serve):
    return serve(seeded_app)


def _open(page, url: str) -> None:
    page.goto(url)
    # clusters, or single points drawn in the view (those of the padded box outside the view
    # are drawn empty, "M0 0")
    page.wait_for_function(
        """() => document.querySelector('.ioc-cluster') || [...document
            .querySelectorAll('path.map-point')].some(p => p.getAttribute('d') !== 'M0 0')""",
        timeout=DRAWN_TIMEOUT,
    )
    # the count arrives by its own callback, possibly after the first clusters are drawn
    page.wait_for_function(
        "() => document.querySelector('#map-count')?.innerText.trim()", timeout=DRAWN_TIMEOUT
    )


def _cluster_total(page) -> int:
    """Points drawn on the map: the numbers on the clusters plus single points."""
    page.wait_for_timeout(300)
    counts = page.eval_on_selector_all(
        ".ioc-cluster span", "spans => spans.map(s => Number(s.dataset.count))"
    )
    return sum(counts) + page.locator("path.map-point").count()


def _settled_url(page, quiet_ms: int = 700, timeout_s: float = 20.0) -> str:
    """The address once it has stopped changing for ``quiet_ms`` (e.g. a fly-to has ended
    and written its viewport), waiting for the state rather than a fixed time."""
    deadline = time.monotonic() + timeout_s
    last, since = page.url, time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if page.url != last:
            last, since = page.url, time.monotonic()
        elif (time.monotonic() - since) * 1000 >= quiet_ms:
            return last
    return page.url


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _count(page) -> int:
    text = page.inner_text("#map-count")
    return int(re.match(r"[\d.,]+", text).group(0).replace(".", "").replace(",", ""))


def test_search_choose_a_school_and_read_its_details(server, page) -> None:
    _open(page, f"{server.url}/map")
    page.fill("#map-query", "le quy don")
    result = page.locator(".map-result", has_text=LQD).first
    result.wait_for()
    assert "le quy don" in page.inner_text("#map-count")
    result.click()
    page.wait_for_selector(f".map-details-name:has-text('{LQD}')")
    details = page.inner_text("#map-details")
    assert "Điểm chuẩn lớp 10" in details and "Nguồn:" in details
    assert "Mức chuyển đổi số" in details or "Mức độ chuyển đổi số" in details
    page.wait_for_function("() => new URLSearchParams(location.search).get('id')")
    query = _query(page.url)
    assert query["q"] == ["le quy don"] and query["id"][0].isdigit()
    assert page.locator(".leaflet-tooltip", has_text=LQD).count() == 1  # highlighted on the map
    assert page.errors == []


def test_filtering_by_kind_changes_the_count_and_the_clusters(server, page) -> None:
    _open(page, f"{server.url}/map")
    page.wait_for_function("() => /\\d/.test(document.querySelector('#map-count').innerText)")
    before, drawn_before = _count(page), _cluster_total(page)
    page.click(".map-filters summary")
    page.get_by_label("Trường học", exact=True).uncheck()
    page.wait_for_function(
        f"() => !document.querySelector('#map-count').innerText"
        f".startsWith('{before:,}'.replace(/,/g, '.'))"
    )
    after = _count(page)
    assert 0 < after < before
    assert _cluster_total(page) < drawn_before
    assert _query(page.url)["kind"][0].count(",") == 5  # six kinds left, in the link
    assert page.errors == []


def test_a_copied_link_reproduces_the_view(server, page, browser) -> None:
    _open(page, f"{server.url}/map")
    page.fill("#map-query", "le quy don")
    page.locator(".map-result", has_text=LQD).first.click()
    page.wait_for_selector(f".map-details-name:has-text('{LQD}')")
    page.click(".map-filters summary")
    page.get_by_label("Công lập", exact=True).check()
    page.wait_for_function("() => location.search.includes('own=public')")
    link = _settled_url(page)  # the fly-to ends; its viewport lands in the link
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    fresh = other.new_page()
    _open(fresh, link)
    fresh.wait_for_selector(f".map-details-name:has-text('{LQD}')")
    assert fresh.input_value("#map-query") == "le quy don"
    assert fresh.get_by_label("Công lập", exact=True).is_checked()
    reopened, original = _query(_settled_url(fresh)), _query(link)
    for key in ("q", "id", "own", "lat", "lon", "z"):
        assert reopened.get(key) == original.get(key), key
    other.close()


@pytest.mark.parametrize("query", ["q=thpt+le+quy+don", "district=q3&own=private"])
def test_map_and_list_agree_when_a_link_filters(seeded_app, serve, page, query) -> None:
    # The clusters are slowed down so that the search (or the district's id) surely changes
    # while the first view's clusters are still on their way: the newer answer must win.
    inner = seeded_app.server.wsgi_app

    def slow_layer(environ, start_response):
        if environ.get("PATH_INFO", "").endswith("/map/clusters"):
            time.sleep(1.5)
        return inner(environ, start_response)

    seeded_app.server.wsgi_app = slow_layer
    server = serve(seeded_app)
    _open(page, f"{server.url}/map?{query}&lat=10.2&lon=106.7&z=7")  # all, Côn Đảo too
    page.wait_for_function("() => /\\d/.test(document.querySelector('#map-count').innerText)")
    deadline = time.monotonic() + 20  # the layer arrives late (above), then redraws
    while _cluster_total(page) != _count(page) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert _cluster_total(page) == _count(page) > 0
    assert page.errors == []


def test_works_offline_without_tiles(server, page) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    _open(page, f"{server.url}/map")
    page.wait_for_function(
        "() => document.querySelectorAll('.leaflet-overlay-pane path').length >= 168"
    )
    assert all(url.startswith(server.url) for url in requests), requests
    assert not any("tile" in url or url.endswith(".png") for url in requests)
    assert page.locator(".leaflet-tile").count() == 0
    assert page.errors == []


def test_phone_width_and_keyboard_only(server, browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    _open(phone, f"{server.url}/map")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # a slow phone: fast typing must not be scrambled by the page's own updates
    context.new_cdp_session(phone).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    phone.focus("#map-query")
    phone.keyboard.type("le quy don")
    assert phone.input_value("#map-query") == "le quy don"
    phone.keyboard.press("Enter")
    first = phone.locator(".map-result", has_text=LQD).first
    try:
        first.wait_for(timeout=60_000)  # the first search may wait for the index build
    except Exception as exc:
        state = phone.evaluate("""() => [document.querySelector('#map-query').value,
            document.activeElement && document.activeElement.id,
            document.querySelector('#map-count').innerText,
            document.querySelector('#map-results').innerText.slice(0, 300), location.href]""")
        raise AssertionError(f"no result for the typed query; page state {state}") from exc
    assert first.evaluate("e => e.tagName") == "BUTTON"
    first.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_selector(f".map-details-name:has-text('{LQD}')")
    assert phone.locator("#map-count").get_attribute("aria-live") == "polite"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_my_location_refused_then_given(server, browser) -> None:
    refused = browser.new_context(viewport={"width": 1280, "height": 800})
    page = refused.new_page()
    _open(page, f"{server.url}/map")
    page.click("#map-locate")
    page.wait_for_selector("#map-locate-status:has-text('Không lấy được vị trí')")
    refused.close()
    allowed = browser.new_context(
        viewport={"width": 1280, "height": 800},
        geolocation={"latitude": 10.7798, "longitude": 106.6862},
        permissions=["geolocation"],
    )
    page = allowed.new_page()
    _open(page, f"{server.url}/map")
    page.click("#map-locate")
    page.wait_for_selector("#map-nearest .map-result")
    assert page.locator("#map-nearest .map-result").count() == 10
    assert re.search(r"\d+ m|\d+,\d km", page.inner_text("#map-nearest"))
    allowed.close()


def test_names_full_of_html_stay_text_everywhere(serve, page, tmp_path) -> None:
    from tests.app.map_warehouse_data import HOSTILE_NAME, make_map_app

    app, engine, institution_ids = make_map_app(tmp_path / "hostile.sqlite")
    server = serve(app)
    page.on("dialog", lambda dialog: page.errors.append(f"dialog: {dialog.message}"))
    _open(page, f"{server.url}/map?q=hoa+sen")
    result = page.locator(".map-result", has_text="<script>").first
    result.click()
    page.wait_for_selector(".map-details-name")
    assert page.inner_text(".map-details-name") == HOSTILE_NAME
    page.wait_for_timeout(1200)
    point = page.locator("path.map-point").first
    point.hover(force=True)
    tooltips = page.locator(".leaflet-tooltip")
    tooltips.first.wait_for()
    assert HOSTILE_NAME in " ".join(tooltips.all_inner_texts())  # shown as text ...
    injected = page.evaluate(
        "document.querySelectorAll('#map-root script, #map-root b, "
        ".leaflet-tooltip b, .leaflet-container img[src=x]').length"
    )
    assert injected == 0  # ... never as markup
    assert page.errors == []
    engine.dispose()
    assert institution_ids[HOSTILE_NAME]


def test_english(server, page) -> None:
    _open(page, f"{server.url}/map?lang=en")
    assert page.inner_text("h1") == "School map"
    assert "institutions" in page.inner_text("#map-count")


@pytest.mark.parametrize("width", [390, 1920])
def test_first_visit_downloads_the_view_not_the_registry(server, browser, width) -> None:
    context, page = _sized(browser, width)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    with page.expect_response(lambda r: "/api/v1/map/clusters?" in r.url) as answer:
        _open(page, f"{server.url}/map")
    page.wait_for_timeout(500)
    assert not any("points.geojson" in url for url in requests)
    clusters = [url for url in requests if "/api/v1/map/clusters?" in url]
    assert len(clusters) == 1 and "z=10" in clusters[0] and "bbox=" in clusters[0]
    assert _cluster_total(page) == answer.value.json()["total"] > 0  # each drawn, once
    assert page.errors == []
    context.close()


def _sized(browser, width: int):
    """A new context and page ``width`` pixels wide; console errors in ``page.errors``."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    return context, tab


def _point_in_view(page) -> int:
    """The index among ``path.map-point`` of an institution drawn well inside the map, or -1."""
    return page.evaluate(
        """() => {
            const frame = document.querySelector('.map-canvas').getBoundingClientRect();
            return [...document.querySelectorAll('path.map-point')].findIndex(p => {
                const r = p.getBoundingClientRect();
                return r.width > 0 && r.left > frame.left + 20 && r.right < frame.right - 20
                    && r.top > frame.top + 20 && r.bottom < frame.bottom - 20;
            });
        }"""
    )


def _biggest_cluster_in_view(page) -> int:
    """The index among ``.ioc-cluster`` of the largest cluster drawn inside the map."""
    return page.evaluate(
        """() => {
            const frame = document.querySelector('.map-canvas').getBoundingClientRect();
            let best = -1, most = -1;
            document.querySelectorAll('.ioc-cluster').forEach((c, i) => {
                const r = c.getBoundingClientRect();
                const inside = r.left >= frame.left && r.right <= frame.right
                    && r.top >= frame.top && r.bottom <= frame.bottom;
                const n = Number(c.querySelector('span').dataset.count);
                if (inside && n > most) { best = i; most = n; }
            });
            return best;
        }"""
    )


@pytest.mark.parametrize("width", [390, 1920])
def test_a_cluster_opens_into_institutions_and_a_filter_refetches(server, browser, width) -> None:
    context, page = _sized(browser, width)
    _open(page, f"{server.url}/map?lat=10.7769&lon=106.7009&z=12")
    zoom = int(_query(_settled_url(page))["z"][0])
    for _ in range(8):  # a click flies to the zoom where the cluster splits, until points show
        if _point_in_view(page) >= 0:
            break
        biggest = page.locator(".ioc-cluster").nth(_biggest_cluster_in_view(page))
        with page.expect_response(lambda r: "/api/v1/map/clusters?" in r.url):
            biggest.click()
        now = int(_query(_settled_url(page))["z"][0])
        assert now > zoom
        zoom = now
        page.wait_for_timeout(300)
    drawn = _point_in_view(page)
    assert drawn >= 0  # an institution drawn inside the view
    page.locator("path.map-point").nth(drawn).hover(force=True)
    page.locator(".leaflet-tooltip").first.wait_for()  # its name
    with page.expect_request(lambda r: "/api/v1/map/clusters?" in r.url) as asked:
        page.click(".map-filters summary")
        page.get_by_label("Công lập", exact=True).check()
    assert "ownership=public" in asked.value.url and f"z={zoom}" in asked.value.url
    assert page.errors == []
    context.close()


@pytest.mark.parametrize("width", [390, 1920])
def test_before_any_search_a_prompt_and_schools_first(server, browser, width) -> None:
    """Nothing asked yet: how to search, and schools listed first (not the study-abroad
    companies that came first alphabetically); a search replaces the prompt."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    _open(tab, f"{server.url}/map")
    hint = tab.locator(".map-browse-hint")
    hint.wait_for()
    assert "Gõ tên trường" in hint.inner_text()
    metas = tab.locator(".map-result .map-result-meta").all_inner_texts()
    assert metas and all(meta.startswith("Trường học") for meta in metas[:5])
    assert not any("Tư vấn du học" in meta for meta in metas)
    tab.fill("#map-query", "le quy don")
    tab.keyboard.press("Enter")
    tab.locator(".map-result", has_text=LQD).first.wait_for(timeout=60_000)
    assert tab.locator(".map-browse-hint").count() == 0
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
