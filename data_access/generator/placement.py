"""Where institutions go: old ward by population, new ward by crosswalk weight, point inside."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from data_access.reference.geography import CON_DAO_DISTRICT, Geography

#: An intersection used for sampling must cover at least this share of the new ward.
MIN_SHARE = 0.01
CON_DAO_KEY = "OD" + CON_DAO_DISTRICT


@dataclass
class Placer:
    """Samples (old unit, 2025 ward, point) triples consistent with the crosswalk."""

    geo: Geography
    pairs: pd.DataFrame = field(init=False)
    old_units: pd.DataFrame = field(init=False)
    _regions: dict[tuple[str, str], BaseGeometry] = field(init=False, default_factory=dict)
    _tree: shapely.STRtree = field(init=False)

    def __post_init__(self) -> None:
        cw = self.geo.crosswalk
        key = cw["old_ward_code"].where(cw["old_ward_code"].notna(), CON_DAO_KEY)
        self.pairs = pd.DataFrame(
            {
                "old_key": key,
                "old_id": cw["old_id"],
                "new_code": cw["new_ward_code"],
                "weight": cw["weight"],
                "region": cw["old_province_code"],
            }
        )
        old = self.geo.old_wards[["id", "region", "district_code", "population"]].copy()
        old["old_id"] = old["id"]
        con_dao = pd.DataFrame(
            {
                "id": [CON_DAO_KEY],
                "region": ["77"],
                "district_code": [CON_DAO_DISTRICT],
                "old_id": [CON_DAO_KEY],
                "population": [float(self.geo.wards.loc["26732", "population"])],
            },
            index=[CON_DAO_KEY],
        )
        self.old_units = pd.concat([old, con_dao])
        self._tree = shapely.STRtree(self.geo.wards.geometry.to_numpy())

    def choose_old(
        self,
        rng: np.random.Generator,
        region: str,
        n: int,
        district: str | None = None,
        urban_boost: float = 1.0,
    ) -> np.ndarray:
        """``n`` old units (keys) of ``region`` (or of one district), by population.

        ``urban_boost`` multiplies the weight of phường (centres cluster in the city).
        """
        units = self.old_units[self.old_units["region"] == region]
        if district is not None:
            units = units[units["district_code"] == district]
        weight = units["population"].fillna(0).to_numpy(float) + 1.0
        if urban_boost != 1.0:
            names = self.geo.old_wards["name"].reindex(units.index).fillna("")
            weight = weight * np.where(names.str.startswith("Phường"), urban_boost, 1.0)
        return rng.choice(units.index.to_numpy(), size=n, p=weight / weight.sum())

    def choose_new(self, rng: np.random.Generator, old_keys: np.ndarray) -> np.ndarray:
        """For each old unit, one of its crosswalk targets, by weight."""
        result = np.empty(len(old_keys), dtype=object)
        grouped = self.pairs.groupby("old_key")
        for key in pd.unique(old_keys):
            where = np.flatnonzero(old_keys == key)
            targets = grouped.get_group(key)
            p = targets["weight"].to_numpy(float)
            result[where] = rng.choice(
                targets["new_code"].to_numpy(), size=len(where), p=p / p.sum()
            )
        return result

    def _region(self, old_key: str, new_code: str) -> BaseGeometry:
        cached = self._regions.get((old_key, new_code))
        if cached is not None:
            return cached
        ward = self.geo.wards.loc[new_code, "geometry"]
        region = ward
        if old_key in self.geo.old_wards.index:
            old = self.geo.old_wards.loc[old_key]
            for shape in (old["territory"], old["box"]):
                if shape is None:
                    continue
                part = ward.intersection(shape)
                if part.area >= MIN_SHARE * ward.area:
                    region = part
                    break
        shapely.prepare(region)
        self._regions[(old_key, new_code)] = region
        return region

    def points(
        self, rng: np.random.Generator, old_keys: np.ndarray, new_codes: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """A point for each (old unit, new ward), inside the new ward and no other ward."""
        lon = np.empty(len(old_keys))
        lat = np.empty(len(old_keys))
        frame = pd.DataFrame({"old": old_keys, "new": new_codes})
        for (old, new), index in frame.groupby(["old", "new"], sort=True).groups.items():
            x, y = self._sample(rng, old, new, len(index))
            lon[np.asarray(index)] = x
            lat[np.asarray(index)] = y
        return lon, lat

    def _sample(
        self, rng: np.random.Generator, old: str, new: str, n: int
    ) -> tuple[np.ndarray, np.ndarray]:
        region = self._region(old, new)
        ward = self.geo.wards.loc[new, "geometry"]
        minx, miny, maxx, maxy = region.bounds
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        found = 0
        for _ in range(200):
            m = max(32, 4 * (n - found))
            x = rng.uniform(minx, maxx, m)
            y = rng.uniform(miny, maxy, m)
            keep = shapely.contains_xy(region, x, y) & shapely.contains_xy(ward, x, y)
            x, y = x[keep], y[keep]
            if len(x):
                hits = self._tree.query(shapely.points(x, y), predicate="intersects")[0]
                unique = np.bincount(hits, minlength=len(x)) == 1
                x, y = x[unique], y[unique]
            xs.append(x)
            ys.append(y)
            found += len(x)
            if found >= n:
                break
        if found < n:
            raise RuntimeError(f"could not place {n} points in ward {new} (old unit {old})")
        return np.concatenate(xs)[:n], np.concatenate(ys)[:n]
