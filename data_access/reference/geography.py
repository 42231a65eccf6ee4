"""The merged city's geography: 2025 wards, old wards/districts/provinces and the crosswalk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

import data_access.reference.population as pop
import data_access.reference.readers as rd

#: Huyện Côn Đảo (BR-VT) had no wards before 2025; it became the special zone 26732.
CON_DAO_DISTRICT = "755"
CON_DAO_WARD = "26732"


@dataclass
class Geography:
    """Everything the loader and the generator need to know about the units.

    ``wards`` (2025, index = code), ``old_wards`` and ``districts`` (2021–2025, index = code),
    ``old_provinces`` (79/74/77), ``crosswalk`` (one row per pair, with weights).
    """

    wards: gpd.GeoDataFrame
    ward_age: pd.DataFrame
    old_wards: pd.DataFrame
    districts: pd.DataFrame
    old_provinces: pd.DataFrame
    crosswalk: pd.DataFrame
    outline: shapely.MultiPolygon
    district_age: pd.DataFrame
    province_age: pd.DataFrame


def unit_type_of(name: str) -> str:
    """The type word of a Vietnamese unit name as a slug (``Phường X`` → ``phuong``)."""
    folded = rd.fold(name)
    for prefix, slug in (
        ("phuong", "phuong"),
        ("xa ", "xa"),
        ("thi tran", "thi_tran"),
        ("quan", "quan"),
        ("huyen", "huyen"),
        ("thanh pho", "thanh_pho"),
        ("thi xa", "thi_xa"),
        ("tinh", "tinh"),
    ):
        if folded.startswith(prefix):
            return slug
    return "other"


def _wards_2025(shared: Path, crosswalk: pd.DataFrame) -> gpd.GeoDataFrame:
    raw = rd.read_geojson(shared, "boundaries/hcmc_wards_2025_168.geojson")
    centres = rd.read_centroids_2025(shared)
    region = crosswalk.drop_duplicates("new_ward_code").set_index("new_ward_code")[
        "old_province_code"
    ]
    wards = gpd.GeoDataFrame(
        {
            "code": raw["code"].astype(str),
            "id": "W" + raw["code"].astype(str),
            "name": raw["fullName"],
            "short_name": raw["name"],
            "name_en": raw["fullNameEn"],
            "unit_type": raw["unitType"],
            "area_km2": raw["areaKm2"].astype(float),
            "geometry": raw.geometry.map(rd.as_multipolygon),
        },
        geometry="geometry",
        crs=raw.crs,
    ).set_index("code", drop=False)
    wards["region"] = region.reindex(wards.index).fillna("77")  # Côn Đảo: ex-BR-VT
    wards["lon"] = centres["wardLon"].reindex(wards.index).astype(float)
    wards["lat"] = centres["wardLat"].reindex(wards.index).astype(float)
    return wards


def _districts(
    shared: Path,
    crosswalk: pd.DataFrame,
    census_districts: pd.DataFrame,
    con_dao: shapely.MultiPolygon,
) -> pd.DataFrame:
    table = crosswalk.drop_duplicates("old_district_code").set_index("old_district_code")
    frame = pd.DataFrame(
        {
            "code": table.index,
            "name": table["old_district"].to_numpy(),
            "region": table["old_province_code"].to_numpy(),
        }
    ).set_index("code", drop=False)
    frame.loc[CON_DAO_DISTRICT] = [CON_DAO_DISTRICT, "Huyện Côn Đảo", "77"]
    frame["id"] = "OD" + frame["code"]
    polygons = rd.read_geojson(shared, "boundaries/hcmc_districts_24_pre2021_pop2009_2019.geojson")
    polygons["code"] = (
        polygons["Dist_ID"]
        .astype(str)
        .where(~polygons["Dist_ID"].astype(str).isin(rd.THU_DUC_PARTS), "769")
    )
    shapes = polygons.dissolve(by="code")["geometry"].map(rd.as_multipolygon)
    frame["geometry"] = [shapes.get(c) for c in frame.index]
    frame.loc[CON_DAO_DISTRICT, "geometry"] = con_dao
    by_name = census_districts.groupby("district_key")["total"].sum()
    names = frame["name"].map(rd.district_key)
    frame["population"] = [
        float(by_name.get(n, float("nan"))) if r == "79" else float("nan")
        for n, r in zip(names, frame["region"], strict=True)
    ]
    thu_duc = sum(float(by_name.get(k, 0)) for k in ("2", "9", "thuduc"))
    frame.loc["769", "population"] = thu_duc
    return frame


def build_geography(shared: Path) -> Geography:
    """Read the boundary, crosswalk, centroid and census files into a :class:`Geography`.

    Parameters
    ----------
    shared
        The reference data folder.
    """
    crosswalk = rd.read_crosswalk(shared)
    wards = _wards_2025(shared, crosswalk)
    w322 = rd.read_wards_322(shared)
    c273 = rd.read_centroids_2021(shared)
    census_districts = rd.read_census_districts(shared)
    census_provinces = rd.read_census_provinces(shared)

    # Population of the 2025 wards (2019 census).
    wards["population"] = 0.0
    ward_age = pd.DataFrame(0.0, index=wards.index, columns=list(pop.AGE_BANDS))
    mask79 = wards["region"] == "79"
    total79, age79 = pop.hcmc_population(w322, wards[mask79], census_districts)
    wards.loc[mask79, "population"] = total79
    ward_age.loc[mask79] = age79
    for region in ("74", "77"):
        mask = wards["region"] == region
        total, ages = pop.province_population(wards[mask], census_provinces, region)
        wards.loc[mask, "population"] = total
        ward_age.loc[mask] = ages

    # Old wards (2021–2025) and crosswalk weights.
    to_2021 = pop.assign_322_to_273(w322, c273)
    absorbed = to_2021[to_2021.index != to_2021.to_numpy()]
    merged_2020 = set(absorbed.to_numpy())
    old = crosswalk.drop_duplicates("old_ward_code").set_index("old_ward_code")
    old_wards = pd.DataFrame(
        {
            "code": old.index,
            "id": "OW" + old.index,
            "name": old["old_ward"].to_numpy(),
            "district_code": old["old_district_code"].to_numpy(),
            "region": old["old_province_code"].to_numpy(),
        }
    ).set_index("code", drop=False)
    # Eight HCMC rows of the crosswalk have no old ward name: take it from the centroid file.
    blank = old_wards["name"].isna()
    old_wards.loc[blank, "name"] = c273["ward"].reindex(old_wards.index[blank]).to_numpy()
    old_wards["district_id"] = "OD" + old_wards["district_code"]
    w322i = w322.set_index("code")
    territory = {
        code: shapely.union_all(w322i.loc[to_2021.index[to_2021 == code], "geometry"].to_numpy())
        for code in set(to_2021.to_numpy())
    }
    old_wards["territory"] = [territory.get(c) for c in old_wards.index]
    old_wards["geom"] = [
        rd.as_multipolygon(w322i.loc[c, "geometry"])
        if r == "79" and c in w322i.index and c not in merged_2020
        else None
        for c, r in zip(old_wards.index, old_wards["region"], strict=True)
    ]
    old_wards["box"] = [c273.loc[c, "box"] if c in c273.index else None for c in old_wards.index]
    old_wards["lon"] = c273["wardLon"].reindex(old_wards.index).astype(float)
    old_wards["lat"] = c273["wardLat"].reindex(old_wards.index).astype(float)
    hcmc_old_pop = w322i.groupby(to_2021.reindex(w322i.index).to_numpy())["population"].sum()
    old_wards["population"] = hcmc_old_pop.reindex(old_wards.index)

    cw79 = crosswalk[crosswalk["old_province_code"] == "79"]
    weights, method = pop.hcmc_weights(cw79, w322, to_2021, wards.loc[mask79])
    other = crosswalk[crosswalk["old_province_code"] != "79"]
    other_pop, other_weights = pop.contribution_weights(other, wards["population"])
    old_wards.loc[other_pop.index, "population"] = other_pop
    for key, value in other_weights.items():
        weights[key] = value
        method[key] = "population contribution" if value < 1 else "single target"

    frame = crosswalk.assign(
        old_id="OW" + crosswalk["old_ward_code"],
        new_id="W" + crosswalk["new_ward_code"],
        weight=[
            weights[(o, n)]
            for o, n in zip(crosswalk["old_ward_code"], crosswalk["new_ward_code"], strict=True)
        ],
        method=[
            method[(o, n)]
            for o, n in zip(crosswalk["old_ward_code"], crosswalk["new_ward_code"], strict=True)
        ],
        source="crosswalk",
    )
    frame["weight_is_estimate"] = frame["partly_merged"] | frame["method"].ne("single target")
    con_dao = {
        "old_province_code": "77",
        "old_district_code": CON_DAO_DISTRICT,
        "old_ward_code": None,
        "partly_merged": False,
        "new_ward_code": CON_DAO_WARD,
        "old_id": "OD" + CON_DAO_DISTRICT,
        "new_id": "W" + CON_DAO_WARD,
        "weight": 1.0,
        "method": "assumed",
        "weight_is_estimate": False,
        "source": "assumed: huyện Côn Đảo = đặc khu Côn Đảo",
    }
    frame = pd.concat([frame, pd.DataFrame([con_dao])], ignore_index=True)

    districts = _districts(shared, crosswalk, census_districts, wards.loc[CON_DAO_WARD, "geometry"])
    estimated = old_wards.groupby("district_code")["population"].sum()
    fill = districts["population"].isna()
    districts.loc[fill, "population"] = estimated.reindex(districts.index[fill]).to_numpy()
    districts.loc[CON_DAO_DISTRICT, "population"] = wards.loc[CON_DAO_WARD, "population"]

    provinces = rd.read_geojson(shared, "boundaries/vn_provinces_pre2025_63.geojson")
    provinces = provinces.set_index(provinces["gso_code"].astype(str).str.zfill(2))
    old_provinces = pd.DataFrame({"code": list(rd.REGIONS)}).set_index("code", drop=False)
    old_provinces["id"] = "OP" + old_provinces["code"]
    old_provinces["name"] = [provinces.loc[c, "name"] for c in old_provinces.index]
    old_provinces["geometry"] = [
        rd.as_multipolygon(provinces.loc[c, "geometry"]) for c in old_provinces.index
    ]
    province_age = pd.DataFrame(
        {
            c: census_provinces[census_provinces["province_key"] == pop.PROVINCE_KEYS[c]]
            .set_index("age_group")["total"]
            .reindex(list(pop.AGE_BANDS))
            for c in rd.REGIONS
        }
    ).T
    old_provinces["population"] = province_age.sum(axis=1).reindex(old_provinces.index)
    district_age = census_districts.assign(
        code=census_districts["district_key"].map(
            lambda k: "769" if k in ("2", "9", "thuduc") else None
        )
    )
    names = districts[districts["region"] == "79"]
    key_to_code = dict(zip(names["name"].map(rd.district_key), names.index, strict=True))
    district_age["code"] = district_age["code"].fillna(
        district_age["district_key"].map(key_to_code)
    )
    district_age = district_age.pivot_table(
        index="code", columns="age_group", values="total", aggfunc="sum"
    ).reindex(columns=list(pop.AGE_BANDS))
    outline = rd.as_multipolygon(
        rd.read_geojson(shared, "boundaries/hcmc_outline_2025.geojson").geometry.iloc[0]
    )
    return Geography(
        wards=wards,
        ward_age=ward_age,
        old_wards=old_wards,
        districts=districts,
        old_provinces=old_provinces,
        crosswalk=frame,
        outline=outline,
        district_age=district_age,
        province_age=province_age,
    )
