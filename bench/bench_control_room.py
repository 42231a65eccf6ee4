"""Benchmark: server time to render the control room on PostgreSQL, cached against uncached.

One "render" is what the browser asks of the server when a leader opens ``/``: the routed
page layout, the tiles/alerts/freshness callback, the map callback and the ward layer.
Each is posted through Flask's test client (no network), timed, and summed. The uncached
path clears the cache before every render; the cached path renders a warm page; the
invalidation step records a new ingestion batch and renders once (the caches are keyed on
the latest batch, so that render recomputes) and then once more (cached again).

Targets (issue 4): p95 ≤ 300 ms at city scale, ≤ 1 s at national scale. Figures are
printed, with ratios to the uncached path measured in the same run; nothing is asserted.

    python bench/bench_control_room.py --scale city --runs 20
    python bench/bench_control_room.py --scale national --runs 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from data_access import migrate  # noqa: E402
from data_access.db import make_engine  # noqa: E402
from data_access.models import IngestionBatch  # noqa: E402
from tests.helpers import (  # noqa: E402
    add_users,
    call,
    sign_in,
)

TARGET_MS = {"city": 300.0, "national": 1000.0}


def _timed(function) -> float:
    start = time.perf_counter()
    response = function()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code not in (200, 204):
        raise RuntimeError(f"request failed: {response.status_code} {response.data[:300]!r}")
    return elapsed


def render(client, app) -> dict[str, float]:
    """One page open: router, summary callback, map callback, ward layer (ms each)."""
    return {
        "layout": _timed(lambda: call(client, app, "page-content", {"url.pathname": "/"})),
        "summary": _timed(lambda: call(client, app, "cr-tiles", {"cr-rotate.disabled": True})),
        "map": _timed(
            lambda: call(
                client,
                app,
                "cr-units-layer",
                {
                    "cr-kpi.value": "class_size_vs_norm",
                    "cr-method.value": "natural_breaks",
                    "cr-classes.value": 5,
                    "cr-geo.value": "ward",
                },
            )
        ),
        "layer": _timed(
            lambda: client.get(
                "/control-room/units/ward.geojson", headers={"Accept-Encoding": "gzip"}
            )
        ),
    }


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def bench_scale(admin_url: str, scale: str, runs: int, keep: bool) -> None:
    """Seed a scratch database at ``scale`` and time the control room on it."""
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config
    from ioc_app.core.warehouse import cache

    name = f"ioc_bench_{scale}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            connection.commit()
        migrate.upgrade(engine)
        from data_access.seed import seed_warehouse

        start = time.perf_counter()
        report = seed_warehouse(engine, scale=scale, seed=0)
        print(
            f"\n== {scale}: seeded in {time.perf_counter() - start:.1f} s "
            f"({getattr(report, 'rows', {}).get('institution', '?')} institutions)"
        )
        add_users(engine)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))  # fresh bulk loads have no planner statistics
        app = create_app(test_config(url))
        client = app.server.test_client()
        sign_in(client, "leader")

        uncached = []
        for _ in range(runs):
            with app.server.app_context():
                cache.clear()
            uncached.append(render(client, app))
        render(client, app)  # warm
        cached = [render(client, app) for _ in range(runs)]
        with engine.begin() as connection:
            connection.execute(
                insert(IngestionBatch).values(
                    dataset="bench",
                    domain_id=1,
                    source_system="bench",
                    started_at=datetime.now(),
                    finished_at=datetime.now(),
                    status="done",
                )
            )
        after_ingest = render(client, app)
        again = render(client, app)
        _report(scale, uncached, cached, after_ingest, again)
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            print(f"kept database {name}")


def _report(
    scale: str,
    uncached: list[dict[str, float]],
    cached: list[dict[str, float]],
    after_ingest: dict[str, float],
    again: dict[str, float],
) -> None:
    parts = list(uncached[0])
    print(f"{'part':<10}{'uncached p50':>14}{'p95':>9}{'cached p50':>13}{'p95':>9}{'ratio':>9}")
    for part in [*parts, "total"]:

        def series(rows: list[dict[str, float]], key: str = part) -> list[float]:
            return [sum(r.values()) if key == "total" else r[key] for r in rows]

        u, c = series(uncached), series(cached)
        ratio = statistics.median(u) / max(statistics.median(c), 1e-9)
        print(
            f"{part:<10}{statistics.median(u):>12.1f}ms{p95(u):>7.1f}ms"
            f"{statistics.median(c):>11.1f}ms{p95(c):>7.1f}ms{ratio:>8.1f}x"
        )
    total_p95 = p95([sum(r.values()) for r in cached])
    target = TARGET_MS[scale]
    verdict = "within" if total_p95 <= target else "ABOVE"
    print(f"cached render p95 {total_p95:.1f} ms: {verdict} the {target:.0f} ms target")
    print(
        f"first render after a new ingestion batch: {sum(after_ingest.values()):.1f} ms "
        f"(recomputed), next one {sum(again.values()):.1f} ms (cached again)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=("city", "national", "both"), default="city")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--pg-url", default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    scales = ("city", "national") if args.scale == "both" else (args.scale,)
    for scale in scales:
        bench_scale(args.pg_url, scale, args.runs, args.keep)


if __name__ == "__main__":
    main()
