"""Browser fixtures: the real app served on a local port, driven by headless Chromium."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("IOC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    """A WSGI server in a background thread; ``url`` is its base address."""

    def __init__(self, wsgi_app) -> None:
        self.server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session (Debian's package, never a downloaded one)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="ioc-chromium-")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def serve() -> Iterator[object]:
    """Serve a Dash app; returns the live server (stopped after the test)."""
    servers: list[LiveServer] = []

    def start(app) -> LiveServer:
        server = LiveServer(app.server)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh browser context and page; console errors are collected in ``page.errors``."""
    # Playwright's string predicates (wait_for_function) are eval'd in the page, which the
    # app's CSP forbids; tests/browser/test_csp.py checks the policy in a context without this.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    tab = context.new_page()
    tab.errors = []  # type: ignore[attr-defined]
    tab.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def sign_in_browser(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the real form."""
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
