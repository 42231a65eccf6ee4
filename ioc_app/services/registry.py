"""The public map's snapshot of the registry: arrays, search index and encoded layers.

One snapshot per registry fingerprint and process, kept on the Flask app (never in module
globals); the fingerprint itself is cached briefly in Flask-Caching, so a change to the
registry is picked up within ``IOC_MAP_FINGERPRINT_SECONDS`` (default 15 s).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from flask import current_app

from data_access.models.institutions import KINDS, LEVELS, OWNERSHIPS
from data_access.queries import institutions as queries
from geo.layers import gzip_bytes, point_features, point_layer, polygon_layer
from geo.search import SearchIndex, normalise
from geo.vn_text import fold
from ioc_app.core.warehouse import cache, engine

log = logging.getLogger(__name__)

EXTENSION_KEY = "ioc_map_registry"
FINGERPRINT_SECONDS = "IOC_MAP_FINGERPRINT_SECONDS"
DEFAULT_FINGERPRINT_SECONDS = 15
MAX_LIMIT = 50
WARD_SIMPLIFY_DEG = 0.0002  # ~20 m: invisible at city zoom, a third of the vertices
#: Encoded map views (clusters of one zoom, box and filters) kept per snapshot and process.
VIEW_CACHE_SIZE = 512


#: Fields of a search/nearest result that leave the server (an allow-list).
RESULT_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "kind",
    "level",
    "ownership",
    "address",
    "ward_id",
    "ward_name",
    "old_ward_name",
    "old_district_id",
    "old_district_name",
    "lon",
    "lat",
    "generated",
)


def _column_lists(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """Each result field as a plain Python list (None for missing; coordinates rounded)."""
    lists: dict[str, list[Any]] = {}
    for name in RESULT_FIELDS:
        column = frame[name]
        if name in ("lon", "lat"):
            column = column.round(6)
        values = column.astype(object)
        lists[name] = values.where(column.notna(), None).tolist()
    lists["id"] = [int(v) for v in lists["id"]]
    lists["generated"] = [bool(v) for v in lists["generated"]]
    return lists


@dataclass(frozen=True)
class Filters:
    """What the visitor narrowed the registry to (empty = everything)."""

    kinds: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    ownerships: tuple[str, ...] = ()
    ward: str | None = None
    district: str | None = None

    @classmethod
    def clean(
        cls,
        *,
        kinds: Iterable[str] | str | None = None,
        levels: Iterable[str] | str | None = None,
        ownerships: Iterable[str] | str | None = None,
        ward: str | None = None,
        district: str | None = None,
    ) -> Filters:
        """Filters from untrusted input: unknown values are dropped, strings split on commas."""
        return cls(
            kinds=_choices(kinds, KINDS),
            levels=_choices(levels, LEVELS),
            ownerships=_choices(ownerships, OWNERSHIPS),
            ward=(ward or None) if isinstance(ward, str) else None,
            district=(district or None) if isinstance(district, str) else None,
        )

    @property
    def active(self) -> bool:
        """Whether any filter narrows the registry."""
        return bool(self.kinds or self.levels or self.ownerships or self.ward or self.district)


def _rank(values: np.ndarray, vocabulary: tuple[str, ...]) -> np.ndarray:
    """Each value's place in ``vocabulary`` (unknown or empty values last)."""
    place = {key: i for i, key in enumerate(vocabulary)}
    return np.array([place.get(v, len(place)) for v in values], dtype=np.int64)


def _choices(values: Iterable[str] | str | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = values.split(",")
    wanted = {str(v).strip() for v in values}
    return tuple(v for v in allowed if v in wanted)


@dataclass
class Registry:
    """The open institutions at one fingerprint, as arrays for masks, search and nearest."""

    fingerprint: str
    frame: pd.DataFrame
    ids: np.ndarray = field(init=False)
    lon: np.ndarray = field(init=False)
    lat: np.ndarray = field(init=False)
    _index: SearchIndex | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _artefacts: dict[str, bytes] = field(default_factory=dict, init=False, repr=False)
    _views: OrderedDict[Any, bytes] = field(default_factory=OrderedDict, init=False, repr=False)
    _lists: dict[str, list[Any]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.ids = self.frame["id"].to_numpy(dtype=np.int64)
        self.lon = self.frame["lon"].to_numpy(dtype=np.float64)
        self.lat = self.frame["lat"].to_numpy(dtype=np.float64)
        self._columns = {
            name: self.frame[name]
            .astype(object)
            .where(self.frame[name].notna(), "")
            .to_numpy(dtype=object)
            for name in ("kind", "level", "ownership", "ward_id", "old_district_id")
        }
        folded = [fold(n) if isinstance(n, str) else "" for n in self.frame["name"].tolist()]
        self.name_order = np.argsort(np.array(folded, dtype=np.dtypes.StringDType()), kind="stable")
        self.browse_order = self._browse_order()
        self._district_set = set(self._columns["old_district_id"]) - {""}
        self._everything = np.ones(len(self.ids), dtype=bool)
        self._everything.flags.writeable = False
        districts = self.frame[["old_district_id", "old_district_name"]].dropna().drop_duplicates()
        self._district_by_name: dict[str, set[str]] = {}
        for uid, name in districts.itertuples(index=False):
            self._district_by_name.setdefault(normalise(name), set()).add(uid)

    def __len__(self) -> int:
        return len(self.ids)

    def _browse_order(self) -> np.ndarray:
        """Positions in the order of a list nobody has searched yet: the kinds citizens look
        for most first (schools, public before private, by level of education), then by name.
        By name alone, study-abroad companies ("Công ty …") opened the list."""
        name_rank = np.empty(len(self.ids), dtype=np.int64)
        name_rank[self.name_order] = np.arange(len(self.ids))
        keys = [
            _rank(self._columns[column], vocabulary)
            for column, vocabulary in (
                ("level", LEVELS),
                ("ownership", OWNERSHIPS),
                ("kind", KINDS),
            )
        ]
        return np.lexsort([name_rank, *keys])

    @property
    def index(self) -> SearchIndex:
        """The search index (built on first use; later callers wait for it)."""
        if self._index is not None:
            return self._index
        with self._lock:
            if self._index is None:
                # Joined column by column: a row-wise agg returns a frame (not a series)
                # when the registry is empty, and search then failed with a server error.
                parts = self.frame[["address", "ward_name", "old_ward_name", "old_district_name"]]
                parts = parts.fillna("").astype(str)
                extra = (
                    parts["address"]
                    + " "
                    + parts["ward_name"]
                    + " "
                    + parts["old_ward_name"]
                    + " "
                    + parts["old_district_name"]
                ).tolist()
                self._index = SearchIndex.build(
                    self.ids, self.frame["name"].tolist(), extra=extra, lon=self.lon, lat=self.lat
                )
            return self._index

    def positions(self, ids: Iterable[int]) -> np.ndarray:
        """Row positions of ``ids`` (unknown ids left out), in the given order."""
        wanted = np.asarray(list(ids), dtype=np.int64)
        if not wanted.size or not len(self.ids):
            return np.zeros(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.ids, wanted), len(self.ids) - 1)
        return at[self.ids[at] == wanted]

    def district_ids(self, text: str | None) -> set[str]:
        """Old district ids meant by ``text``: an id, or a name in any spelling ("q3")."""
        if not text:
            return set()
        if text in self._district_set:
            return {text}
        return set(self._district_by_name.get(normalise(text), set()))

    def mask(self, filters: Filters) -> np.ndarray:
        """Which rows pass ``filters`` (a shared read-only all-true mask when none is set)."""
        if not filters.active:
            return self._everything
        keep = np.ones(len(self.ids), dtype=bool)
        for column, wanted in (
            ("kind", filters.kinds),
            ("level", filters.levels),
            ("ownership", filters.ownerships),
        ):
            if wanted:
                keep &= np.isin(self._columns[column], list(wanted))
        if filters.ward:
            keep &= self._columns["ward_id"] == filters.ward
        if filters.district:
            keep &= np.isin(
                self._columns["old_district_id"],
                list(self.district_ids(filters.district)) or ["\0"],
            )
        return keep

    def records(
        self, positions: np.ndarray | list[int], extra: Mapping[str, list[Any]] | None = None
    ) -> list[dict[str, Any]]:
        """Rows at ``positions`` as JSON-ready dicts of :data:`RESULT_FIELDS` (+ ``extra``)."""
        if self._lists is None:
            with self._lock:
                if self._lists is None:
                    self._lists = _column_lists(self.frame)
        columns = self._lists
        rows = [
            {name: columns[name][p] for name in RESULT_FIELDS}
            for p in np.asarray(positions, dtype=np.int64).tolist()
        ]
        for name, values in (extra or {}).items():
            for row, value in zip(rows, values, strict=True):
                row[name] = value
        return rows

    def artefact(self, name: str, build: Any) -> bytes:
        """A derived payload (e.g. the gzipped layer), built once per snapshot."""
        data = self._artefacts.get(name)
        if data is None:
            data = self._artefacts[name] = build()
        return data

    def view(self, key: Any, build: Any) -> bytes:
        """A payload of one map view, built once and kept among the last
        :data:`VIEW_CACHE_SIZE` views of this snapshot."""
        with self._lock:
            data = self._views.get(key)
            if data is not None:
                self._views.move_to_end(key)
                return data
        data = build()
        with self._lock:
            self._views[key] = data
            while len(self._views) > VIEW_CACHE_SIZE:
                self._views.popitem(last=False)
        return data

    def _layer_columns(self) -> dict[str, np.ndarray]:
        """The point layer's short properties: kind, level, ownership, ward, old district."""
        c = self._columns
        return {
            "k": c["kind"],
            "l": c["level"],
            "o": c["ownership"],
            "w": c["ward_id"],
            "d": c["old_district_id"],
        }

    def point_features(self, positions: np.ndarray) -> list[str]:
        """The rows at ``positions`` as features of the point layer (:meth:`points_geojson`)."""
        names = self.frame["name"].to_numpy(dtype=object)
        return point_features(
            self.ids[positions],
            self.lon[positions],
            self.lat[positions],
            properties={k: v[positions] for k, v in self._layer_columns().items()},
            tooltips=names[positions],
        )

    def points_geojson(self) -> bytes:
        """The point layer: id, kind, level, ownership, ward, old district, escaped name."""

        def build() -> bytes:
            return point_layer(
                self.ids,
                self.lon,
                self.lat,
                properties=self._layer_columns(),
                tooltips=self.frame["name"].to_numpy(dtype=object),
            )

        return self.artefact("points", build)

    def points_gzip(self) -> bytes:
        """The point layer, gzipped."""
        return self.artefact("points.gz", lambda: gzip_bytes(self.points_geojson()))


def _holder() -> dict[str, Any]:
    return current_app.extensions.setdefault(EXTENSION_KEY, {"lock": threading.Lock()})


def _fingerprint_key() -> str:
    return "map:fingerprint:" + hashlib.sha1(str(engine().url).encode()).hexdigest()[:12]


def forget_fingerprint() -> None:
    """Drop the cached fingerprint (shared and this worker's), so that the next request
    rebuilds the snapshot when the registry changed: called when an ``institutions`` batch
    is committed or undone. Other workers see the change within
    ``IOC_MAP_FINGERPRINT_SECONDS``, as for any change to the registry."""
    cache.delete(_fingerprint_key())
    _holder().pop("fingerprint", None)


def fingerprint() -> str:
    """The registry fingerprint, at most ``IOC_MAP_FINGERPRINT_SECONDS`` old.

    The query scans the registry, so no request waits for it once a value is known: a stale
    value is refreshed in the background (and shared with other workers through
    Flask-Caching) while requests go on with the previous one. 0 seconds: always fresh.
    """
    seconds = float(current_app.config.get(FINGERPRINT_SECONDS, DEFAULT_FINGERPRINT_SECONDS))
    if seconds <= 0:
        return queries.registry_fingerprint(engine())
    holder = _holder()
    key = _fingerprint_key()
    value: str | None = holder.get("fingerprint")
    if value is None:
        value = cache.get(key) or queries.registry_fingerprint(engine())
        cache.set(key, value, timeout=int(seconds) or 1)
        holder.update(fingerprint=value, checked=time.monotonic())
    elif time.monotonic() - holder["checked"] > seconds and not holder.get("refreshing"):
        holder["refreshing"] = True
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        threading.Thread(target=_refresh_fingerprint, args=(app, key, seconds), daemon=True).start()
    return value


def _refresh_fingerprint(app: Any, key: str, seconds: float) -> None:
    """Recompute the fingerprint (or take another worker's) for the next requests."""
    holder = app.extensions.setdefault(EXTENSION_KEY, {"lock": threading.Lock()})
    try:
        with app.app_context():
            value = cache.get(key) or queries.registry_fingerprint(engine())
            cache.set(key, value, timeout=int(seconds) or 1)
        holder.update(fingerprint=value, checked=time.monotonic())
    except Exception:  # the next stale request tries again; the old value keeps serving
        log.exception("refreshing the registry fingerprint failed")
    finally:
        holder["refreshing"] = False


def registry(*, warm_index: bool = False) -> Registry:
    """The snapshot for the current fingerprint (built when the registry has changed)."""
    current = fingerprint()
    holder = _holder()
    snapshot: Registry | None = holder.get("registry")
    if snapshot is not None and snapshot.fingerprint == current:
        return snapshot
    with holder["lock"]:
        snapshot = holder.get("registry")
        if snapshot is None or snapshot.fingerprint != current:
            snapshot = Registry(current, queries.registry_frame(engine()))
            holder["registry"] = snapshot
            if warm_index:
                threading.Thread(target=_warm, args=(snapshot,), daemon=True).start()
    return snapshot


def _warm(snapshot: Registry) -> None:
    """Build the search index in the background, so the first search does not wait long."""
    try:
        snapshot.index  # noqa: B018 - the property builds the index
    except Exception:  # a failed warm-up is retried by the first search, which reports it
        log.exception("building the map search index failed")


def wards_gzip() -> bytes:
    """The 2025 ward polygons (offline basemap) as gzipped GeoJSON, once per fingerprint."""
    snapshot = registry()

    def build() -> bytes:
        shapes = queries.ward_shapes(engine())
        data = polygon_layer(
            shapes["id"].tolist(),
            shapes["name"].tolist(),
            shapes["geom"].tolist(),
            simplify=WARD_SIMPLIFY_DEG,
        )
        return gzip_bytes(data)

    return snapshot.artefact("wards.gz", build)
