"""Bytes on the wire of a citizen's first visit to /map, with and without compression.

Both are measured in the same run against the same app (a client that accepts gzip, and
one that does not), so the ratio is what compression saves. The map layers of a first visit
are the ward polygons and the clusters of the initial view, asked for as assets/map.js asks
on a phone (a 372 x 462 px map, the 390 px layout); the whole registry as one layer
(points.geojson, which the page no longer downloads) is printed beside them as the baseline
that grows with the registry (issue 13).

    python bench/bench_wire.py [--scale city|national] [--url DATABASE_URL]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_map import warehouse
from geo.clusters import TILE_PX, mercator
from ioc_app.app import create_app
from ioc_app.core.config import test_config
from layouts.map import DEFAULT_CENTER, DEFAULT_ZOOM

WARDS = "/api/v1/map/wards.geojson"
POINTS = "/api/v1/map/points.geojson"
PHONE_MAP_PX = (372, 462)  # the map's size in the 390 px wide layout


def initial_clusters(width: int, height: int) -> str:
    """The clusters address of a first visit, as assets/map.js builds it (``viewBox``): the
    default view widened to whole 256 px tiles."""
    zoom, (lat, lon) = DEFAULT_ZOOM, DEFAULT_CENTER
    x, y = mercator(np.array([lon]), np.array([lat]))
    world = TILE_PX * 2**zoom
    px, py = float(x[0]) * world, float(y[0]) * world
    x0, x1 = (math.floor((px - width / 2) / TILE_PX), math.ceil((px + width / 2) / TILE_PX))
    y0, y1 = (math.floor((py - height / 2) / TILE_PX), math.ceil((py + height / 2) / TILE_PX))

    def degrees(tx: int, ty: int) -> tuple[float, float]:
        lon_ = tx * TILE_PX / world * 360 - 180
        lat_ = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty * TILE_PX / world))))
        return round(lon_, 6), round(lat_, 6)

    (west, north), (east, south) = degrees(x0, y0), degrees(x1, y1)
    return f"/api/v1/map/clusters?z={zoom}&bbox={west},{south},{east},{north}"


def first_visit(client, encoding: str | None) -> dict[str, int]:
    """Bytes of every response a first visit of /map fetches, grouped."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    page = client.get("/map", headers=headers)
    html = client.get("/map").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', html)
    sizes = {"html": len(page.data), "scripts and styles": 0, "layout and callbacks": 0}
    for path in assets:
        sizes["scripts and styles"] += len(client.get(path, headers=headers).data)
    for path in ("/_dash-layout", "/_dash-dependencies"):
        sizes["layout and callbacks"] += len(client.get(path, headers=headers).data)
    layers = (WARDS, initial_clusters(*PHONE_MAP_PX))
    sizes["map layers"] = sum(len(client.get(p, headers=headers).data) for p in layers)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="city", choices=("city", "national"))
    parser.add_argument("--url", default=None, help="a seeded DATABASE_URL (else one is built)")
    args = parser.parse_args()
    app = create_app(test_config(warehouse(args.scale, args.url)))
    client = app.server.test_client()
    plain, packed = first_visit(client, None), first_visit(client, "gzip, deflate, br")
    print(f"/map first visit, {args.scale} scale (bytes)")
    print(f"  {'part':<22}{'uncompressed':>14}{'gzip':>12}{'ratio':>8}")
    for part in plain:
        print(
            f"  {part:<22}{plain[part]:>14,}{packed[part]:>12,}{packed[part] / plain[part]:>8.2f}"
        )
    total_plain, total_packed = sum(plain.values()), sum(packed.values())
    ratio = total_packed / total_plain
    print(f"  {'total':<22}{total_plain:>14,}{total_packed:>12,}{ratio:>8.2f}")
    page_only = total_packed - packed["map layers"]
    print(f"  without the map layers: {page_only:,} bytes")
    clusters = client.get(initial_clusters(*PHONE_MAP_PX), headers={"Accept-Encoding": "gzip"})
    points = client.get(POINTS, headers={"Accept-Encoding": "gzip"})
    print(f"  clusters of the first view (gzip): {len(clusters.data):,} bytes")
    print(
        f"  baseline, the whole registry as points.geojson (gzip, no longer fetched): "
        f"{len(points.data):,} bytes; first visit with it instead of the clusters "
        f"{total_packed - len(clusters.data) + len(points.data):,} bytes "
        f"(clusters: {total_packed / (total_packed - len(clusters.data) + len(points.data)):.2f}x)"
    )


if __name__ == "__main__":
    main()
