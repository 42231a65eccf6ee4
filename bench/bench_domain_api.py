"""Benchmark: server time of ``/api/v1/domains/<slug>/institutions`` (a member system's
paged read per institution) at the seeded city, on SQLite, with a real API token.

Requests go through Flask's test client (no network), each audited as in production.
"Uncached" clears the cache before every call; "cached" calls a warm page. The baseline,
measured in the same run, is the same domain's table by area (``/areas``, cached), so the
ratios say how much a per-institution page costs beside the read member systems had.
A walk reads every page of the school year at the largest page size. Figures are printed;
nothing is asserted.

    python bench/bench_domain_api.py [--runs 20] [--uncached-runs 5] [--slug students]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from data_access import migrate  # noqa: E402
from data_access.db import make_engine  # noqa: E402
from data_access.tokens import create_token  # noqa: E402
from tests.helpers import add_users  # noqa: E402


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _timed(client, path: str, headers: dict[str, str]) -> tuple[float, dict]:
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.data[:300]!r}")
    return elapsed, response.get_json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--uncached-runs", type=int, default=5)
    parser.add_argument("--slug", default="students")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="an already seeded city with the test users (tests.helpers.add_users)",
    )
    args = parser.parse_args()

    from data_access.seed import seed_warehouse
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config
    from ioc_app.core.warehouse import cache

    with tempfile.TemporaryDirectory(prefix="bench_domain_api_") as folder:
        url = args.database or f"sqlite:///{folder}/city.sqlite"
        engine = make_engine(url)
        start = time.perf_counter()
        if not args.database:
            migrate.upgrade(engine)
            seed_warehouse(engine, scale="city", seed=0)
            add_users(engine)
        print(f"city ready in {time.perf_counter() - start:.1f} s")
        _, token = create_token(engine, "leader", "bench")
        headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
        app = create_app(test_config(url))
        client = app.server.test_client()
        base = f"/api/v1/domains/{args.slug}"
        timed = {
            "baseline: /areas (by ward)": f"{base}/areas",
            "/institutions per_page=100": f"{base}/institutions?per_page=100",
            "/institutions per_page=500": f"{base}/institutions?per_page=500",
            "/institutions level + page 3": f"{base}/institutions?level=primary&page=3",
        }
        uncached: dict[str, list[float]] = {name: [] for name in timed}
        for _ in range(args.uncached_runs):
            for name, path in timed.items():
                with app.server.app_context():
                    cache.clear()
                uncached[name].append(_timed(client, path, headers)[0])
        cached = {
            name: [_timed(client, path, headers)[0] for _ in range(args.runs)]
            for name, path in timed.items()
        }
        baseline = p95(cached["baseline: /areas (by ward)"])
        print(f"\nserver time per request, domain {args.slug} (ms); ratio = cached p95 / baseline")
        heads = ("uncached p95", "cached p50", "cached p95", "× baseline")
        print(f"{'read':30} " + " ".join(f"{head:>13}" for head in heads))
        for name in timed:
            hot = p95(cached[name])
            print(
                f"{name:30} {p95(uncached[name]):13.1f} {statistics.median(cached[name]):13.1f} "
                f"{hot:13.1f} {hot / baseline:13.1f}"
            )

        walk_start = time.perf_counter()
        first = _timed(client, f"{base}/institutions?per_page=500", headers)[1]
        for number in range(2, first["pages"] + 1):
            _timed(client, f"{base}/institutions?per_page=500&page={number}", headers)
        walk = (time.perf_counter() - walk_start) * 1000
        print(
            f"\nwalk of every page (per_page=500): {first['total']:,} institutions in "
            f"{first['pages']} pages, {walk:.0f} ms ({walk / first['pages']:.1f} ms a page, "
            f"{walk / first['pages'] / baseline:.1f}× baseline)"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
