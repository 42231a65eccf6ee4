"""Vectorised haversine distances, nearest-N and radius queries over lon/lat arrays."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["EARTH_RADIUS_M", "haversine_m", "nearest"]

EARTH_RADIUS_M = 6_371_000.0
"""Mean Earth radius used for all distances (0.01° of latitude = 1111.95 m)."""


def haversine_m(
    lon: np.ndarray | float,
    lat: np.ndarray | float,
    *,
    at: tuple[float, float],
) -> np.ndarray:
    """Great-circle distance in metres from ``at`` to every (lon, lat) point.

    Spherical model (radius ``EARTH_RADIUS_M``): within about 0.5 % of the WGS 84 ellipsoid,
    plenty for ranking and radius filters on a city map.

    Parameters
    ----------
    lon, lat : array_like of float
        WGS 84 degrees, same shape. NaN coordinates give NaN distances.
    at : tuple of float
        Reference point as ``(lon, lat)`` in degrees.

    Returns
    -------
    numpy.ndarray
        Distances in metres (float64), same shape as ``lon``.
    """
    lon0, lat0 = _check_point(at)
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    # subtract in degrees first: less rounding for nearby points, symmetric east/west
    dphi = np.radians(lat_a - lat0)
    dlam = np.radians(lon_a - lon0)
    cos_prod = math.cos(math.radians(lat0)) * np.cos(np.radians(lat_a))
    h = np.sin(dphi / 2.0) ** 2 + cos_prod * np.sin(dlam / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def nearest(
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    at: tuple[float, float],
    n: int | None = 10,
    radius_m: float | None = None,
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``n`` points nearest to ``at`` and/or all points within ``radius_m``.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        1-D WGS 84 coordinates in degrees; points with NaN coordinates are never returned.
    at : tuple of float
        Reference point ``(lon, lat)``.
    n : int or None, default 10
        How many points at most. ``None`` returns every point within ``radius_m``.
    radius_m : float or None
        Keep only points at most this many metres away.
    mask : numpy.ndarray of bool, optional
        Same length as ``lon``; only ``True`` points are considered (e.g. active filters).

    Returns
    -------
    indices : numpy.ndarray of int64
        Positions into ``lon``/``lat``, nearest first; equal distances by position.
    distances : numpy.ndarray of float64
        Metres, ascending, aligned with ``indices``.

    Raises
    ------
    ValueError
        Mismatched shapes, a non-boolean mask, a bad point, ``n < 0``, a negative radius,
        or ``n`` and ``radius_m`` both ``None``.
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    if lon_a.ndim != 1 or lon_a.shape != lat_a.shape:
        raise ValueError("lon and lat must be 1-D arrays of the same length")
    if n is None and radius_m is None:
        raise ValueError("give n, radius_m or both")
    if n is not None and (isinstance(n, bool) or int(n) != n or n < 0):
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    n = None if n is None else int(n)
    if radius_m is not None and not (radius_m >= 0):
        raise ValueError(f"radius_m must be >= 0, got {radius_m!r}")
    dist = haversine_m(lon_a, lat_a, at=at)
    keep = np.isfinite(dist)
    if mask is not None:
        mask_a = np.asarray(mask)
        if mask_a.dtype != np.bool_ or mask_a.shape != lon_a.shape:
            raise ValueError("mask must be a boolean array with the same length as lon")
        keep &= mask_a
    if radius_m is not None:
        keep &= dist <= radius_m
    idx = np.flatnonzero(keep)
    d = dist[idx]
    if n is not None and len(idx) > n:
        if n == 0:
            return idx[:0], d[:0]
        kth = np.partition(d, n - 1)[n - 1]
        sel = d <= kth  # every tie at the cut, so the order below is deterministic
        idx, d = idx[sel], d[sel]
    order = np.lexsort((idx, d))
    if n is not None:
        order = order[:n]
    return idx[order], d[order]


def _check_point(at: tuple[float, float]) -> tuple[float, float]:
    try:
        lon0, lat0 = (float(v) for v in at)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"at must be a (lon, lat) pair, got {at!r}") from exc
    if not (math.isfinite(lon0) and -90.0 <= lat0 <= 90.0):
        raise ValueError(f"at must be a finite (lon, lat) with -90 <= lat <= 90, got {at!r}")
    return lon0, lat0
