"""Grid clustering: every point in the box is counted once, at every zoom; clusters split."""

from __future__ import annotations

import numpy as np
import pytest

from geo.clusters import CLUSTER_MAX_ZOOM, cluster_points, mercator, span_px

CITY = (106.3, 10.3, 107.1, 11.2)


def _points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random points around the city, some stacked on one spot, one without coordinates."""
    rng = np.random.default_rng(seed)
    lon = rng.normal(106.7, 0.12, n)
    lat = rng.normal(10.8, 0.12, n)
    lon[:5], lat[:5] = 106.70001, 10.77001  # five institutions at one address
    lon[5] = np.nan
    return lon, lat


def _inside(lon, lat, box) -> np.ndarray:
    return (lon >= box[0]) & (lon <= box[2]) & (lat >= box[1]) & (lat <= box[3])


@pytest.mark.parametrize("zoom", range(0, 19))
def test_every_point_of_the_box_is_one_single_or_in_one_cluster(zoom: int) -> None:
    lon, lat = _points(3000)
    rng = np.random.default_rng(zoom)
    keep = rng.random(len(lon)) < 0.7
    found = cluster_points(lon, lat, zoom=zoom, bbox=CITY, keep=keep)
    expected = int((_inside(lon, lat, CITY) & keep).sum())
    assert found.total == expected
    assert len(np.unique(found.singles)) == len(found.singles)
    assert keep[found.singles].all() and _inside(lon[found.singles], lat[found.singles], CITY).all()
    assert (found.count >= 2).all()
    if zoom > CLUSTER_MAX_ZOOM:
        assert len(found.count) == 0 and len(found.singles) == expected
    # each cluster's centre lies within the box of the points it counts
    assert _inside(found.lon, found.lat, CITY).all()


def test_a_random_box_counts_the_points_inside_it() -> None:
    lon, lat = _points(5000, seed=3)
    rng = np.random.default_rng(11)
    for _ in range(20):
        west, south = rng.uniform(106.4, 106.9), rng.uniform(10.5, 11.0)
        box = (west, south, west + rng.uniform(0.01, 0.3), south + rng.uniform(0.01, 0.3))
        zoom = int(rng.integers(7, 17))
        assert cluster_points(lon, lat, zoom=zoom, bbox=box).total == _inside(lon, lat, box).sum()


def test_the_same_cell_makes_the_same_cluster_whatever_box_asks() -> None:
    lon, lat = _points(3000, seed=5)
    city = _inside(lon, lat, CITY)
    whole = cluster_points(lon, lat, zoom=9, bbox=CITY, keep=city)
    wider = cluster_points(lon, lat, zoom=9, bbox=(100.0, 5.0, 112.0, 20.0), keep=city)
    assert whole.total == wider.total == city.sum()
    assert sorted(whole.cell.tolist()) == sorted(wider.cell.tolist())


def test_a_cluster_splits_at_its_expansion_zoom() -> None:
    lon, lat = _points(2000, seed=7)
    found = cluster_points(lon, lat, zoom=10, bbox=CITY)
    for i in range(len(found.count)):
        size = found.count[i]
        deeper = int(found.expansion_zoom[i])
        assert deeper > 10
        # the cluster's own box, seen one zoom before and at its expansion zoom
        box = _cell_box(int(found.cell[i]), 10)
        if deeper > CLUSTER_MAX_ZOOM:
            continue
        before = cluster_points(lon, lat, zoom=deeper - 1, bbox=box)
        after = cluster_points(lon, lat, zoom=deeper, bbox=box)
        assert before.total == after.total == size
        assert len(before.count) == 1 and len(before.singles) == 0  # still one cluster
        assert len(after.count) + len(after.singles) > 1  # now several
    # the five institutions at one address only part when drawn singly
    spot = (106.69, 10.76, 106.71, 10.78)
    last = cluster_points(lon, lat, zoom=CLUSTER_MAX_ZOOM, bbox=spot)
    assert CLUSTER_MAX_ZOOM + 1 in last.expansion_zoom[last.count >= 5].tolist()
    assert len(cluster_points(lon, lat, zoom=CLUSTER_MAX_ZOOM + 1, bbox=spot).count) == 0


def _cell_box(cell: int, zoom: int) -> tuple[float, float, float, float]:
    """The degrees of a grid cell of ``geo.clusters`` (inverse of its key), shrunk by a hair
    so that no point on a neighbour's edge is counted."""
    from geo.clusters import CLUSTER_RADIUS_PX, TILE_PX

    per_axis = int(np.ceil(TILE_PX * 2.0**zoom / CLUSTER_RADIUS_PX))
    ix, iy = divmod(cell, per_axis)
    x0, x1 = ix / per_axis, (ix + 1) / per_axis
    y0, y1 = iy / per_axis, (iy + 1) / per_axis
    lon0, lon1 = x0 * 360 - 180, x1 * 360 - 180
    lat1, lat0 = (float(np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * y))))) for y in (y0, y1))
    eps = 1e-9
    return lon0 + eps, lat0 + eps, lon1 - eps, lat1 - eps


def test_mercator_and_pixel_spans() -> None:
    x, y = mercator(np.array([-180.0, 0.0, 180.0]), np.array([0.0, 0.0, 0.0]))
    assert x.tolist() == [0.0, 0.5, 1.0] and np.allclose(y, 0.5)
    width, height = span_px((-180, -85.05112878, 180, 85.05112878), 0)
    assert width == pytest.approx(256) and height == pytest.approx(256, rel=1e-6)
    assert span_px(CITY, 10)[0] == pytest.approx(0.8 / 360 * 256 * 1024)
