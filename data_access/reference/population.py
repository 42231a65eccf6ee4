"""2019 census population carried to the 2025 wards and the 2021–2025 wards, with weights."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from data_access.reference.readers import fold

AGE_BANDS = (
    "00-04",
    "05-09",
    "10-14",
    "15-19",
    "20-24",
    "25-29",
    "30-34",
    "35-39",
    "40-44",
    "45-49",
    "50-54",
    "55-59",
    "60-64",
    "65-69",
    "70-74",
    "75-79",
    "80-84",
    "85+",
)
#: Exponent of area in the split of a province's census total over its 2025 wards.
AREA_EXPONENT = 0.25
#: Smallest share of a split old ward given to each of its crosswalk targets.
MIN_SPLIT_SHARE = 0.02
#: Census province names (folded) of the three old provinces of the merged city.
PROVINCE_KEYS = {"79": "ho chi minh", "74": "binh duong", "77": "ba ria-vung tau"}


@dataclass
class PopulationModel:
    """Population of the 2025 and 2021–2025 wards (census 2019) and crosswalk weights."""

    ward_pop: pd.Series
    ward_age: pd.DataFrame
    old_ward_pop: pd.Series
    territory: dict[str, BaseGeometry]
    merged_2020: set[str]
    weights: dict[tuple[str, str], float]
    weight_method: dict[tuple[str, str], str] = field(default_factory=dict)


def assign_322_to_273(w322: gpd.GeoDataFrame, c273: pd.DataFrame) -> pd.Series:
    """Map each pre-2021 ward code to the 2021–2025 ward that covers it.

    A code still in use maps to itself. A ward that disappeared in the 2020–21 mergers maps
    to the ward of the same (2021) district whose geocoded bounds contain its interior point,
    preferring wards whose polygon touches it, then the smallest box; else the nearest centre.
    """
    own = w322.set_index("code")["geometry"]
    mapping = {code: code for code in w322["code"] if code in c273.index}
    for row in w322[~w322["code"].isin(c273.index)].itertuples():
        candidates = c273[c273["districtCode"] == row.district_2021]
        point = row.geometry.representative_point()
        inside = candidates[candidates["box"].map(lambda b, p=point: b.contains(p))]
        if len(inside):
            touching = [
                c
                for c in inside.index
                if c in own.index and own[c].buffer(1e-4).intersects(row.geometry)
            ]
            pool = touching or list(inside.index)
            mapping[row.code] = min(pool, key=lambda c: inside.loc[c, "box"].area)
        else:
            dist = (candidates["wardLat"] - point.y) ** 2 + (candidates["wardLon"] - point.x) ** 2
            mapping[row.code] = str(dist.idxmin())
    return pd.Series(mapping, name="code_2021")


def _overlap_shares(pieces: gpd.GeoDataFrame, targets: gpd.GeoDataFrame) -> pd.DataFrame:
    """Area share of each piece falling in each target (rows piece, target, share).

    Shares of a piece are normalised over the targets it touches, so a piece's population
    is preserved even where simplified boundaries leave slivers or gaps.
    """
    tree = shapely.STRtree(targets.geometry.to_numpy())
    piece_idx, target_idx = tree.query(pieces.geometry.to_numpy(), predicate="intersects")
    inter = shapely.intersection(
        pieces.geometry.to_numpy()[piece_idx], targets.geometry.to_numpy()[target_idx]
    )
    frame = pd.DataFrame(
        {
            "piece": pieces.index.to_numpy()[piece_idx],
            "target": targets.index.to_numpy()[target_idx],
            "area": shapely.area(inter),
        }
    )
    frame = frame[frame["area"] > 0]
    frame["share"] = frame["area"] / frame.groupby("piece")["area"].transform("sum")
    return frame


def hcmc_population(
    w322: gpd.GeoDataFrame, wards79: gpd.GeoDataFrame, census_districts: pd.DataFrame
) -> tuple[pd.Series, pd.DataFrame]:
    """2025 ward population in old HCMC: the 322 census wards overlaid by area.

    Each census ward is split over the 2025 wards of old HCMC in proportion to the area it
    shares with them (uniform density inside a census ward). Age bands follow the census
    ward's (pre-2021) district age structure.
    """
    pieces = w322.set_index("code")
    shares = _overlap_shares(pieces, wards79)
    shares["population"] = shares["share"] * pieces.loc[shares["piece"], "population"].to_numpy()
    total = shares.groupby("target")["population"].sum().reindex(wards79.index, fill_value=0.0)
    ages = census_districts.pivot_table(
        index="district_key", columns="age_group", values="total", aggfunc="sum"
    )
    ages = ages.div(ages.sum(axis=1), axis=0).reindex(columns=list(AGE_BANDS), fill_value=0.0)
    district = pieces["Dist_Name"].map(lambda n: fold(n).replace("district ", "").replace(" ", ""))
    piece_ages = ages.loc[district.to_numpy()].to_numpy()
    piece_ages = pd.DataFrame(piece_ages, index=pieces.index, columns=list(AGE_BANDS))
    by_age = piece_ages.loc[shares["piece"]].to_numpy() * shares["population"].to_numpy()[:, None]
    age_frame = pd.DataFrame(by_age, columns=list(AGE_BANDS))
    age_frame["target"] = shares["target"].to_numpy()
    age_total = age_frame.groupby("target").sum().reindex(wards79.index, fill_value=0.0)
    return total, age_total


def province_population(
    wards: gpd.GeoDataFrame, census: pd.DataFrame, region: str
) -> tuple[pd.Series, pd.DataFrame]:
    """2025 ward population in Bình Dương or Bà Rịa–Vũng Tàu from the province census.

    The province's urban population is split over its phường, the rural population over its
    xã (and the special zone), each in proportion to ``area ** AREA_EXPONENT``: the 2025 units
    were drawn to similar population sizes, so population grows only weakly with area (pure
    area shares would put more people in rural Dầu Tiếng than in Dĩ An). Age bands follow the
    province's urban or rural age structure.
    """
    rows = census[census["province_key"] == PROVINCE_KEYS[region]]
    if rows.empty:
        raise ValueError(f"census has no province {PROVINCE_KEYS[region]!r}")
    bands = rows.set_index("age_group")[["urban", "rural"]].reindex(list(AGE_BANDS))
    urban = wards["unit_type"].eq("phuong")
    total = pd.Series(0.0, index=wards.index)
    ages = pd.DataFrame(0.0, index=wards.index, columns=list(AGE_BANDS))
    for mask, column in ((urban, "urban"), (~urban, "rural")):
        area = wards.loc[mask, "area_km2"].astype(float) ** AREA_EXPONENT
        if area.sum() == 0:
            continue
        share = area / area.sum()
        total[mask] = share * float(bands[column].sum())
        ages.loc[mask] = np.outer(share.to_numpy(), bands[column].to_numpy())
    return total, ages


def hcmc_weights(
    crosswalk79: pd.DataFrame, w322: gpd.GeoDataFrame, to_2021: pd.Series, wards79: gpd.GeoDataFrame
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], str]]:
    """Weights of the split (partly merged) old HCMC wards: population share per target.

    The old ward's census pieces (its 322 wards) are overlaid on its crosswalk targets;
    each target gets the population of the pieces' area inside it, at least
    :data:`MIN_SPLIT_SHARE` (the crosswalk says some of the ward went there even where the
    simplified polygons hardly overlap). Without any overlap the ward is split equally.
    """
    pieces = w322.set_index("code")
    weights: dict[tuple[str, str], float] = {}
    method: dict[tuple[str, str], str] = {}
    for old, group in crosswalk79.groupby("old_ward_code"):
        targets = list(group["new_ward_code"])
        if len(targets) == 1:
            weights[(old, targets[0])] = 1.0
            method[(old, targets[0])] = "single target"
            continue
        mine = pieces[to_2021.reindex(pieces.index).to_numpy() == old]
        found = np.zeros(len(targets))
        for _, piece in mine.iterrows():
            areas = np.array(
                [piece.geometry.intersection(wards79.loc[t, "geometry"]).area for t in targets]
            )
            if piece.geometry.area > 0:
                found += areas / piece.geometry.area * piece["population"]
        if found.sum() > 0:
            shares = np.maximum(found / found.sum(), MIN_SPLIT_SHARE)
            shares, how = shares / shares.sum(), "population overlay"
        else:
            shares, how = np.full(len(targets), 1 / len(targets)), "equal split"
        for target, share in zip(targets, shares, strict=True):
            weights[(old, target)] = float(share)
            method[(old, target)] = how
    return weights, method


def contribution_weights(
    crosswalk: pd.DataFrame, ward_pop: pd.Series
) -> tuple[pd.Series, dict[tuple[str, str], float]]:
    """Old ward population and weights where old wards have no polygons (BD, BR-VT).

    Each 2025 ward's population is shared equally by its source wards; an old ward's
    population is the sum of its shares, and its weight to each target is that target's
    share of it — so weights times old populations give back the 2025 populations.
    """
    sources = crosswalk.groupby("new_ward_code")["old_ward_code"].transform("size")
    contribution = ward_pop.reindex(crosswalk["new_ward_code"]).to_numpy() / sources.to_numpy()
    frame = crosswalk[["old_ward_code", "new_ward_code"]].assign(contribution=contribution)
    old_pop = frame.groupby("old_ward_code")["contribution"].sum()
    frame["weight"] = frame["contribution"] / old_pop.reindex(frame["old_ward_code"]).to_numpy()
    frame["weight"] = frame["weight"].fillna(
        1.0 / frame.groupby("old_ward_code")["new_ward_code"].transform("size")
    )
    weights = {
        (o, n): float(w)
        for o, n, w in frame[["old_ward_code", "new_ward_code", "weight"]].itertuples(index=False)
    }
    return old_pop, weights
