"""National scale: the other 33 provinces of 2025, thinner (2023–2025, fewer domains)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection

from data_access.generator import dx
from data_access.generator import names as nm
from data_access.generator.city import Generated
from data_access.generator.common import FactContext
from data_access.generator.exams import read_exam_sample
from data_access.generator.kinds import PROGRAMMES, TYPES, licences
from data_access.generator.pipeline import fact_tables
from data_access.generator.rng import stream
from data_access.models import MERGER_DATE, OLD_PROVINCE, AdminUnit, Population, UnitCrosswalk
from data_access.reference import Reference
from data_access.reference.bulk import insert_frame, insert_records
from data_access.reference.readers import as_multipolygon, fold, read_census_provinces
from data_access.reference.units import OLD_VALID_TO, PROVINCE_2025, PROVINCE_PREFIX

YEARS = (2023, 2024, 2025)
#: Institutions per 100,000 inhabitants outside HCMC (assumed from national totals:
#: ~15,000 preschools, ~13,000 primary, ~10,000 lower- and ~2,500 upper-secondary schools).
RATES = {
    "ps_pub": 13.2,
    "ps_priv": 5.5,
    "p_pub": 15.4,
    "p_priv": 0.3,
    "pl_pub": 2.2,
    "pl_priv": 0.2,
    "ls_pub": 12.6,
    "ls_priv": 0.2,
    "us_pub": 2.9,
    "us_priv": 0.4,
    "lu_pub": 0.9,
    "lu_priv": 0.1,
    "ml_priv": 0.1,
    "intl": 0.03,
    "ce": 0.9,
    "lang": 6.0,
    "abroad": 0.55,
    "skills": 0.45,
    "office": 0.03,
}
#: Pupils per inhabitant of the census age band (national enrolment ÷ 2019 population).
ENROLMENT = {
    "preschool": ("00-04", 0.68),
    "primary": ("05-09", 1.0),
    "lower_secondary": ("10-14", 0.93),
    "upper_secondary": ("15-19", 0.43),
}
PTR = {"preschool": 12.0, "primary": 22.0, "lower_secondary": 19.0, "upper_secondary": 18.0}
CITY_OLD = ("79", "74", "77")


def _key(name: str) -> str:
    key = re.sub(r"^(tinh|thanh pho)\s+", "", fold(name))
    key = re.sub(r"\s*-\s*", "-", key)
    return {"hue": "thua thien hue"}.get(key, key)


def provinces(ref: Reference) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """The 2025 provinces, the pre-2025 provinces (with census), and old → new mapping."""
    shared = ref.shared
    new = gpd.read_file(shared / "boundaries/vn_provinces_2025_34.geojson")
    old = gpd.read_file(shared / "boundaries/vn_provinces_pre2025_63.geojson")
    new["code"] = new["code"].astype(str).str.zfill(2)
    old["code"] = old["gso_code"].astype(str).str.zfill(2)
    census = read_census_provinces(shared)
    ages = census.pivot_table(
        index="province_key", columns="age_group", values="total", aggfunc="sum"
    )
    old["key"] = old["name"].map(_key)
    missing = set(old["key"]) - set(ages.index)
    if missing:
        raise ValueError(f"census has no provinces {sorted(missing)}")
    over = gpd.overlay(
        old[["code", "geometry"]].to_crs(3405),
        new[["code", "geometry"]].to_crs(3405),
        how="intersection",
        keep_geom_type=True,
    )
    over["area"] = over.area
    best = over.sort_values("area").groupby("code_1").tail(1)
    mapping = pd.DataFrame({"old": best["code_1"], "new": best["code_2"]}).set_index("old")
    old["new"] = old["code"].map(mapping["new"])
    old["population"] = ages.sum(axis=1).reindex(old["key"]).to_numpy()
    return new.set_index("code", drop=False), old.set_index("code", drop=False), ages


def write_units(
    conn: Connection,
    ref: Reference,
    new: gpd.GeoDataFrame,
    old: gpd.GeoDataFrame,
    ages: pd.DataFrame,
) -> None:
    """Insert the other provinces (2025 and pre-2025), their crosswalk and census rows."""
    others_old = old[~old["code"].isin(CITY_OLD)]
    others_new = new[new["code"] != "79"]
    pop_new = others_old.groupby("new")["population"].sum()
    rows = []
    for p in others_new.itertuples():
        geom = as_multipolygon(p.geometry)
        centre = geom.representative_point()
        rows.append(
            {
                "id": PROVINCE_PREFIX + p.code,
                "code": p.code,
                "kind": PROVINCE_2025,
                "name": p.fullName,
                "name_en": p.fullNameEn,
                "unit_type": None,
                "parent_id": None,
                "valid_from": MERGER_DATE,
                "valid_to": None,
                "area_km2": float(p.areaKm2),
                "population": round(float(pop_new.get(p.code, 0))),
                "population_note": "2019 census of the provinces merged into it",
                "centroid_lon": centre.x,
                "centroid_lat": centre.y,
                "geom": geom,
                "source": "provinces_2025",
            }
        )
    for p in others_old.itertuples():
        geom = as_multipolygon(p.geometry)
        centre = geom.representative_point()
        rows.append(
            {
                "id": "OP" + p.code,
                "code": p.code,
                "kind": OLD_PROVINCE,
                "name": p.name,
                "name_en": None,
                "unit_type": None,
                "parent_id": None,
                "valid_from": None,
                "valid_to": OLD_VALID_TO,
                "area_km2": None,
                "population": round(float(p.population)),
                "population_note": "2019 census",
                "centroid_lon": centre.x,
                "centroid_lat": centre.y,
                "geom": geom,
                "source": "provinces_pre2025",
            }
        )
    insert_records(conn, AdminUnit, rows)
    insert_frame(
        conn,
        UnitCrosswalk,
        pd.DataFrame(
            {
                "old_unit_id": "OP" + others_old["code"],
                "new_unit_id": "P" + others_old["new"],
                "partly_merged": False,
                "weight": 1.0,
                "weight_is_estimate": False,
                "source": "assumed: whole-province merger of 2025",
            }
        ),
    )
    long = ages.reindex(others_old["key"]).set_axis("OP" + others_old["code"].to_numpy())
    long["total"] = long.sum(axis=1)
    long = long.reset_index(names="unit_id").melt(
        id_vars="unit_id", var_name="age_group", value_name="population"
    )
    long["population"] = long["population"].round().astype(int)
    insert_frame(
        conn, Population, long.assign(year=2019, generated=False, source="census_provinces")
    )


def build_registry(
    seed: int, new: gpd.GeoDataFrame, old: gpd.GeoDataFrame, first_id: int, as_of: date
) -> pd.DataFrame:
    """Institutions of the other provinces, placed inside old ∩ new province polygons."""
    rng = stream(seed, "national:registry")
    others = old[~old["code"].isin(CITY_OLD)]
    parts = []
    for p in others.itertuples():
        for type_key, rate in RATES.items():
            n = int(rng.poisson(rate * p.population / 100_000))
            if n:
                parts.append(
                    pd.DataFrame({"type": type_key, "old": p.code, "region": p.new}, index=range(n))
                )
    reg = pd.concat(parts, ignore_index=True)
    kinds = [TYPES[t] for t in reg["type"]]
    n = len(reg)
    founded = np.array([k.founded for k in kinds])
    reg["opened_year"] = rng.integers(founded[:, 0], founded[:, 1])
    late = rng.random(n) < 0.03
    reg.loc[late, "opened_year"] = rng.choice(list(YEARS[1:]), int(late.sum()))
    reg["closed_year"] = np.where(
        rng.random(n) < np.array([k.churn for k in kinds]) / 2, 2025.0, np.nan
    )
    reg.loc[reg["opened_year"] >= 2025, "closed_year"] = np.nan
    reg["kind"] = [k.kind for k in kinds]
    reg["level"] = [k.level for k in kinds]
    reg["grade_from"] = [k.grades[0] if k.grades else np.nan for k in kinds]
    reg["grade_to"] = [k.grades[1] if k.grades else np.nan for k in kinds]
    reg["ownership"] = [k.ownership for k in kinds]
    reg["stages"] = [k.stages for k in kinds]
    lon, lat = np.empty(n), np.empty(n)
    tree = shapely.STRtree(new.geometry.to_numpy())
    for (old_code, new_code), index in reg.groupby(["old", "region"]).groups.items():
        area = old.loc[old_code, "geometry"].intersection(new.loc[new_code, "geometry"])
        shapely.prepare(area)
        x, y = _points(rng, area, tree, len(index))
        lon[np.asarray(index)], lat[np.asarray(index)] = x, y
    reg["lon"], reg["lat"] = lon, lat
    reg["geom"] = list(shapely.points(lon, lat))
    reg["ward_id"] = PROVINCE_PREFIX + reg["region"]
    reg["old_ward_id"] = None
    reg["pre_unit"] = "OP" + reg["old"]
    province_name = new["fullName"].reindex(reg["region"]).to_numpy()
    empty = pd.Series([""] * n)
    base = nm.base_names(
        rng, reg["type"], reg["kind"], reg["level"], empty, pd.Series(province_name)
    )
    reg["name"] = nm.make_unique(base, reg["region"].to_numpy(), set())
    reg["address"] = nm.addresses(rng, pd.Series(province_name), reg["region"])
    reg["programmes"] = [PROGRAMMES[k][rng.integers(len(PROGRAMMES[k]))] for k in reg["kind"]]
    reg["code"] = [
        f"{r}-{TYPES[t].prefix}-{i:06d}"
        for i, (r, t) in enumerate(zip(reg["region"], reg["type"], strict=True), start=1)
    ]
    reg["size"] = [k.size for k in kinds] * rng.lognormal(0.0, 0.35, n)
    reg["quality"] = rng.normal(0.0, 1.0, n)
    reg["overcrowded"] = False
    reg["canonical"] = None
    licensed = np.array([k.licensed for k in kinds])
    for column in ("licence_no", "licence_issued", "licence_valid_until", "licence_status"):
        reg[column] = None
    lic = licences(rng, reg[licensed], as_of)
    for column in lic.columns:
        reg.loc[licensed, column] = lic[column].to_numpy()
    reg["generated"] = True
    reg["source"] = "generator (national)"
    reg.insert(0, "id", np.arange(first_id, first_id + n))
    return reg


def _points(
    rng: np.random.Generator, area, tree: shapely.STRtree, n: int
) -> tuple[np.ndarray, np.ndarray]:
    minx, miny, maxx, maxy = area.bounds
    xs, ys, found = [], [], 0
    while found < n:
        m = max(64, 3 * (n - found))
        x, y = rng.uniform(minx, maxx, m), rng.uniform(miny, maxy, m)
        x, y = x[shapely.contains_xy(area, x, y)], y[shapely.contains_xy(area, x, y)]
        if len(x):
            hits = tree.query(shapely.points(x, y), predicate="intersects")[0]
            keep = np.bincount(hits, minlength=len(x)) == 1
            x, y = x[keep], y[keep]
        xs.append(x)
        ys.append(y)
        found += len(x)
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def targets(old: gpd.GeoDataFrame, ages: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pupils and pupils per teacher per 2025 province, stage and year (not calibrated)."""
    others = old[~old["code"].isin(CITY_OLD)]
    rows = []
    for stage, (band, rate) in ENROLMENT.items():
        by_new = ages.reindex(others["key"])[band].to_numpy() * rate
        sums = pd.Series(by_new, index=others["new"].to_numpy()).groupby(level=0).sum()
        for code, value in sums.items():
            for year in YEARS:
                rows.append((code, stage, year, float(value) * (1 + 0.005 * (year - 2023))))
    frame = pd.DataFrame(rows, columns=["region", "stage", "year", "pupils"])
    ratios = frame[["region", "stage", "year"]].assign(ptr=frame["stage"].map(PTR))
    return frame, ratios


def generate(
    conn: Connection,
    ref: Reference,
    seed: int,
    as_of: date,
    city: Generated,
    batches: dict[tuple[int, int], int],
    step: Callable[[str], None],
) -> Generated:
    """Write the other provinces' units and generate their institutions and facts.

    HCMC (the city part) is untouched, so its rows are identical at both scales.
    """
    step("provinces of Vietnam")
    new, old, ages = provinces(ref)
    write_units(conn, ref, new, old, ages)
    step("institutions of the other provinces")
    registry = build_registry(seed, new, old, int(city.registry["id"].max()) + 1, as_of)
    pupils, ratios = targets(old, ages)
    ctx = FactContext(
        seed=seed, registry=registry, years=YEARS, batches=batches, stream_prefix="national:"
    )
    urban = pd.Series(np.zeros(len(registry), dtype=bool))
    facts = fact_tables(ctx, pupils, ratios, None, urban, read_exam_sample(ref.shared), step)
    step("DX levels of the other provinces")
    first = int(city.assessments["id"].max()) + 1 if len(city.assessments) else 1
    ctx_dx = FactContext(seed=seed, registry=registry, years=(2025,), stream_prefix="national:")
    assessments, scores = dx.dx_frames(ctx_dx, ref.criteria, (), first_id=first)
    return Generated(registry=registry, facts=facts, assessments=assessments, scores=scores)
