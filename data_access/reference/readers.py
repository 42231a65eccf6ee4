"""Readers of the shared reference files into (Geo)DataFrames, with light normalisation."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

#: Old provinces of the merged city: national code → short key.
REGIONS = {"79": "HCMC", "74": "Bình Dương", "77": "Bà Rịa–Vũng Tàu"}
CENSUS_PROVINCES = "population/vn_census2019_population_by_province_age5_urban_rural.csv"
CENSUS_DISTRICTS = "population/hcmc_census2019_population_by_district_age5_urban_rural.csv"
#: Pre-2021 districts that became TP Thủ Đức (769) in 2021.
THU_DUC_PARTS = ("769", "763", "762")


def fold(value: object) -> str:
    """Lower-case ``value`` without diacritics (đ → d), trimmed."""
    text = unicodedata.normalize("NFD", str(value))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text.replace("đ", "d").replace("Đ", "D").lower().strip()


def district_key(name: object) -> str:
    """A district name folded and without its type word (``Quận 1`` → ``1``)."""
    key = re.sub(r"^(quan|huyen|district|thanh pho|tp\.?|thi xa)\s+", "", fold(name))
    return key.replace(" ", "")


def ward_key(name: object) -> str:
    """A ward name folded and without its type word (``Phường 05`` → ``5``)."""
    key = re.sub(r"^(phuong|xa|thi tran|ward|commune)\s+", "", fold(name)).replace(" ", "")
    return key.lstrip("0") if key.isdigit() else key


def as_multipolygon(geom: BaseGeometry) -> shapely.MultiPolygon:
    """``geom`` as a valid MultiPolygon (polygons wrapped; invalid rings repaired)."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if isinstance(geom, shapely.MultiPolygon):
        return geom
    if isinstance(geom, shapely.Polygon):
        return shapely.MultiPolygon([geom])
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, shapely.Polygon)]
    parts += [
        p
        for g in getattr(geom, "geoms", [])
        if isinstance(g, shapely.MultiPolygon)
        for p in g.geoms
    ]
    return shapely.MultiPolygon(parts)


def bounds_box(text: str) -> shapely.Polygon:
    """The box of a ``wardBounds`` value ``"lat1,lon1 – lat2,lon2"``."""
    first, second = (part.strip() for part in re.split(r"\s+[–-]\s+", text))
    lat1, lon1 = (float(v) for v in first.split(","))
    lat2, lon2 = (float(v) for v in second.split(","))
    return shapely.box(min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2))


def read_geojson(shared: Path, path: str) -> gpd.GeoDataFrame:
    """A GeoJSON file of the shared folder, string properties kept as text."""
    frame = gpd.read_file(shared / path)
    for column in frame.columns:
        if column != "geometry" and frame[column].dtype == object:
            frame[column] = frame[column].astype(str)
    return frame


def read_crosswalk(shared: Path) -> pd.DataFrame:
    """The pre-2025 → 2025 ward crosswalk, codes as text, ``partly_merged`` as bool."""
    frame = pd.read_csv(shared / "admin/hcmc_ward_crosswalk_pre2025_to_2025.csv", dtype=str)
    frame["partly_merged"] = frame["partly_merged"].str.lower().eq("true")
    return frame


def read_centroids_2025(shared: Path) -> pd.DataFrame:
    """Geocoded centres of the 168 wards, indexed by ward code."""
    frame = pd.read_csv(
        shared / "admin/hcmc_wards_2025_168_centroids.csv",
        dtype={"wardCode": str, "provinceCode": str},
    )
    return frame.set_index("wardCode")


def read_centroids_2021(shared: Path) -> pd.DataFrame:
    """Geocoded centres and bounds of the 273 wards of 2021–2025, indexed by ward code."""
    frame = pd.read_csv(
        shared / "admin/hcmc_wards_2021_2025_273_centroids.csv",
        dtype={"wardCode": str, "districtCode": str, "provinceCode": str},
    )
    frame["box"] = frame["wardBounds"].map(bounds_box)
    return frame.set_index("wardCode")


def read_wards_322(shared: Path) -> gpd.GeoDataFrame:
    """The 322 pre-2021 wards with their 2019 census population (joined by names).

    The census CSV has names only; the polygons have codes and English names. Both are
    folded to ``district|ward`` keys; all 322 rows match one to one.
    """
    polygons = read_geojson(shared, "boundaries/hcmc_wards_322_pre2021_pop2009_2019.geojson")
    census = pd.read_csv(shared / "population/hcmc_census2019_population_by_ward_322.csv")
    census["key"] = census["district"].map(district_key) + "|" + census["ward"].map(ward_key)
    polygons["key"] = (
        polygons["Dist_Name"].map(district_key) + "|" + polygons["Com_Name"].map(ward_key)
    )
    merged = polygons.merge(
        census[["key", "ward", "total", "urban", "rural"]],
        on="key",
        how="left",
        validate="one_to_one",
    )
    if merged["total"].isna().any():
        missing = merged.loc[merged["total"].isna(), "key"].tolist()
        raise ValueError(f"census wards without a polygon match: {missing[:5]}")
    merged["code"] = merged["Com_ID"].astype(str)
    merged["district_2021"] = (
        merged["Dist_ID"]
        .astype(str)
        .where(~merged["Dist_ID"].astype(str).isin(THU_DUC_PARTS), "769")
    )
    merged["population"] = merged["total"].astype(float)
    merged["geometry"] = merged.geometry.map(as_multipolygon)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=polygons.crs)


def read_census_provinces(shared: Path) -> pd.DataFrame:
    """Census 2019 by province and age group (``province`` folded, ``age_group`` 00-04…)."""
    frame = pd.read_csv(shared / CENSUS_PROVINCES)
    frame = frame[frame["level"].str.strip() == "province"].copy()
    frame["province_key"] = (
        frame["province"]
        .map(fold)
        .str.replace(r"^(tinh|thanh pho)\s+", "", regex=True)
        .str.replace(r"\s*-\s*", "-", regex=True)
    )
    frame["age_group"] = frame["age_group"].map(age_band)
    return frame


def read_census_districts(shared: Path) -> pd.DataFrame:
    """Census 2019 of old HCMC by district and age group (districts as 2021 codes)."""
    frame = pd.read_csv(shared / CENSUS_DISTRICTS)
    frame = frame[frame["level"].str.strip() == "district"].copy()
    frame["age_group"] = frame["age_group"].map(age_band)
    frame["district_key"] = frame["district"].map(district_key)
    return frame


def age_band(label: str) -> str:
    """``"0 - 04"`` → ``"00-04"``; ``"85+"`` stays."""
    label = str(label).strip()
    if "-" not in label:
        return label
    low, high = (int(v) for v in label.split("-"))
    return f"{low:02d}-{high:02d}"


def read_press(shared: Path) -> pd.DataFrame:
    """The press-reported figures, with ``year`` (start year) and ``region`` (79 or all)."""
    frame = pd.read_csv(shared / "education_stats/hcmc_enrolment_press_reported_2015_2025.csv")
    frame["year"] = frame["school_year"].str.slice(0, 4).astype(int)
    frame["region"] = frame["scope"].map(lambda s: "79" if "pre-merger" in s else "all")
    return frame
