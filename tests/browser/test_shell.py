"""In a real browser: sign in, see the shell in Vietnamese and in English, switch theme."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def test_sign_in_and_see_the_shell_in_both_languages(app, serve, page) -> None:
    server = serve(app)
    page.goto(f"{server.url}/")
    assert "/login" in page.url  # visitors are sent to sign in
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.wait_for_selector("#main-nav")
    assert page.locator("html").get_attribute("lang") in ("vi", None)
    assert page.locator(".brand").inner_text().endswith("Trung tâm Điều hành Giáo dục TP.HCM")
    assert page.locator("#main-nav").inner_text().count("Điều hành") == 1
    page.wait_for_selector("text=Độ mới của dữ liệu theo lĩnh vực")
    page.click("#lang-link")
    page.wait_for_selector("text=HCMC Education Operations Centre")
    assert "Control room" in page.locator("#main-nav").inner_text()
    page.wait_for_selector("text=Data freshness by domain")
    page.click("#theme-link")
    page.wait_for_selector("#shell.theme-dark")
    assert page.errors == []


def test_keyboard_user_can_skip_to_the_content(app, serve, page) -> None:
    server = serve(app)
    sign_in_browser(page, server.url, "leader", PASSWORD)
    page.wait_for_selector("#main-nav")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
