"""Write the geography as AdminUnit, UnitCrosswalk and Population rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from data_access.models import (
    MERGER_DATE,
    OLD_DISTRICT,
    OLD_PROVINCE,
    OLD_WARD,
    PROVINCE_2025,
    WARD_2025,
    AdminUnit,
    Population,
    UnitCrosswalk,
)
from data_access.models.geography import UNIT_PREFIX
from data_access.reference.bulk import insert_frame, insert_records
from data_access.reference.geography import Geography, unit_type_of
from data_access.reference.population import AGE_BANDS

#: Kind of the 2025 provinces (HCMC at city scale; all 34 at national scale). Not yet a
#: constant of data_access.models.geography; ids are ``P`` + national code.
PROVINCE_PREFIX = UNIT_PREFIX[PROVINCE_2025]
OLD_VALID_TO = MERGER_DATE - timedelta(days=1)
CENSUS_YEAR = 2019
OVERLAY_NOTE = "2019 census, 322 census wards overlaid by area (estimate)"
SPLIT_NOTE = "2019 census province urban/rural total split over wards (estimate)"


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else round(float(value))


def unit_records(geo: Geography) -> list[dict[str, Any]]:
    """AdminUnit rows of the merged city: province, 168 wards, old provinces/districts/wards.

    Parents come before children so the self-referencing foreign key holds row by row.
    """
    hcmc = geo.outline.representative_point()
    rows: list[dict[str, Any]] = [
        {
            "id": PROVINCE_PREFIX + "79",
            "code": "79",
            "kind": PROVINCE_2025,
            "name": "Thành phố Hồ Chí Minh",
            "name_en": "Ho Chi Minh City",
            "unit_type": "thanh_pho",
            "parent_id": None,
            "valid_from": MERGER_DATE,
            "valid_to": None,
            "area_km2": 6772.59,
            "population": _int(geo.wards["population"].sum()),
            "population_note": "sum of the 2025 wards' estimates (2019 census)",
            "centroid_lon": hcmc.x,
            "centroid_lat": hcmc.y,
            "geom": geo.outline,
            "source": "hcmc_outline_2025",
        }
    ]
    for w in geo.wards.itertuples():
        rows.append(
            {
                "id": w.id,
                "code": w.code,
                "kind": WARD_2025,
                "name": w.name,
                "name_en": w.name_en,
                "unit_type": w.unit_type,
                "parent_id": "P79",
                "valid_from": MERGER_DATE,
                "valid_to": None,
                "area_km2": w.area_km2,
                "population": _int(w.population),
                "population_note": OVERLAY_NOTE if w.region == "79" else SPLIT_NOTE,
                "centroid_lon": _num(w.lon),
                "centroid_lat": _num(w.lat),
                "geom": w.geometry,
                "source": "wards_2025",
            }
        )
    for p in geo.old_provinces.itertuples():
        centre = p.geometry.representative_point()
        rows.append(
            {
                "id": p.id,
                "code": p.code,
                "kind": OLD_PROVINCE,
                "name": p.name,
                "name_en": None,
                "unit_type": unit_type_of(p.name),
                "parent_id": None,
                "valid_from": None,
                "valid_to": OLD_VALID_TO,
                "area_km2": None,
                "population": _int(p.population),
                "population_note": "2019 census",
                "centroid_lon": centre.x,
                "centroid_lat": centre.y,
                "geom": p.geometry,
                "source": "provinces_pre2025",
            }
        )
    for d in geo.districts.itertuples():
        centre = d.geometry.representative_point() if d.geometry is not None else None
        note = "2019 census" if d.region == "79" else "sum of ward estimates (2019 census)"
        rows.append(
            {
                "id": d.id,
                "code": d.code,
                "kind": OLD_DISTRICT,
                "name": d.name,
                "name_en": None,
                "unit_type": unit_type_of(d.name),
                "parent_id": "OP" + d.region,
                "valid_from": date(2021, 1, 1) if d.code == "769" else None,
                "valid_to": OLD_VALID_TO,
                "area_km2": None,
                "population": _int(d.population),
                "population_note": note,
                "centroid_lon": centre.x if centre else None,
                "centroid_lat": centre.y if centre else None,
                "geom": d.geometry,
                "source": "crosswalk" if d.code != "755" else "assumed: Côn Đảo district",
            }
        )
    for o in geo.old_wards.itertuples():
        note = (
            "2019 census (sum of the census wards it covers)"
            if o.region == "79"
            else "2019 census, share of the 2025 wards it went to (estimate)"
        )
        rows.append(
            {
                "id": o.id,
                "code": o.code,
                "kind": OLD_WARD,
                "name": o.name,
                "name_en": None,
                "unit_type": unit_type_of(o.name),
                "parent_id": o.district_id,
                "valid_from": None,
                "valid_to": OLD_VALID_TO,
                "area_km2": None,
                "population": _int(o.population),
                "population_note": note,
                "centroid_lon": _num(o.lon),
                "centroid_lat": _num(o.lat),
                "geom": o.geom,
                "source": "crosswalk",
            }
        )
    return rows


def crosswalk_frame(geo: Geography) -> pd.DataFrame:
    """UnitCrosswalk rows (old unit → 2025 ward, weight, whether the weight is estimated)."""
    cw = geo.crosswalk
    return pd.DataFrame(
        {
            "old_unit_id": cw["old_id"],
            "new_unit_id": cw["new_id"],
            "partly_merged": cw["partly_merged"].astype(bool),
            "weight": cw["weight"].astype(float),
            "weight_is_estimate": cw["weight_is_estimate"].astype(bool),
            "source": cw["source"],
        }
    )


def population_frame(geo: Geography) -> pd.DataFrame:
    """Population rows of 2019: census counts and the documented estimates."""
    parts = []

    def add(unit_ids: pd.Index, table: pd.DataFrame, source: str, bands: bool) -> None:
        table = table.copy()
        table.index = unit_ids
        frame = table.reindex(columns=list(AGE_BANDS)) if bands else pd.DataFrame(index=unit_ids)
        frame["total"] = table.sum(axis=1) if bands else table.iloc[:, 0]
        long = frame.reset_index(names="unit_id").melt(
            id_vars="unit_id", var_name="age_group", value_name="population"
        )
        long["source"] = source
        parts.append(long)

    add(pd.Index("OP" + geo.province_age.index), geo.province_age, "census_provinces", True)
    add(pd.Index("OD" + geo.district_age.index), geo.district_age, "census_districts", True)
    hcmc = geo.old_wards[geo.old_wards["region"] == "79"]
    add(pd.Index(hcmc["id"]), hcmc[["population"]], "census_wards", False)
    other = geo.old_wards[geo.old_wards["region"] != "79"]
    add(pd.Index(other["id"]), other[["population"]], "census_provinces (estimate)", False)
    add(pd.Index(geo.wards["id"]), geo.ward_age, "census (estimate)", True)
    frame = pd.concat(parts, ignore_index=True)
    frame["population"] = frame["population"].round().astype(int)
    frame["year"] = CENSUS_YEAR
    frame["generated"] = False
    return frame[["unit_id", "year", "age_group", "population", "generated", "source"]]


def write_geography(conn: Connection, geo: Geography) -> dict[str, int]:
    """Insert units, crosswalk and population; return rows written per source key."""
    units = unit_records(geo)
    insert_records(conn, AdminUnit, units)
    crosswalk = crosswalk_frame(geo)
    insert_frame(conn, UnitCrosswalk, crosswalk)
    population = population_frame(geo)
    insert_frame(conn, Population, population)
    by_source: dict[str, int] = {}
    for row in units:
        by_source[row["source"]] = by_source.get(row["source"], 0) + 1
    return {
        "wards_2025": by_source.get("wards_2025", 0),
        "hcmc_outline_2025": 1,
        "provinces_pre2025": by_source.get("provinces_pre2025", 0),
        "districts_pre2021": int(geo.districts["geometry"].notna().sum()) - 1,
        "wards_pre2021": int(geo.old_wards["geom"].notna().sum()),
        "crosswalk": int((crosswalk["source"] == "crosswalk").sum()),
        "centroids_2025": int(geo.wards["lon"].notna().sum()),
        "centroids_2021": int(geo.old_wards["lon"].notna().sum()),
        "census_wards": int((population["source"] == "census_wards").sum()),
        "census_districts": int((population["source"] == "census_districts").sum()),
        "census_provinces": int(population["source"].str.startswith("census_provinces").sum()),
    }
