"""Lighthouse scores of the app's pages: the public ones, and signed-in ones as an admin.

Runs npm ``lighthouse`` (pinned in bench/package.json and package-lock.json; installed with
``npm ci --prefix bench`` when missing) with ``CHROME_PATH=/usr/bin/chromium``, headless,
default mobile profile (simulated slow 4G and a 4x slower CPU), against the app started in
this script on a free port with a city warehouse in SQLite. Signed-in pages get the
session cookie through ``--extra-headers``. Printed per page: performance, accessibility,
best practices, SEO (0–100), LCP, TBT and the bytes Lighthouse counted.

Targets (issue 13): /map performance ≥ 90, accessibility ≥ 95, SEO ≥ 90; every other page
accessibility ≥ 95. Printed, never asserted.

    python bench/bench_lighthouse.py [--url DATABASE_URL] [--pages /map /about/data …]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.bench_map import CHROMIUM, Served, warehouse  # noqa: E402
from bench.load_journey import LEADER_PASSWORD  # noqa: E402
from bench.load_setup import ensure_users  # noqa: E402
from data_access.db import make_engine  # noqa: E402
from ioc_app.app import create_app  # noqa: E402
from ioc_app.core.config import test_config  # noqa: E402

LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
PUBLIC_PAGES = ("/map", "/about/data", "/login")
SIGNED_IN_PAGES = ("/", "/domains", "/domains/students", "/plan", "/dx", "/forecast", "/admin")
ADMIN = "bench.admin"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync"
# Lighthouse's mobile agent, fixed: a session is tied to its client's address and agent, so the
# admin signs in with the agent the audited browser will send.
AGENT = (
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"
)


def ensure_lighthouse() -> None:
    """``npm ci --prefix bench`` when the pinned Lighthouse is not installed yet."""
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund"], check=True)


def session_cookie(base: str) -> str:
    """Sign the admin in through the JSON form of /login (with Lighthouse's agent): the
    ``Cookie`` header to send."""
    body = json.dumps({"username": ADMIN, "password": LEADER_PASSWORD}).encode()
    request = urllib.request.Request(
        f"{base}/login",
        data=body,
        headers={"Content-Type": "application/json", "User-Agent": AGENT},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(cookie.split(";", 1)[0] for cookie in cookies)


def audit_page(url: str, cookie: str | None) -> dict[str, Any]:
    """One Lighthouse run (mobile, default throttling): its JSON report."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--emulatedUserAgent={AGENT}",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    if run.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}: {run.stderr[-2000:]}")
    return json.loads(run.stdout)


def row(page: str, report: dict[str, Any]) -> str:
    """The printed line of one page."""
    scores = [report["categories"][c]["score"] for c in CATEGORIES]
    audits = report["audits"]
    lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
    tbt = audits["total-blocking-time"]["numericValue"]
    kib = audits["total-byte-weight"]["numericValue"] / 1024
    shown = "".join(f"{'-' if s is None else round(s * 100):>6}" for s in scores)
    return f"  {page:<20}{shown}{lcp:>8.1f} s{tbt:>8.0f} ms{kib:>9,.0f} KiB"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=None, help="a seeded city warehouse to reuse")
    parser.add_argument("--pages", nargs="+", default=[*PUBLIC_PAGES, *SIGNED_IN_PAGES])
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    ensure_lighthouse()
    url = warehouse("city", args.url)
    engine = make_engine(url)
    ensure_users(engine, [ADMIN], "admin")
    engine.dispose()
    served = Served(create_app(test_config(url)))
    cookie = session_cookie(served.url)
    print(f"Lighthouse (mobile, default throttling), city scale, {served.url}")
    heads = "".join(f"{h:>6}" for h in ("perf", "a11y", "best", "seo"))
    print(f"  {'page':<20}{heads}{'LCP':>10}{'TBT':>11}{'bytes':>13}")
    failed = []
    try:
        for page in args.pages:
            signed_in = page not in PUBLIC_PAGES
            label = page + (" *" if signed_in else "")
            try:  # on a busy machine Chromium may miss a protocol deadline: one more try
                report = audit_page(served.url + page, cookie if signed_in else None)
            except RuntimeError:
                try:
                    report = audit_page(served.url + page, cookie if signed_in else None)
                except RuntimeError as exc:
                    failed.append(page)
                    print(f"  {label:<20}failed twice: {str(exc).splitlines()[0]}", flush=True)
                    continue
            print(row(label, report), flush=True)
    finally:
        served.stop()
    print("  * signed in as an administrator (session cookie passed with --extra-headers)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
