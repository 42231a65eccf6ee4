"""In a real browser: axe-core finds no WCAG 2.0/2.1 A or AA violation on any page of the app,
in Vietnamese and English, light and dark, at a phone's width and a wall screen's.

axe-core is a test-only tool: npm's package pinned in tests/browser/package.json (installed by
``make test`` with ``npm ci --prefix tests/browser``), injected by Playwright into each page;
the app never serves it. One browser context per role (a visitor, an administrator, who may
open every page) on the seeded city warehouse; the language and theme are the app's own
cookies, set as the header's switches set them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.db import make_engine
from data_access.models import AdminUnit, Institution
from data_access.reference.plan import DOMAIN_SLUGS
from ioc_app.core.i18n import LANG_COOKIE, THEME_COOKIE
from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT = 60_000

PUBLIC = ["/map", "/about/data"]
SIGNED_IN = [
    "/",
    *(f"/domains/{slug}" for slug in DOMAIN_SLUGS.values()),
    "/plan",
    "/dx",
    "/forecast",
    "/ward/{ward}",
    "/school/{school}",
    "/report",
    "/intake",
    "/admin",
    "/password",
]
PHONE, WALL = 390, 1920
#: The pages whose colours and controls differ most (the shell, a map, charts, dropdowns,
#: radio groups, sliders, paged and scrolling data tables, a form).
REPRESENTATIVE = ["/map", "/", "/domains/students", "/dx", "/forecast", "/report"]
#: Every page in Vietnamese, light theme, at a phone's width (the default a visitor gets);
#: the representative pages at a wall screen's width in every language and theme. The whole
#: matrix (19 pages x 2 languages x 2 themes x 2 widths) takes a quarter of an hour on two
#: cores: each page is loaded and settled before axe runs.
COMBINATIONS = [
    *(("vi", "light", PHONE, path) for path in PUBLIC + SIGNED_IN),
    *(
        (lang, theme, WALL, path)
        for lang in ("vi", "en")
        for theme in ("light", "dark")
        for path in REPRESENTATIVE
    ),
]


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's script (the npm package, installed by ``make test``)."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed at {AXE}: run `npm ci --prefix tests/browser`")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(seeded_sqlite_url) -> Iterator[dict[str, str]]:
    """The app on the seeded city, served once for the module, and the ids its paths need."""
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config
    from tests.browser.conftest import LiveServer

    engine = make_engine(seeded_sqlite_url)
    with engine.connect() as connection:
        school, ward = connection.execute(
            select(Institution.id, AdminUnit.code)
            .join(AdminUnit, AdminUnit.id == Institution.ward_id)
            .where(Institution.kind == "school")
            .order_by(Institution.id)
            .limit(1)
        ).one()
    engine.dispose()
    server = LiveServer(create_app(test_config(seeded_sqlite_url)).server)
    yield {"url": server.url, "school": str(school), "ward": ward}
    server.stop()


@pytest.fixture(scope="module")
def tabs(browser, site) -> Iterator[dict[str, object]]:
    """One context per role: a visitor's tab and a signed-in administrator's."""
    contexts = []
    found: dict[str, object] = {}
    for role in ("visitor", "admin"):
        # bypass_csp: axe is injected as a script of its own, which the app's CSP refuses
        context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
        contexts.append(context)
        tab = context.new_page()
        if role == "admin":
            sign_in_browser(tab, site["url"], "admin", PASSWORD)
        found[role] = tab
    yield found
    for context in contexts:
        context.close()


def _settle(tab) -> None:
    """Wait until Dash has answered every callback of the page."""
    tab.wait_for_load_state("networkidle", timeout=TIMEOUT)
    tab.wait_for_function(
        "() => !document.querySelector('[data-dash-is-loading=\"true\"], ._dash-loading')",
        polling=250,
        timeout=TIMEOUT,
    )
    tab.wait_for_timeout(300)  # the last render after the last answer


def audit(tab, axe_source: str) -> list[str]:
    """axe-core's WCAG 2 A/AA violations on the open page, one line per rule."""
    if not tab.evaluate("() => typeof window.axe === 'object'"):
        tab.add_script_tag(content=axe_source)
    result = tab.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                        resultTypes: ['violations']})""",
        WCAG_TAGS,
    )
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} — "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"])
        for rule in result["violations"]
    ]


@pytest.mark.parametrize(
    ("lang", "theme", "width", "path"),
    COMBINATIONS,
    ids=[f"{lang}-{theme}-{width}-{path}" for lang, theme, width, path in COMBINATIONS],
)
def test_no_wcag_violation(tabs, site, axe_source, lang, theme, width, path) -> None:
    tab = tabs["visitor" if path in PUBLIC else "admin"]
    tab.context.add_cookies(
        [
            {"name": LANG_COOKIE, "value": lang, "url": site["url"]},
            {"name": THEME_COOKIE, "value": theme, "url": site["url"]},
        ]
    )
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(site["url"] + path.format(**site), timeout=TIMEOUT)
    # the Dash shell, or the body of a server-rendered form (/password)
    tab.wait_for_selector(f"#shell.theme-{theme}, body.theme-{theme}", timeout=TIMEOUT)
    assert tab.locator("html").get_attribute("lang") == lang
    _settle(tab)
    violations = audit(tab, axe_source)
    assert violations == [], "\n".join(violations)


def test_a_keyboard_reaches_and_opens_a_dropdown(tabs, site) -> None:
    """The dropdown's own button takes the focus (its hidden stand-in no longer does): Tab
    lands on it, with its label as name, and the arrow key opens its options."""
    tab = tabs["visitor"]
    tab.set_viewport_size({"width": PHONE, "height": 900})
    tab.goto(f"{site['url']}/map", timeout=TIMEOUT)
    _settle(tab)
    tab.click("details:has(#map-level) > summary")  # the filters, folded on a phone
    tab.focus("#map-level")
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Tab")
    focused = tab.evaluate("() => [document.activeElement.id, document.activeElement.tagName]")
    assert focused == ["map-level", "BUTTON"]
    assert tab.locator(".dash-dropdown-focus-target[tabindex='0']").count() == 0
    tab.keyboard.press("ArrowDown")
    tab.get_by_role("option").first.wait_for(timeout=TIMEOUT)
