"""First clusters of /map on an emulated 4G phone, with a peer measured in the same run.

Headless Chromium at a 390 px viewport; the phone's network is emulated through the
DevTools protocol (``Network.emulateNetworkConditions`` on Playwright's CDP session):
60 ms latency, 9 Mbps down (1,125,000 B/s), 3 Mbps up. For each scale it times, from
navigation start to the first cluster icon on the map (medians of ``--runs``, each in a fresh
browser context):

- loopback (no emulation), first visit;
- 4G, first visit (empty cache), with the bytes on the wire;
- 4G, returning visitor (the third visit in the same context: cache warm);
- the peer, 4G: a static HTML page served by the same server whose body on the wire is as
  large as /map's first visit, timed to a marker at its very end (the time those bytes take
  over this network, without any work).

Targets (issue 13): city ≤ 1.2 s on 4G and ≤ 0.8 s on loopback, national ≤ 1.5 s, returning
visitor ≤ 0.5 s. Printed, never asserted.

    python bench/bench_map_4g.py [--runs 5] [--city-url URL] [--national-url URL]
                                 [--only city|national]

Without ``--city-url`` a city warehouse is seeded into a temporary SQLite file; national
runs when ``--national-url`` is given (e.g. the load test's PostgreSQL warehouse,
postgresql+psycopg2://postgres@127.0.0.1:5432/ioc_bench_load_national).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import logging
import os
import statistics
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from flask import Response  # noqa: E402

from bench.bench_map import CHROMIUM, FIRST_CLUSTER, FLAGS, Served, warehouse  # noqa: E402
from ioc_app.app import create_app  # noqa: E402
from ioc_app.core.config import test_config  # noqa: E402
from ioc_app.core.guard import PUBLIC, route_access  # noqa: E402

PHONE = {"width": 390, "height": 844}
FOUR_G = {
    "offline": False,
    "latency": 60,
    "downloadThroughput": 1_125_000,
    "uploadThroughput": 375_000,
}
WIRE_BYTES = """
performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .reduce((sum, entry) => sum + (entry.transferSize || 0), 0)
"""


def peer_body(wire_bytes: int) -> bytes:
    """A gzipped HTML page of about ``wire_bytes``: incompressible text, a marker at its end."""
    filler = base64.b64encode(os.urandom(max(1, wire_bytes))).decode()
    size = wire_bytes
    for _ in range(4):  # base64 of random bytes gzips to about 3/4: converge on the size
        page = f"<!doctype html><html lang=vi><title>peer</title><!--{filler[:size]}-->"
        body = gzip.compress((page + '<div class="ioc-cluster"></div></html>').encode(), 6)
        size = max(1, round(size * wire_bytes / len(body)))
    return body


def open_page(browser: Any, url: str, *, four_g: bool, visits: int = 1) -> list[list[float]]:
    """``visits`` navigations to ``url`` in one fresh context: [first cluster ms, bytes]."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    if four_g:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", FOUR_G)
    page.add_init_script(FIRST_CLUSTER)
    found = []
    for _ in range(visits):
        page.goto(url)
        page.wait_for_function("() => window.__firstCluster !== null", timeout=120_000)
        found.append([page.evaluate("window.__firstCluster"), page.evaluate(WIRE_BYTES)])
    context.close()
    return found


def bench_scale(scale: str, url: str, runs: int) -> None:
    app = create_app(test_config(url))
    body = [b""]

    @route_access(PUBLIC)
    def peer() -> Response:
        response = Response(body[0], mimetype="text/html")
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Cache-Control"] = "no-store"
        return response

    app.server.add_url_rule("/bench/peer", "bench_peer", peer)  # before the first request
    served = Served(app)
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[float]] = {"loopback": [], "4G": [], "4G returning": [], "peer": []}
    wire: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        open_page(browser, f"{served.url}/map", four_g=False)  # warms the server's caches
        for _ in range(runs):
            rows["loopback"].append(open_page(browser, f"{served.url}/map", four_g=False)[0][0])
            visits = open_page(browser, f"{served.url}/map", four_g=True, visits=3)
            rows["4G"].append(visits[0][0])
            wire.append(visits[0][1])
            rows["4G returning"].append(visits[2][0])
            if not body[0]:
                body[0] = peer_body(int(visits[0][1]))
            rows["peer"].append(open_page(browser, f"{served.url}/bench/peer", four_g=True)[0][0])
        browser.close()
    served.stop()
    report(scale, rows, wire, len(body[0]))


def report(scale: str, rows: dict[str, list[float]], wire: list[float], peer_bytes: int) -> None:
    median = {name: statistics.median(values) for name, values in rows.items()}
    print(f"  first clusters on /map, 390 px, medians of {len(rows['4G'])} runs:")
    for name, value in median.items():
        label = "peer: static page of the same bytes, 4G" if name == "peer" else name
        print(f"    {label:<42}{value:>8.0f} ms   {[round(v) for v in rows[name]]}")
    print(
        f"  bytes on the wire, first visit: {statistics.median(wire):,.0f} "
        f"(peer body {peer_bytes:,}); 4G first visit / peer {median['4G'] / median['peer']:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--city-url", default=None, help="a seeded city warehouse to reuse")
    parser.add_argument("--national-url", default=None, help="a national warehouse to measure")
    parser.add_argument("--only", choices=("city", "national"), default=None)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    if args.only in (None, "city"):
        print("city scale")
        bench_scale("city", warehouse("city", args.city_url), args.runs)
    if args.only in (None, "national") and args.national_url:
        print("national scale")
        bench_scale("national", args.national_url, args.runs)
    elif args.only == "national":
        parser.error("--only national needs --national-url")


if __name__ == "__main__":
    main()
