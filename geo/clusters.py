"""Server-side clustering of map points: a grid per zoom level in Web Mercator pixels.

What a phone downloads for the map then depends on its viewport and zoom, not on the size of
the registry: every point inside the bounding box is either a single point or counted in
exactly one cluster. The grid is anchored at the world's origin, so a cell (and the cluster
it makes) is the same whichever box asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "CLUSTER_MAX_ZOOM",
    "CLUSTER_RADIUS_PX",
    "MAX_LAT",
    "TILE_PX",
    "Clusters",
    "cluster_points",
    "mercator",
    "span_px",
]

TILE_PX = 256
#: The side of a grid cell in screen pixels (dash-leaflet's supercluster used a radius of 80).
CLUSTER_RADIUS_PX = 64
#: Above this zoom every point is drawn on its own.
CLUSTER_MAX_ZOOM = 15
#: Web Mercator's latitude limit.
MAX_LAT = 85.05112878


def mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator coordinates in [0, 1] (x east, y south) of WGS 84 degrees.

    Parameters
    ----------
    lon, lat : ndarray
        Degrees; latitudes are clipped to Web Mercator's ±85.05°.

    Returns
    -------
    tuple of ndarray
        ``x`` and ``y``, the fraction of the world's width and height.
    """
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.clip(np.asarray(lat, dtype=np.float64), -MAX_LAT, MAX_LAT)
    x = lon / 360.0 + 0.5
    sin = np.sin(np.radians(lat))
    y = 0.5 - np.log((1 + sin) / (1 - sin)) / (4 * np.pi)
    return x, y


def span_px(bbox: tuple[float, float, float, float], zoom: int) -> tuple[float, float]:
    """Width and height in screen pixels of ``bbox`` (west, south, east, north) at ``zoom``."""
    x, y = mercator(np.array([bbox[0], bbox[2]]), np.array([bbox[3], bbox[1]]))
    world = TILE_PX * 2.0**zoom
    return float((x[1] - x[0]) * world), float((y[1] - y[0]) * world)


def _cells(x: np.ndarray, y: np.ndarray, zoom: int, radius_px: int) -> np.ndarray:
    """One integer key per point: its grid cell at ``zoom``."""
    per_axis = int(np.ceil(TILE_PX * 2.0**zoom / radius_px))
    ix = np.minimum((x * per_axis).astype(np.int64), per_axis - 1)
    iy = np.minimum((y * per_axis).astype(np.int64), per_axis - 1)
    return ix * per_axis + iy


@dataclass(frozen=True)
class Clusters:
    """Clusters and single points of one view.

    ``singles`` are positions into the arrays given to :func:`cluster_points`; the cluster
    arrays are parallel: member count, centre (mean of the members) in degrees, the grid
    cell's key and the zoom at which the cluster splits into smaller ones.
    """

    singles: np.ndarray
    count: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    cell: np.ndarray
    expansion_zoom: np.ndarray

    @property
    def total(self) -> int:
        """Points accounted for: the clusters' members plus the single points."""
        return int(self.count.sum()) + len(self.singles)


def cluster_points(
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    zoom: int,
    bbox: tuple[float, float, float, float],
    keep: np.ndarray | None = None,
    radius_px: int = CLUSTER_RADIUS_PX,
    max_zoom: int = CLUSTER_MAX_ZOOM,
) -> Clusters:
    """Group the points inside ``bbox`` into grid cells of ``radius_px`` pixels at ``zoom``.

    Parameters
    ----------
    lon, lat : ndarray
        Degrees (WGS 84); points with a missing coordinate are never shown.
    zoom : int
        The map's zoom level; above ``max_zoom`` every point is single.
    bbox : tuple of float
        West, south, east, north in degrees (edges included).
    keep : ndarray of bool, optional
        Which points the filters let through (default: all).
    radius_px, max_zoom : int
        The grid's cell size in pixels and the last zoom that clusters.

    Returns
    -------
    Clusters
        A cell holding one point gives a single point, a cell holding more a cluster.
    """
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    west, south, east, north = bbox
    inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    if keep is not None:
        inside &= keep
    positions = np.flatnonzero(inside)
    empty = np.zeros(0, dtype=np.float64)
    if zoom > max_zoom or len(positions) < 2:
        none = np.zeros(0, dtype=np.int64)
        return Clusters(positions, none, empty, empty, none, none)
    x, y = mercator(lon[positions], lat[positions])
    cells, inverse, count = np.unique(
        _cells(x, y, zoom, radius_px), return_inverse=True, return_counts=True
    )
    grouped = count[inverse] > 1
    singles = positions[~grouped]
    many = count > 1
    label = np.cumsum(many) - 1  # cluster number of each cell holding several points
    members = label[inverse[grouped]]
    n = int(many.sum())
    centre_lon = np.bincount(members, lon[positions[grouped]], n) / count[many]
    centre_lat = np.bincount(members, lat[positions[grouped]], n) / count[many]
    expansion = _expansion_zoom(x[grouped], y[grouped], members, n, zoom, radius_px, max_zoom)
    return Clusters(singles, count[many], centre_lon, centre_lat, cells[many], expansion)


def _expansion_zoom(
    x: np.ndarray,
    y: np.ndarray,
    members: np.ndarray,
    n: int,
    zoom: int,
    radius_px: int,
    max_zoom: int,
) -> np.ndarray:
    """For each cluster, the first zoom after ``zoom`` at which its members fall into more
    than one cell (``max_zoom + 1`` for points that only part when drawn singly)."""
    result = np.full(n, max_zoom + 1, dtype=np.int64)
    if n == 0:
        return result
    order = np.argsort(members, kind="stable")
    starts = np.flatnonzero(np.r_[True, members[order][1:] != members[order][:-1]])
    pending = np.ones(n, dtype=bool)
    for deeper in range(zoom + 1, max_zoom + 1):
        keys = _cells(x[order], y[order], deeper, radius_px)
        split = np.minimum.reduceat(keys, starts) != np.maximum.reduceat(keys, starts)
        result[pending & split] = deeper
        pending &= ~split
        if not pending.any():
            break
    return result
