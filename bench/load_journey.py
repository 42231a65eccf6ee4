"""What the simulated citizens and leaders of bench/bench_load.py ask for, as tables.

Each row is one request (or, for ``ASSETS``, the page's scripts and styles), in the order a
browser sends them; the report has one line per row name. To follow a change of the map
(another map layer, say), edit ``CITIZEN_JOURNEY``. The map asks for the clusters of its view
(``/api/v1/map/clusters``) on opening, after a search and after zooming in, widened to whole
tiles as assets/map.js does, so that nearby views share cached answers.

Values written ``"{name}"`` are filled per visit from ``Visit`` (a whole-string placeholder
keeps its type, so ``"{id}"`` stays a number in a callback's JSON). The callbacks' inputs
are those the browser sends (captured from headless Chromium on /map and /); an input not
named here is sent as null, like Dash does for a component absent from the page.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from data_access.models.institutions import KINDS
from layouts.map import DEFAULT_CENTER

DASH_UPDATE = "/_dash-update-component"
ASSETS = "ASSETS"  # the method of the row fetching the page's scripts and styles

MAP_KINDS = list(KINDS)  # the map's kind filter starts with every kind checked
MAP_FILTERS = {
    "map-kind.value": MAP_KINDS,
    "map-level.value": [],
    "map-ownership.value": "",
    "map-ward.value": None,
    "map-district.value": None,
    "map-origin.data": None,
}
#: What citizens type: Vietnamese, with and without diacritics, names and kinds.
QUERIES = (
    "trường tiểu học",
    "THPT Nguyễn Du",
    "mầm non Hoa Sen",
    "Lê Quý Đôn",
    "trung tâm ngoại ngữ",
    "thcs tran hung dao",
    "Trần Đại Nghĩa",
    "tiểu học Võ Thị Sáu",
    "giáo dục thường xuyên",
    "mam non sao mai",
)


@dataclass(frozen=True)
class Step:
    """One request of a journey.

    ``name`` is the report's row; ``callback`` (for ``DASH_UPDATE``) is the callback's first
    output ``"id.property"`` and ``values`` its inputs and states ``{"id.property": value}``;
    ``pause`` is True where a person reads or types before the next request.
    """

    name: str
    method: str
    path: str
    callback: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    pause: bool = False


def dash(name: str, callback: str, values: dict[str, Any], *, pause: bool = False) -> Step:
    """A callback request, as the Dash renderer posts it."""
    return Step(name, "POST", DASH_UPDATE, callback, values, pause)


def page_open(path: str) -> tuple[Step, ...]:
    """What every Dash page asks for first: HTML, scripts and styles, layout, callbacks."""
    return (
        Step(f"{path} html", "GET", path),
        Step(f"{path} scripts and styles", ASSETS, path),
        Step(f"{path} _dash-layout", "GET", "/_dash-layout"),
        Step(f"{path} _dash-dependencies", "GET", "/_dash-dependencies"),
        dash(f"{path} callback page-content", "page-content.children", {"url.pathname": path}),
    )


def tile_box(lat: float, lon: float, zoom: int, tiles: int = 2) -> str:
    """``w,s,e,n`` of the ``tiles`` × ``tiles`` whole Web Mercator tiles around a point."""
    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    x0, y0 = x - tiles // 2, y - tiles // 2

    def lat_of(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    west, east = x0 / n * 360 - 180, (x0 + tiles) / n * 360 - 180
    return f"{west:.6f},{lat_of(y0 + tiles):.6f},{east:.6f},{lat_of(y0):.6f}"


#: The clusters' box of the map's first view on a phone (zoom 10 over the page's centre, widened
#: to whole tiles) and the zoom a citizen looks closer at.
FIRST_VIEW = tile_box(*DEFAULT_CENTER, 10, tiles=4)
ZOOMED = 14


#: A citizen on the public map: open it, search, ask for the nearest, open one's details.
CITIZEN_JOURNEY: tuple[Step, ...] = (
    *page_open("/map"),
    dash("callback map-ward", "map-ward.options", {"map-ward.id": "map-ward"}),
    dash("callback map-details", "map-details.children", {"map-selected.data": None}),
    dash(
        "callback map-nearest",
        "map-nearest.children",
        {"map-nearest-kind.value": "", "map-nearest-n.value": 10, "map-radius.value": 0},
    ),
    dash("callback map-results", "map-results.children", {"map-query-sent.data": ""}),
    Step("clusters (first view)", "GET", f"/api/v1/map/clusters?z=10&bbox={FIRST_VIEW}"),
    Step("wards.geojson", "GET", "/api/v1/map/wards.geojson", pause=True),
    Step("/api/v1/search", "GET", "/api/v1/search?q={q}"),
    Step("clusters (search)", "GET", f"/api/v1/map/clusters?z=10&bbox={FIRST_VIEW}&q={{q}}"),
    dash(
        "callback map-results (query)",
        "map-results.children",
        {**MAP_FILTERS, "map-query-sent.data": "{query}"},
        pause=True,
    ),
    Step("clusters (zoomed in)", "GET", f"/api/v1/map/clusters?z={ZOOMED}&bbox={{box}}"),
    Step("/api/v1/nearest", "GET", "/api/v1/nearest?lat={lat}&lon={lon}&n=10", pause=True),
    Step("/api/v1/institutions/<id>", "GET", "/api/v1/institutions/{id}"),
    dash("callback map-details (chosen)", "map-details.children", {"map-selected.data": "{id}"}),
)

CONTROL_ROOM_LAYER = {
    "cr-year.value": None,
    "cr-kpi.value": "class_size_vs_norm",
    "cr-method.value": "natural_breaks",
    "cr-classes.value": 5,
    "cr-geo.value": "ward",
}

#: A leader opening the control room, once signed in (the sign-in is bench_load's).
LEADER_OPEN: tuple[Step, ...] = (
    *page_open("/"),
    dash("callback cr-tiles", "cr-tiles.children", {"cr-refresh.n_intervals": None}),
    dash("callback cr-units-layer", "cr-units-layer.hideout", CONTROL_ROOM_LAYER),
    Step("ward layer", "GET", "/control-room/units/ward.geojson"),
    Step("schools layer", "GET", "/control-room/schools.geojson"),
)

#: The wall screen's refresh (``dcc.Interval`` cr-refresh): the same two callbacks again.
LEADER_TICK: tuple[Step, ...] = (
    dash("tick cr-tiles", "cr-tiles.children", {"cr-refresh.n_intervals": "{tick}"}),
    dash(
        "tick cr-units-layer",
        "cr-units-layer.hideout",
        {**CONTROL_ROOM_LAYER, "cr-refresh.n_intervals": "{tick}"},
    ),
)

#: Where the nearest-institution questions are asked from (central HCMC, lat/lon box).
AREA = (10.72, 10.84, 106.62, 106.74)

#: The leaders' password: their accounts exist only in the bench's own warehouse.
LEADER_PASSWORD = "bench-leader-password-not-for-production"


def leader_names(count: int) -> list[str]:
    """The usernames of ``count`` bench leaders (bench/load_setup.py creates them)."""
    return [f"bench.leader{i:02d}" for i in range(1, count + 1)]


@dataclass
class Visit:
    """The values one visit fills into its steps' placeholders."""

    query: str
    q: str  # the query, quoted for a URL
    lat: float
    lon: float
    box: str = ""  # the zoomed-in view's clusters box
    id: int | None = None
    tick: int = 0

    @classmethod
    def new(cls, rng: random.Random) -> Visit:
        south, north, west, east = AREA
        query = rng.choice(QUERIES)
        lat, lon = round(rng.uniform(south, north), 5), round(rng.uniform(west, east), 5)
        return cls(query=query, q=quote(query), lat=lat, lon=lon, box=tile_box(lat, lon, ZOOMED))


_WHOLE = re.compile(r"^\{(\w+)\}$")


def fill(value: Any, visit: Visit) -> Any:
    """``value`` with its ``{name}`` placeholders replaced by the visit's values."""
    if isinstance(value, str):
        whole = _WHOLE.match(value)
        if whole:
            return getattr(visit, whole.group(1))
        return value.format_map(vars(visit)) if "{" in value else value
    if isinstance(value, list):
        return [fill(item, visit) for item in value]
    return value


def callback_body(dependencies: list[dict[str, Any]], step: Step, visit: Visit) -> dict:
    """The JSON body Dash's renderer posts for ``step``'s callback.

    ``dependencies`` is the parsed ``/_dash-dependencies`` of the page; a callback whose
    first output is not ``step.callback`` is an error naming it (the table is out of date).
    """
    for entry in dependencies:
        if entry.get("clientside_function"):
            continue
        key = entry["output"]
        parts = key.strip(".").split("...")
        if parts[0] != step.callback:
            continue
        outputs = [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
        values = {name: fill(value, visit) for name, value in step.values.items()}

        inputs, state = (
            [
                {**item, "value": values.get(f"{item['id']}.{item['property']}")}
                for item in entry[kind]
            ]
            for kind in ("inputs", "state")
        )
        return {
            "output": key,
            "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": inputs,
            "state": state,
            "changedPropIds": [],
        }
    raise KeyError(f"no server callback with first output {step.callback!r} ({step.name})")


def assets_of(html: str) -> list[str]:
    """The scripts and styles a page's HTML links (what a first visit fetches next)."""
    return re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', html)
