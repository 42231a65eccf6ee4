"""In a real browser: an administrator creates on /admin an API token limited to one data
domain, reads its secret (shown once) from the page, and a member system calling with it
reads that domain and is refused another."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.control_room_data import DOMAINS, small_app
from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

FACILITIES = next(name_vi for _, slug, name_vi, _, _ in DOMAINS if slug == "facilities")


def test_a_token_limited_to_one_domain_is_refused_another(tmp_path, serve, browser) -> None:
    app, _ = small_app(tmp_path)
    server = serve(app)
    admin = browser.new_context()
    page = admin.new_page()
    sign_in_browser(page, server.url, "admin", PASSWORD)
    page.goto(f"{server.url}/admin")
    expect(page.locator("#adm-tokens")).to_be_visible()

    page.fill("#adm-token-user", "leader")
    page.fill("#adm-token-label", "he-thong-csvc")
    page.click("#adm-token-domains")
    page.fill(".dash-dropdown-search", "cơ sở vật chất")
    page.get_by_role("option", name=FACILITIES, exact=True).click()
    page.keyboard.press("Escape")
    page.click("#adm-token-create")
    secret = page.locator("#adm-token-message .adm-secret")
    expect(secret).to_be_visible()
    token = secret.inner_text().strip()
    assert token.startswith("ioc_")
    expect(page.locator("#adm-tokens")).to_contain_text("domains=facilities", use_inner_text=True)

    # the member system: no browser session, only the token
    member = browser.new_context()
    headers = {"Authorization": f"Bearer {token}"}
    rows = member.request.get(
        f"{server.url}/api/v1/domains/facilities/institutions?per_page=2", headers=headers
    )
    assert rows.status == 200, rows.text()
    body = rows.json()
    assert body["domain"]["slug"] == "facilities" and 0 < len(body["rows"]) <= 2
    refused = member.request.get(
        f"{server.url}/api/v1/domains/students/institutions", headers=headers
    )
    assert refused.status == 403
    assert "'students'" in refused.json()["message"]
    assert "scopes" in refused.json()["message"]
    member.close()
    admin.close()
