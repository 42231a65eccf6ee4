"""The content security policy allows no inline or eval'd script (security review, finding
7), and every page still runs under it: no CSP violation reaches the console."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser
PAGES = ("/", "/map", "/plan", "/dx", "/forecast", "/domains/students", "/report", "/about/data")


def test_no_page_breaks_the_policy(seeded_app, serve, page) -> None:
    server = serve(seeded_app)
    violations: list[str] = []
    page.on(
        "console",
        lambda m: (
            "Content Security Policy" in m.text and violations.append(f"{page.url}: {m.text}")
        ),
    )
    sign_in_browser(page, server.url, "leader", PASSWORD)
    for path in PAGES:
        response = page.goto(f"{server.url}{path}")
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
        assert "'unsafe-eval'" not in policy
        page.wait_for_selector("#page-content *", state="attached")
        page.wait_for_load_state("networkidle")
    assert violations == []
    assert page.errors == []
