"""Bytes on the wire of a citizen's first visit to /map, with and without compression.

Both are measured in the same run against the same app (a client that accepts gzip, and
one that does not), so the ratio is what compression saves; the points layer is counted
apart because it grows with the registry while nothing else on the page should (issue 13).

    python bench/bench_wire.py [--scale city|national] [--url DATABASE_URL]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_map import warehouse
from ioc_app.app import create_app
from ioc_app.core.config import test_config

LAYERS = ("/api/v1/map/points.geojson", "/api/v1/map/wards.geojson")


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
    sizes["map layers"] = sum(len(client.get(p, headers=headers).data) for p in LAYERS)
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
    print(f"  without the map layers (does not grow with the registry): {page_only:,} bytes")


if __name__ == "__main__":
    main()
