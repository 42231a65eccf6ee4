"""Benchmark: server time of /plan's data callbacks, of its punctuality view and of the
quarter's themes, at the seeded city (hundreds of thousands of report rows), on SQLite.

Each callback is posted through Flask's test client (no network) as a signed-in leader.
"Uncached" clears the cache before every call; "cached" calls a warm page. The baseline,
measured in the same run, is the page's cheapest callback (the quarter and unit choices,
cached), so ratios say how much heavier each view is than a trivial round trip. The themes
are also timed as the service alone (clustering two quarters of statements), uncached.

Targets (issue 10): /plan and punctuality p95 ≤ 300 ms cached; themes ≤ 2 s uncached.
Figures are printed; nothing is asserted.

    python bench/bench_plan.py [--runs 20] [--uncached-runs 5] [--quarter 2026Q3]
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

from sqlalchemy import func, select  # noqa: E402

from data_access import migrate  # noqa: E402
from data_access.db import make_engine  # noqa: E402
from data_access.models import QuarterlyReport, ReportVersion, TaskProgress  # noqa: E402
from ioc_app.core import ids  # noqa: E402
from tests.helpers import add_users, call, sign_in  # noqa: E402

TARGET_MS = 300.0
TARGET_THEMES_S = 2.0


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _timed(function) -> float:
    start = time.perf_counter()
    response = function()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"request failed: {response.status_code} {response.data[:300]!r}")
    return elapsed


def views(client, app, quarter: str) -> dict[str, object]:
    """What each timed view posts: name → a function making the request."""
    filters = {
        f"{ids.PLAN_QUARTER}.value": quarter,
        f"{ids.PLAN_UNIT}.value": [],
        f"{ids.PLAN_STATUS}.value": "all",
        f"{ids.PLAN_KIND}.value": "all",
    }
    chosen = {f"{ids.PLAN_QUARTER}.value": quarter}
    return {
        "baseline (choices)": lambda: call(
            client, app, ids.PLAN_QUARTER, {f"{ids.PLAN_PARAMS}.data": {"quarter": quarter}}
        ),
        "plan (tiles, chart, tasks)": lambda: call(client, app, ids.PLAN_TILES, filters),
        "punctuality (unit, kind, ward)": lambda: call(client, app, ids.PLAN_REPORTS_NOTE, chosen),
        "themes panel": lambda: call(client, app, ids.PLAN_THEMES, chosen),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--uncached-runs", type=int, default=5)
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="an already seeded city with the test users (tests.helpers.add_users), "
        "instead of seeding a scratch one",
    )
    args = parser.parse_args()

    from data_access.seed import seed_warehouse
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config
    from ioc_app.core.warehouse import cache
    from ioc_app.services import quarter_reports
    from ioc_app.services.indicators import version

    with tempfile.TemporaryDirectory(prefix="bench_plan_") as folder:
        url = args.database or f"sqlite:///{folder}/city.sqlite"
        engine = make_engine(url)
        start = time.perf_counter()
        if not args.database:
            migrate.upgrade(engine)
            seed_warehouse(engine, scale="city", seed=0)
            add_users(engine)
        with engine.connect() as connection:
            sizes = {
                model.__tablename__: connection.execute(
                    select(func.count()).select_from(model)
                ).scalar()
                for model in (QuarterlyReport, TaskProgress, ReportVersion)
            }
        print(
            f"city ready in {time.perf_counter() - start:.1f} s: "
            + ", ".join(f"{name} {count:,}" for name, count in sizes.items())
        )
        app = create_app(test_config(url))
        client = app.server.test_client()
        sign_in(client, "leader")
        timed = views(client, app, args.quarter)

        uncached: dict[str, list[float]] = {name: [] for name in timed}
        for _ in range(args.uncached_runs):
            for name, request in timed.items():
                with app.server.app_context():
                    cache.clear()
                uncached[name].append(_timed(request))
        for request in timed.values():
            _timed(request)  # warm
        cached = {
            name: [_timed(request) for _ in range(args.runs)] for name, request in timed.items()
        }

        base = p95(cached["baseline (choices)"])
        print(f"\nserver time per callback, quarter {args.quarter} (ms)")
        print(f"target: p95 ≤ {TARGET_MS:.0f} ms cached; ratio = cached p95 / baseline's")
        heads = ("uncached p95", "cached p50", "cached p95", "× baseline")
        print(f"{'view':32} " + " ".join(f"{head:>13}" for head in heads))
        for name in timed:
            hot = p95(cached[name])
            print(
                f"{name:32} {p95(uncached[name]):13.1f} {statistics.median(cached[name]):13.1f} "
                f"{hot:13.1f} {hot / base:13.1f}"
            )

        with app.server.app_context():
            v, rv = version(), quarter_reports.reports_version()
            service = []
            for _ in range(3):
                cache.clear()
                begun = time.perf_counter()
                found = quarter_reports.themes(v, rv, args.quarter)
                service.append(time.perf_counter() - begun)
            begun = time.perf_counter()
            quarter_reports.themes(v, rv, args.quarter)
            warm = time.perf_counter() - begun
        statements = sum(view.theme.statements for view in found)
        print(
            f"\nthemes of {args.quarter} (service, {len(found)} themes, {statements:,} statements "
            f"this quarter): uncached median {statistics.median(service):.2f} s "
            f"(target ≤ {TARGET_THEMES_S:.0f} s), cached {warm * 1000:.1f} ms, "
            f"{statistics.median(service) / warm:.0f}× faster cached"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
