"""Load test (issue 13): citizens on the public map and leaders on the control room at once.

200 citizens arrive at 20 a second, each opening /map as a browser does (HTML, Dash's layout,
dependencies and callbacks, the map layers; with ``--assets`` also the page's scripts and
styles on a user's first visit — fingerprinted and immutable, a returning visitor has them),
searching a Vietnamese query, asking for the nearest institutions and opening one's details,
then starting again; 20 leaders sign in, open the control room and follow its wall-screen
refresh (every 10 s instead of 60 s, so that a run sees several). It runs for 60 s against
the README's production command (gunicorn with gunicorn.conf.py) on a national warehouse in
PostgreSQL (database ``ioc_bench_load_national``, seeded by bench/load_setup.py when empty
and kept for reruns; ``--drop`` removes it after the run). Before measuring, every public GET
of the journey is asked a few times at once, so that each worker has built its caches.

Printed per row of the journeys (bench/load_journey.py): requests, errors, p50, p95, mean
size; then the throughput, and the same journeys against the floor — a bare Flask route
serving a cached body of the size the app answered for each row, under the same gunicorn
settings, in the same run — as a ratio. Nothing is asserted; errors make the exit status 1.
The load generator (locust, as a library) shares the machine's cores with the server.

    python bench/bench_load.py                 # national, PostgreSQL, 200 + 20 users, 60 s
    python bench/bench_load.py --quick         # city, SQLite, 20 + 2 users, 10 s (smoke run)
    python bench/bench_load.py --worker-class sync gthread gevent --seconds 30

Every client comes from 127.0.0.1, so the public per-address rate limit is raised for the
server under test (IOC_RATE_LIMIT); the sign-in limit (20 a minute) is kept.
"""

from __future__ import annotations

# isort: off
import locust  # noqa: F401 - first: locust patches the standard library with gevent, so
# time.sleep and threads below are gevent's: they yield to the simulated users
# isort: on

import argparse
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from locust import FastHttpUser, HttpUser, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.stats import StatsEntry  # noqa: E402

from bench.load_journey import (  # noqa: E402
    ASSETS,
    CITIZEN_JOURNEY,
    DASH_UPDATE,
    LEADER_OPEN,
    LEADER_PASSWORD,
    LEADER_TICK,
    Step,
    Visit,
    assets_of,
    callback_body,
    fill,
    leader_names,
)

NATIONAL_PG = "postgresql+psycopg2://postgres@127.0.0.1:5432/ioc_bench_load_national"
SIGN_IN = "/login sign-in"


@dataclass
class Plan:
    """What the simulated users read while a run goes on (set before each run)."""

    pause: tuple[float, float] = (0.5, 1.5)  # a person reading or typing, seconds
    tick_s: float = 10.0  # the wall screen's refresh (60 s in the app), compressed
    assets: bool = False  # fetch a page's scripts and styles on the user's first visit
    floor: dict[str, int] | None = None  # row name -> bytes, when running against the floor
    assets_per_page: dict[str, int] = field(default_factory=dict)
    dependencies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(13))


PLAN = Plan()


class Walker:
    """Sends one step of a journey, against the app or (``PLAN.floor``) the floor."""

    client: Any
    role = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assets: list[str] = []  # the scripts and styles of the page last opened
        self.cached: set[str] = set()  # pages whose scripts and styles this user holds

    def send(self, step: Step, visit: Visit) -> None:
        if step.method == ASSETS and (not PLAN.assets or step.name in self.cached):
            pass  # off (--assets), or fingerprinted and immutable: a returning visitor has them
        elif PLAN.floor is not None:
            self._floor(step)
        elif step.method == ASSETS:
            for path in self.assets:
                self.client.get(path, name=step.name)
        elif step.path == DASH_UPDATE:
            body = callback_body(PLAN.dependencies[self.role], step, visit)
            self.client.post(DASH_UPDATE, json=body, name=step.name)
        else:
            self._get(step, visit)
        if step.method == ASSETS:
            self.cached.add(step.name)
        if step.pause:
            time.sleep(PLAN.rng.uniform(*PLAN.pause))

    def _floor(self, step: Step) -> None:
        """The step's request sent to the floor: a cached body of the app's size for it."""
        count = PLAN.assets_per_page.get(step.name, 1) if step.method == ASSETS else 1
        method = "GET" if step.method == ASSETS else step.method
        for _ in range(count):
            self.client.request(method, f"/floor/{PLAN.floor.get(step.name, 0)}", name=step.name)

    def _get(self, step: Step, visit: Visit) -> None:
        response = self.client.get(fill(step.path, visit), name=step.name)
        if response.status_code != 200:
            return
        if step.name.endswith(" html"):
            self.assets = assets_of(response.text)
            PLAN.assets_per_page[step.name.replace(" html", " scripts and styles")] = len(
                self.assets
            )
        elif step.path == "/_dash-dependencies" and self.role not in PLAN.dependencies:
            PLAN.dependencies[self.role] = response.json()
        elif step.path.startswith("/api/v1/") and visit.id is None:
            results = response.json().get("results") or []
            visit.id = results[0]["id"] if results else None


class Citizen(Walker, FastHttpUser):
    """A citizen on the public map, again and again (scripts and styles fetched once)."""

    role = "citizen"

    def wait_time(self) -> float:
        return 0.0

    @task
    def journey(self) -> None:
        visit = Visit.new(PLAN.rng)
        for step in CITIZEN_JOURNEY:
            if step.path.startswith("/api/v1/institutions/") and visit.id is None:
                continue  # neither the search nor the nearest found anything to open
            self.send(step, visit)


class Leader(Walker, HttpUser):
    """A leader: signs in, opens the control room, then follows its refresh."""

    role = "leader"
    fixed_count = 20
    _names: list[str] = []

    def wait_time(self) -> float:
        return PLAN.tick_s

    def on_start(self) -> None:
        self.visit = Visit.new(PLAN.rng)
        name = Leader._names.pop() if Leader._names else leader_names(1)[0]
        if PLAN.floor is not None:
            self.client.post(f"/floor/{PLAN.floor.get(SIGN_IN, 0)}", name=SIGN_IN)
        else:
            body = {"username": name, "password": LEADER_PASSWORD}
            self.client.post("/login", json=body, name=SIGN_IN)
            for cookie in self.client.cookies:  # the cookie is Secure; this is plain loopback
                cookie.secure = False
        for step in LEADER_OPEN:
            self.send(step, self.visit)

    @task
    def tick(self) -> None:
        self.visit.tick += 1
        for step in LEADER_TICK:
            self.send(step, self.visit)


def run_load(host: str, citizens: int, leaders: int, rate: float, seconds: float) -> Environment:
    """Spawn the users at ``rate`` a second, run ``seconds`` in all, stop them: the stats."""
    Leader.fixed_count = leaders
    Leader._names = leader_names(leaders)
    env = Environment(user_classes=[Citizen, Leader], host=host)
    runner = env.create_local_runner()
    runner.start(citizens + leaders, spawn_rate=rate)
    time.sleep(seconds)
    runner.quit()
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """``gunicorn -c gunicorn.conf.py`` serving ``target`` on a free port, as in production."""

    def __init__(self, target: str, env: dict[str, str], settings: list[str], log: Path) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        command += ["-b", self.url.removeprefix("http://"), *settings, target]
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait(self, probe: str, timeout: float = 300) -> None:
        """Until ``probe`` answers 200 (the app loaded), or a clear error."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}): see {self.log}")
            try:
                with urllib.request.urlopen(self.url + probe, timeout=30) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer {probe} within {timeout:.0f} s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


def server_env(database_url: str) -> dict[str, str]:
    """The production environment of the server under test (no development shortcuts)."""
    env = {k: v for k, v in os.environ.items() if k not in ("IOC_ENV", "REDIS_URL")}
    env.update(
        DATABASE_URL=database_url,
        IOC_SECRET_KEY=secrets.token_hex(32),
        IOC_RATE_LIMIT="1000000/minute",  # every simulated client is 127.0.0.1
        PYTHONPATH=str(REPO),
    )
    return env


def warm_up(url: str, concurrency: int = 8) -> None:
    """Ask every public GET of the citizens' journey ``concurrency`` times at once, so that
    each worker builds its caches (the registry, the search index) before the measurement:
    a deployment is warm when citizens arrive. The control room's caches are left cold."""
    started = time.perf_counter()
    visit = Visit.new(random.Random(0))
    paths = [fill(s.path, visit) for s in CITIZEN_JOURNEY if s.method == "GET"]
    paths = [path for path in paths if "{" not in path and "None" not in path]

    def fetch(path: str) -> None:
        request = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()

    for path in paths:
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(fetch, [path] * concurrency))
    elapsed = time.perf_counter() - started
    print(f"  warm-up: {len(paths)} public GETs x {concurrency} at once, {elapsed:.0f} s")


def worker_settings(worker_class: str, threads: int) -> list[str]:
    """gunicorn options overriding gunicorn.conf.py's worker class ('' keeps the file's)."""
    if not worker_class:
        return []
    settings = ["-k", worker_class]
    if worker_class == "gthread":
        settings += ["--threads", str(threads)]
    return settings


def measure(args: argparse.Namespace, database_url: str, worker_class: str) -> int:
    """The app, then the floor, under the same load and gunicorn settings: the report."""
    settings = worker_settings(worker_class, args.threads)
    log = Path(tempfile.gettempdir()) / "bench-load-gunicorn.log"
    label = worker_class or "gunicorn.conf.py"
    print(f"\n== {label}: {args.citizens} citizens + {args.leaders} leaders, {args.seconds:.0f} s")
    PLAN.floor, PLAN.dependencies, PLAN.assets_per_page = None, {}, {}
    app = Gunicorn("wsgi:server", server_env(database_url), settings, log)
    try:
        app.wait("/healthz")
        warm_up(app.url)
        ours = run_load(app.url, args.citizens, args.leaders, args.rate, args.seconds)
    finally:
        app.stop()
    PLAN.floor = {
        name: round(entry.avg_content_length) for (name, _), entry in ours.stats.entries.items()
    }
    floor_server = Gunicorn("bench.load_floor:server", server_env(database_url), settings, log)
    try:
        floor_server.wait("/floor/1")
        floor = run_load(floor_server.url, args.citizens, args.leaders, args.rate, args.seconds)
    finally:
        floor_server.stop()
    return report(ours, floor, args.seconds)


def report(ours: Environment, floor: Environment, seconds: float) -> int:
    """Print the table and the ratios; the number of errors (failures and exceptions)."""
    order = [SIGN_IN, *(s.name for s in (*CITIZEN_JOURNEY, *LEADER_OPEN, *LEADER_TICK))]
    entries = {name: entry for (name, _), entry in ours.stats.entries.items()}
    print(f"  {'row':<40}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'bytes':>10}")
    for name in dict.fromkeys(order):
        entry = entries.get(name)
        if entry is None:
            continue
        print(
            f"  {name:<40}{entry.num_requests:>9}{entry.num_failures:>8}"
            f"{entry.get_response_time_percentile(0.5):>8.0f}"
            f"{entry.get_response_time_percentile(0.95):>8.0f}{entry.avg_content_length:>10.0f}"
        )
    control = StatsEntry(ours.stats, "control room", "")
    for step in (*LEADER_OPEN, *LEADER_TICK):
        if step.method != ASSETS and step.name in entries:
            control.extend(entries[step.name])
    total, floor_total = ours.stats.total, floor.stats.total
    errors = sum(
        env.stats.total.num_failures + sum(e["count"] for e in env.runner.exceptions.values())
        for env in (ours, floor)
    )
    ours_rps, floor_rps = total.num_requests / seconds, floor_total.num_requests / seconds
    print(
        f"  all: {total.num_requests} requests, {errors} errors, "
        f"p50 {total.get_response_time_percentile(0.5):.0f} ms, "
        f"p95 {total.get_response_time_percentile(0.95):.0f} ms, {ours_rps:.1f} requests/s"
    )
    if control.num_requests:
        print(
            f"  control room (leaders' requests, scripts aside): "
            f"p50 {control.get_response_time_percentile(0.5):.0f} ms, "
            f"p95 {control.get_response_time_percentile(0.95):.0f} ms"
        )
    print(
        f"  floor (bare Flask, cached bodies of the same sizes, same gunicorn settings): "
        f"{floor_rps:.1f} requests/s, p95 {floor_total.get_response_time_percentile(0.95):.0f} ms"
        f" -> throughput ours/floor {ours_rps / floor_rps:.2f}"
    )
    missing = [s.name for s in CITIZEN_JOURNEY if s.name not in entries]
    if missing:
        print(f"  not reached within the run (sent to the floor as empty bodies): {missing}")
    for label, env in (("", ours), ("floor ", floor)):
        for failure in list(env.stats.errors.values())[:5]:
            print(f"  {label}error: {failure.method} {failure.name}: {failure.error}", end="")
            print(f" ×{failure.occurrences}")
    for exception in [*ours.runner.exceptions.values(), *floor.runner.exceptions.values()][:3]:
        print(f"  exception: {exception['msg']} ×{exception['count']}")
    return errors


def prepare(url: str, scale: str, leaders: int) -> None:
    """Seed the warehouse if empty and add the leaders, in a process of its own."""
    command = [sys.executable, str(REPO / "bench" / "load_setup.py"), "--url", url]
    subprocess.run([*command, "--scale", scale, "--leaders", str(leaders)], check=True)


def drop(url: str) -> None:
    command = "from bench.load_setup import drop_database; import sys; drop_database(sys.argv[1])"
    subprocess.run([sys.executable, "-c", command, url], check=True, cwd=REPO)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="city, SQLite, 20+2 users, 10 s")
    parser.add_argument("--url", default=None, help="DATABASE_URL of the warehouse to load")
    parser.add_argument("--citizens", type=int, default=None)
    parser.add_argument("--leaders", type=int, default=None)
    parser.add_argument("--rate", type=float, default=20.0, help="arrivals per second")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument(
        "--assets", action="store_true", help="fetch scripts and styles on each first visit"
    )
    parser.add_argument(
        "--worker-class", nargs="+", default=[""], help="gunicorn -k values to compare"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads of gthread workers")
    parser.add_argument("--drop", action="store_true", help="drop the bench database after")
    args = parser.parse_args()
    quick = args.quick
    args.citizens = args.citizens if args.citizens is not None else (20 if quick else 200)
    args.leaders = args.leaders if args.leaders is not None else (2 if quick else 20)
    args.seconds = args.seconds if args.seconds is not None else (10.0 if quick else 60.0)
    scale = "city" if quick else "national"
    url = args.url or (
        f"sqlite:///{REPO / 'instance' / 'bench-load-city.sqlite'}" if quick else NATIONAL_PG
    )
    PLAN.assets = args.assets
    prepare(url, scale, max(args.leaders, 1))
    errors = 0
    try:
        for worker_class in args.worker_class:
            errors += measure(args, url, worker_class)
    finally:
        if args.drop:
            drop(url)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
