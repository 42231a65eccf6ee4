"""Search, browse and nearest over a registry snapshot: positions plus what to show with them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from geo.nearest import haversine_m, nearest
from ioc_app.services.registry import MAX_LIMIT, Filters, Registry

#: Search matches sent to the map as an id list (the map then shows exactly these).
MAP_MATCH_CAP = 500


@dataclass(frozen=True)
class Found:
    """Results to list: row positions, how many matched, ids for the map, per-row extras."""

    positions: np.ndarray
    total: int  # matches counted (exact unless ``capped``)
    capped: bool  # counting stopped at the cap: there may be more
    match_ids: list[int] | None  # None: the map shows everything the filters let through
    extra: dict[str, list[Any]]

    @property
    def more(self) -> bool:
        """Whether more matched than are listed."""
        return self.capped or self.total > len(self.positions)


def find(
    snapshot: Registry,
    query: str | None,
    filters: Filters,
    *,
    near: tuple[float, float] | None = None,
    limit: int = 20,
    count_up_to: int | None = None,
) -> Found:
    """Ranked matches of ``query`` within ``filters``; without a query, the filtered list.

    With a query, matches are counted up to ``count_up_to`` (default: the map's cap, whose ids
    are returned for the map); the API passes ``limit + 1`` to only learn whether there are
    more. Without a query the list is nearest first when ``near`` is known, else in the
    registry's browse order (public schools by level first, then by name).
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    mask = snapshot.mask(filters)
    text = (query or "").strip()
    if text:
        cap = max(limit, count_up_to or MAP_MATCH_CAP)
        hits = snapshot.index.search(
            text, limit=cap, near=near, candidates=mask if filters.active else None
        )
        shown = hits[:limit]
        extra: dict[str, list[Any]] = {
            "score": [h.score for h in shown],
            "match": [h.kind for h in shown],
        }
        positions = snapshot.positions([h.id for h in shown])
        match_ids = [h.id for h in hits] if count_up_to is None else None
        found = Found(positions, len(hits), len(hits) >= cap, match_ids, extra)
    else:
        if near is not None:
            positions, _ = nearest(snapshot.lon, snapshot.lat, at=near, n=limit, mask=mask)
            if len(positions) < limit:  # institutions without coordinates belong to the list
                rest = snapshot.name_order[mask[snapshot.name_order]]
                positions = np.concatenate([positions, rest[~np.isin(rest, positions)]])[:limit]
        else:
            positions = snapshot.browse_order[mask[snapshot.browse_order]][:limit]
        found = Found(positions, int(mask.sum()), False, None, {})
    found.extra["distance_m"] = _distances(snapshot, found.positions, near)
    return found


def _distances(
    snapshot: Registry, positions: np.ndarray, near: tuple[float, float] | None
) -> list[float | None]:
    if near is None:
        return [None] * len(positions)
    metres = haversine_m(snapshot.lon[positions], snapshot.lat[positions], at=near)
    return [None if np.isnan(m) else float(round(m)) for m in metres]


def nearest_to(
    snapshot: Registry,
    at: tuple[float, float],
    *,
    kinds: tuple[str, ...] = (),
    n: int = 10,
    radius_m: float | None = None,
) -> list[dict[str, Any]]:
    """Records of the ``n`` nearest institutions of ``kinds`` to ``at`` (within ``radius_m``),
    nearest first, with ``distance_m``."""
    mask = snapshot.mask(Filters(kinds=kinds))
    positions, metres = nearest(
        snapshot.lon,
        snapshot.lat,
        at=at,
        n=max(1, min(int(n), MAX_LIMIT)),
        radius_m=radius_m,
        mask=mask,
    )
    return snapshot.records(positions, {"distance_m": [float(round(m)) for m in metres]})


def listed(snapshot: Registry, found: Found) -> list[dict[str, Any]]:
    """The records of ``found`` with their score, match kind and distance."""
    return snapshot.records(found.positions, found.extra)
