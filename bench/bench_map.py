"""Benchmark of the public map /map, printed as ratios against baselines run in this script.

1. Navigation → first clusters drawn, in headless Chromium, at city and national scale:
   the real page (the view's clusters from the server, gzipped) against the same page with
   the whole layer inlined in the layout through ``GeoDataFrame.to_json()`` and clustered in
   the browser. Medians of alternating runs,
   each in a fresh browser context (cold cache: a first visit), and the third visit in that
   context (a returning visitor: scripts cached and compiled). For scale, the same runs
   time the app's simplest page (/about/data) to its first table: the floor set by Dash's
   own start-up.
2. Search server time at national scale (``/api/v1/search``, in-process WSGI calls): p50/p95
   against the floor, a Flask route serving a cached static JSON of the same size.

    .venv/bin/python bench/bench_map.py [--runs 5] [--city-url URL] [--national-url URL]
                                        [--only city|national|search]
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import geopandas as gpd  # noqa: E402
import shapely  # noqa: E402
from flask import Response  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

import layouts.map as map_layout  # noqa: E402
from data_access import migrate  # noqa: E402
from data_access.db import make_engine  # noqa: E402
from data_access.paths import shared_data_dir  # noqa: E402
from geo.layers import escape, point_layer  # noqa: E402
from geo.vn_text import fold  # noqa: E402
from ioc_app.app import create_app  # noqa: E402
from ioc_app.core import ids  # noqa: E402
from ioc_app.core.config import test_config  # noqa: E402
from ioc_app.core.guard import PUBLIC, route_access  # noqa: E402
from ioc_app.services import registry as map_registry  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIRST_CLUSTER = """
window.__firstCluster = null;
window.__shell = null;
new MutationObserver((_, observer) => {
  if (window.__shell === null && document.querySelector('#map-query')) {
    window.__shell = performance.now();
  }
  if (document.querySelector('.ioc-cluster')) {
    window.__firstCluster = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true});
"""


def warehouse(scale: str, url: str | None) -> str:
    """A seeded warehouse URL: the given one, or a new temporary SQLite file."""
    if url:
        return url
    from data_access.seed import seed_warehouse

    path = Path(tempfile.mkdtemp(prefix=f"bench-map-{scale}-")) / "ioc.sqlite"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    started = time.perf_counter()
    try:
        seed_warehouse(engine, scale=scale, seed=0)
    except Exception as exc:  # noqa: BLE001 - fall back to a synthetic registry, said so below
        print(f"  seed --scale {scale} failed ({exc}); synthesising 60,000 institutions")
        from tests.app.map_warehouse_data import build_map_warehouse

        build_map_warehouse(engine, synthetic=60_000)
    print(f"  {scale} warehouse built in {time.perf_counter() - started:.0f} s: {path}")
    engine.dispose()
    return url


class Served:
    """The application on a local port, in a thread."""

    def __init__(self, app: Any) -> None:
        self.server = make_server("127.0.0.1", 0, app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


def inlined_map(layer: dict[str, Any]) -> Any:
    """``layouts.map._map`` as it was before the server clustered: the whole registry inlined
    in the layout and clustered in the browser by dash-leaflet's supercluster (the page's
    fetch of the view's clusters is refused in that run, see :func:`first_clusters`)."""
    original = map_layout._map

    def build(state: dict[str, Any], theme: str, lang: str) -> Any:
        frame = original(state, theme, lang)
        points = next(
            c for c in frame.children.children if getattr(c, "id", None) == ids.MAP_POINTS
        )
        points.data = layer
        points.cluster = True
        points.superClusterOptions = {"radius": 80, "maxZoom": 14, "minZoom": 7}
        # the page's marker function draws supercluster's clusters as it draws the server's
        points.clusterToLayer = {"variable": "iocMap.pointToLayer"}
        return frame

    return build


def baseline_layer(app: Any) -> tuple[dict[str, Any], float, float]:
    """The registry as GeoJSON through GeoDataFrame.to_json() (same properties as ours)."""
    with app.server.test_request_context("/"):
        snapshot = map_registry.registry()
    frame = snapshot.frame
    started = time.perf_counter()
    gdf = gpd.GeoDataFrame(
        {
            "id": frame["id"],
            "k": frame["kind"],
            "l": frame["level"],
            "o": frame["ownership"],
            "w": frame["ward_id"],
            "d": frame["old_district_id"],
            "tooltip": [escape(n) for n in frame["name"]],
        },
        geometry=shapely.points(frame["lon"].round(6), frame["lat"].round(6)),
        crs=4326,
    )
    text = gdf.to_json(drop_id=True)
    to_json_s = time.perf_counter() - started
    started = time.perf_counter()
    point_layer(
        snapshot.ids,
        snapshot.lon,
        snapshot.lat,
        properties={
            "k": frame["kind"],
            "l": frame["level"],
            "o": frame["ownership"],
            "w": frame["ward_id"],
            "d": frame["old_district_id"],
        },
        tooltips=frame["name"].to_numpy(dtype=object),
    )
    ours_s = time.perf_counter() - started
    return json.loads(text), to_json_s, ours_s


def first_clusters(browser: Any, url: str, *, inlined: bool = False) -> tuple[float, float, float]:
    """Milliseconds from navigation start to the first cluster icon in the page (a first
    visit: empty cache), to the page's own first element (Dash's start-up: the same for
    both pages), and to the first cluster of a returning visitor (the third visit in the
    same browser context: scripts cached and compiled, layers revalidated)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    if inlined:  # the inlined page clusters in the browser: no clusters from the server
        page.route("**/map/clusters*", lambda route: route.abort())
    page.add_init_script(FIRST_CLUSTER)
    visits = []
    for _ in range(3):
        page.goto(url)
        page.wait_for_function("() => window.__firstCluster !== null", timeout=60_000)
        visits.append(page.evaluate("[window.__firstCluster, window.__shell]"))
    context.close()
    (clusters, shell), (returning, _) = visits[0], visits[2]
    return float(clusters), float(shell), float(returning)


def first_table(browser: Any, url: str) -> float:
    """Milliseconds from navigation start to the first table of a page: on /about/data, the
    simplest page of the app, this is the floor that Dash's own start-up sets."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("table", timeout=60_000)
    elapsed = page.evaluate("performance.now()")
    context.close()
    return float(elapsed)


def bench_first_clusters(scale: str, url: str, runs: int) -> None:
    app = create_app(test_config(url))
    layer, to_json_s, ours_s = baseline_layer(app)
    print(
        f"  layer build: orjson from arrays {ours_s * 1000:.0f} ms, "
        f"GeoDataFrame.to_json {to_json_s * 1000:.0f} ms "
        f"(ratio {to_json_s / ours_s:.1f}x), {len(layer['features']):,} points"
    )
    served = Served(app)
    original = map_layout._map
    inline = inlined_map(layer)
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"ours": [], "inlined": []}
    warm: dict[str, list[float]] = {"ours": [], "inlined": []}
    shells: list[float] = []  # ours only: the inlined page's layout carries the whole layer
    floors: list[float] = []  # the simplest page of the app, for scale
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(runs + 1):  # the first round warms both paths and is not counted
            for name, build in (("ours", original), ("inlined", inline)):
                map_layout._map = build
                elapsed, shell, returning = first_clusters(
                    browser, f"{served.url}/map", inlined=name != "ours"
                )
                times[name].append(elapsed)
                warm[name].append(returning)
                if name == "ours":
                    shells.append(shell)
            floors.append(first_table(browser, f"{served.url}/about/data"))
        times = {name: values[1:] for name, values in times.items()}
        warm = {name: values[1:] for name, values in warm.items()}
        shells = shells[1:]
        floors = floors[1:]
        map_layout._map = original
        browser.close()
    served.stop()
    ours, inlined = statistics.median(times["ours"]), statistics.median(times["inlined"])
    print(
        f"  first clusters, median of {runs}: ours {ours:.0f} ms, layer inlined with "
        f"to_json {inlined:.0f} ms -> ratio inlined/ours {inlined / ours:.2f}x"
    )
    print(
        f"    of which Dash start-up until the page's first element: "
        f"median {statistics.median(shells):.0f} ms; ours after that: "
        f"{statistics.median(t - s for t, s in zip(times['ours'], shells, strict=True)):.0f} ms"
    )
    ours_warm, inlined_warm = statistics.median(warm["ours"]), statistics.median(warm["inlined"])
    print(
        f"  returning visitor (third visit, cache warm): ours {ours_warm:.0f} ms, inlined "
        f"{inlined_warm:.0f} ms -> ratio inlined/ours {inlined_warm / ours_warm:.2f}x"
    )
    floor = statistics.median(floors)
    print(
        f"  floor: /about/data (the app's simplest page) to its first table: median "
        f"{floor:.0f} ms -> first clusters / floor {ours / floor:.2f}x"
    )
    print(f"    ours    {[round(t) for t in times['ours']]}")
    print(f"    inlined {[round(t) for t in times['inlined']]}")


def queries(names: list[str], count: int, rng: random.Random) -> list[str]:
    """Realistic queries: folded names, prefixes, a typo, shuffled words, abbreviations."""
    out: list[str] = []
    shared = shared_data_dir() / "admissions"
    grade10 = (shared / "hcmc_grade10_cutoffs_2015_2021_nv123.csv").read_text("utf-8")
    real = sorted({line.split(",")[1] for line in grade10.splitlines()[1:]})
    for _ in range(count):
        name = rng.choice(names if rng.random() < 0.7 else real)
        words = fold(name).split()
        style = rng.randrange(5)
        if style == 0:
            out.append(" ".join(words))
        elif style == 1:
            out.append(" ".join(words[: max(2, len(words) // 2)]))
        elif style == 2 and words:
            longest = max(range(len(words)), key=lambda i: len(words[i]))
            word = words[longest]
            if len(word) > 3:
                i = rng.randrange(len(word) - 1)
                words[longest] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            out.append(" ".join(words))
        elif style == 3:
            rng.shuffle(words)
            out.append(" ".join(words))
        else:
            out.append(rng.choice(["thpt ", "thcs ", "mn ", "th "]) + " ".join(words[-2:]))
    return out


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_search(url: str, count: int) -> None:
    app = create_app(test_config(url))
    floor_body: list[bytes] = [b"{}"]

    @route_access(PUBLIC)
    def floor() -> Response:
        return Response(floor_body[0], mimetype="application/json")

    app.server.add_url_rule("/bench/floor", "bench_floor", floor)  # before the first request
    client = app.server.test_client()
    with app.server.test_request_context("/"):
        snapshot = map_registry.registry()
        started = time.perf_counter()
        _ = snapshot.index
        print(
            f"  search index built in {time.perf_counter() - started:.1f} s "
            f"for {len(snapshot):,} institutions"
        )
    rng = random.Random(2025)
    asked = queries(snapshot.frame["name"].dropna().tolist(), count, rng)
    sizes: list[int] = []
    ours: list[float] = []
    for q in asked[:20]:  # warm-up
        client.get("/api/v1/search", query_string={"q": q})
    for q in asked:
        started = time.perf_counter()
        response = client.get("/api/v1/search", query_string={"q": q})
        ours.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        sizes.append(len(response.data))
    floor_body[0] = b'{"results": "' + b"x" * max(0, int(statistics.median(sizes)) - 16) + b'"}'
    floors: list[float] = []
    for _ in range(20):
        client.get("/bench/floor")
    for _ in asked:
        started = time.perf_counter()
        client.get("/bench/floor")
        floors.append((time.perf_counter() - started) * 1000)
    p50, p95 = _percentile(ours, 50), _percentile(ours, 95)
    f50, f95 = _percentile(floors, 50), _percentile(floors, 95)
    print(
        f"  search /api/v1/search, {len(asked)} queries, median reply "
        f"{statistics.median(sizes):.0f} B: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(ours):.1f} ms"
    )
    print(f"  floor (cached static JSON of that size): p50 {f50:.2f} ms, p95 {f95:.2f} ms")
    print(f"  ratio ours/floor: p50 {p50 / f50:.1f}x, p95 {p95 / f95:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--city-url", default=None, help="a seeded city warehouse to reuse")
    parser.add_argument("--national-url", default=None, help="a national warehouse to reuse")
    parser.add_argument(
        "--only", choices=("city", "national", "search"), default=None, help="run one part only"
    )
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    if args.only in (None, "city"):
        print("city scale")
        bench_first_clusters("city", warehouse("city", args.city_url), args.runs)
    if args.only == "city":
        return
    national = warehouse("national", args.national_url)
    if args.only in (None, "national"):
        print("national scale")
        bench_first_clusters("national", national, args.runs)
    if args.only in (None, "search"):
        print("search at national scale")
        bench_search(national, args.queries)


if __name__ == "__main__":
    main()
