"""In a real browser: an administrator creates an account (its one-time password shown once)
and disables another, whose open session ends at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from data_access.users import create_user
from tests.app.control_room_data import small_app
from tests.browser.conftest import sign_in_browser
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def test_an_admin_creates_one_user_and_disables_another(tmp_path, serve, browser) -> None:
    app, engine = small_app(tmp_path)
    create_user(engine, "giang.do", PASSWORD, role="leadership")
    server = serve(app)
    victim = browser.new_context().new_page()
    sign_in_browser(victim, server.url, "giang.do", PASSWORD)
    assert victim.goto(f"{server.url}/plan").url.endswith("/plan")

    page = browser.new_context().new_page()
    violations: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.on("pageerror", lambda e: violations.append(str(e)))
    sign_in_browser(page, server.url, "admin", PASSWORD)
    page.goto(f"{server.url}/admin")
    expect(page.locator("#adm-users")).to_contain_text("giang.do", use_inner_text=True)

    page.fill("#adm-user-name", "hoa.tran")
    page.click("#adm-user-create")
    message = page.locator("#adm-user-message")
    expect(message).to_contain_text("Mật khẩu dùng một lần", use_inner_text=True)
    password = re.search(r": ([A-Za-z0-9_-]{16})", message.inner_text()).group(1)
    expect(page.locator("#adm-users")).to_contain_text("hoa.tran", use_inner_text=True)

    page.fill("#adm-user-name", "giang.do")
    page.click("#adm-user-disable")
    expect(message).to_contain_text("Đã khoá giang.do", use_inner_text=True)
    victim.goto(f"{server.url}/plan")
    assert "/login" in victim.url  # the open session ended
    expect(page.locator("#adm-audit-table")).to_contain_text("user.disable", use_inner_text=True)

    newcomer = browser.new_context().new_page()
    sign_in_browser(newcomer, server.url, "hoa.tran", password)
    newcomer.goto(f"{server.url}/plan")
    assert newcomer.url.endswith("/password")  # the one-time password must be changed first
    assert violations == []
