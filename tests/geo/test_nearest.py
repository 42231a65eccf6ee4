"""Nearest-N and radius queries, checked against an independent great-circle formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.nearest import EARTH_RADIUS_M, haversine_m, nearest


def vincenty_sphere_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance by the spherical Vincenty (atan2) formula, not haversine."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    num = math.hypot(
        math.cos(p2) * math.sin(dl),
        math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl),
    )
    den = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return EARTH_RADIUS_M * math.atan2(num, den)


def test_one_hundredth_degree_along_a_meridian() -> None:
    d = haversine_m(np.array([106.7]), np.array([10.78]), at=(106.7, 10.77))
    assert d[0] == pytest.approx(1111.95, abs=0.01)
    assert d[0] == pytest.approx(EARTH_RADIUS_M * math.radians(0.01), rel=1e-9)


def test_known_pair_in_hcmc() -> None:
    # Bến Thành market -> Nhà thờ Đức Bà (Notre-Dame cathedral), about 1.4 km apart
    ben_thanh, notre_dame = (106.6981, 10.7725), (106.6990, 10.7798)
    d = haversine_m(notre_dame[0], notre_dame[1], at=ben_thanh)
    assert float(d) == pytest.approx(vincenty_sphere_m(*ben_thanh, *notre_dame), abs=1e-6)
    assert 800 < float(d) < 900


def test_antimeridian_and_poles() -> None:
    d = haversine_m(np.array([-179.95, 0.0]), np.array([0.0, -90.0]), at=(179.95, 0.0))
    assert d[0] == pytest.approx(vincenty_sphere_m(179.95, 0.0, -179.95, 0.0), rel=1e-9)
    assert d[1] == pytest.approx(EARTH_RADIUS_M * math.pi / 2, rel=1e-12)


coords = st.tuples(st.floats(106.3, 107.1, allow_nan=False), st.floats(10.3, 11.2, allow_nan=False))


@settings(max_examples=100, deadline=None)
@given(st.lists(coords, min_size=1, max_size=60), coords, st.integers(0, 70))
def test_nearest_matches_brute_force(
    points: list[tuple[float, float]], at: tuple[float, float], n: int
) -> None:
    lon = np.array([p[0] for p in points])
    lat = np.array([p[1] for p in points])
    idx, dist = nearest(lon, lat, at=at, n=n)
    expected = sorted(range(len(points)), key=lambda i: (vincenty_sphere_m(*at, *points[i]), i))
    assert len(idx) == min(n, len(points))
    assert np.all(np.diff(dist) >= 0)
    ref = [vincenty_sphere_m(*at, *points[i]) for i in idx]
    assert np.allclose(dist, ref, atol=1e-6)
    # same distances as the reference order (indices may differ only between near-equal points)
    assert np.allclose(dist, [vincenty_sphere_m(*at, *points[i]) for i in expected[:n]], atol=1e-6)


def test_radius_mask_and_nan() -> None:
    at = (106.70, 10.77)
    lat = 10.77 + np.array([0.0, 0.001, 0.002, 0.003, 0.004, np.nan, 0.0005])
    lon = np.full(len(lat), 106.70)
    idx, dist = nearest(lon, lat, at=at, n=None, radius_m=300.0)
    # 0.001 degree of latitude = 111.195 m
    assert idx.tolist() == [0, 6, 1, 2]
    assert dist == pytest.approx([0.0, 55.5975, 111.195, 222.39], abs=1e-3)
    mask = np.array([False, True, True, True, True, True, False])
    idx, _ = nearest(lon, lat, at=at, n=2, mask=mask)
    assert idx.tolist() == [1, 2]
    idx, _ = nearest(lon, lat, at=at, n=10, radius_m=150.0, mask=mask)
    assert idx.tolist() == [1]
    assert nearest(lon, lat, at=at, n=0)[0].size == 0


def test_equal_distances_are_ordered_by_position() -> None:
    # east and west of the point by the same (binary-exact) offset: exactly the same distance
    lon = np.array([106.75, 106.625, 106.375, 106.5])
    lat = np.full(4, 10.5)
    idx, dist = nearest(lon, lat, at=(106.5, 10.5), n=3)
    assert dist[1] == dist[2]
    assert idx.tolist() == [3, 1, 2]
    assert nearest(lon, lat, at=(106.5, 10.5), n=2)[0].tolist() == [3, 1]  # tie at the cut
    assert nearest(lon[::-1].copy(), lat, at=(106.5, 10.5), n=2)[0].tolist() == [0, 1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": None}, "n, radius_m"),
        ({"n": -1}, "non-negative"),
        ({"radius_m": -5.0}, "radius_m"),
        ({"mask": np.array([1, 0])}, "boolean"),
        ({"at": (106.7, 95.0)}, "lat"),
        ({"at": (float("nan"), 10.0)}, "finite"),
    ],
)
def test_validation(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"at": (106.7, 10.77), **kwargs}
    with pytest.raises(ValueError, match=message):
        nearest(np.array([106.7, 106.8]), np.array([10.7, 10.8]), **args)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="same length"):
        nearest(np.array([1.0]), np.array([1.0, 2.0]), at=(0.0, 0.0))
