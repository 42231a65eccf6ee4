"""Loading the real reference data as is, each row with its recorded source."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection

from data_access.reference.admissions import read_cutoffs
from data_access.reference.dx import write_criteria
from data_access.reference.geography import Geography, build_geography
from data_access.reference.plan import write_plan
from data_access.reference.readers import district_key, read_press
from data_access.reference.units import write_geography

#: Files the loader needs (relative to the shared data folder).
REQUIRED_FILES = (
    "boundaries/hcmc_wards_2025_168.geojson",
    "boundaries/hcmc_outline_2025.geojson",
    "boundaries/vn_provinces_pre2025_63.geojson",
    "boundaries/hcmc_districts_24_pre2021_pop2009_2019.geojson",
    "boundaries/hcmc_wards_322_pre2021_pop2009_2019.geojson",
    "admin/hcmc_ward_crosswalk_pre2025_to_2025.csv",
    "admin/hcmc_wards_2025_168_centroids.csv",
    "admin/hcmc_wards_2021_2025_273_centroids.csv",
    "population/hcmc_census2019_population_by_ward_322.csv",
    "population/hcmc_census2019_population_by_district_age5_urban_rural.csv",
    "population/vn_census2019_population_by_province_age5_urban_rural.csv",
    "education_stats/hcmc_enrolment_press_reported_2015_2025.csv",
    "plan_2023/units.csv",
    "plan_2023/data_domains.csv",
    "plan_2023/plan_2023_items.csv",
    "plan_2023/dx_tasks_2022_2025.csv",
    "plan_2023/groups.csv",
    "dx_index/criteria_4725_secondary_source.csv",
    "admissions/hcmc_grade10_cutoffs_2015_2021_nv123.csv",
    "exams/exam_thpt2025_hanoi_sample_scores.csv",
)


@dataclass
class Reference:
    """The loaded reference data that the generator builds on."""

    shared: Path
    geo: Geography
    tasks: pd.DataFrame
    criteria: pd.DataFrame
    cutoff_rows: pd.DataFrame
    real_schools: pd.DataFrame
    press: pd.DataFrame
    rows: dict[str, int] = field(default_factory=dict)


def missing_files(shared: Path) -> list[str]:
    """The required reference files that are not in ``shared``."""
    return [name for name in REQUIRED_FILES if not (shared / name).is_file()]


def load_reference(conn: Connection, shared: Path) -> Reference:
    """Write the real data (units, crosswalk, population, plan, DX criteria) and read the
    rest (cut-offs, press figures) for the generator.

    Parameters
    ----------
    conn
        A connection inside the seeding transaction.
    shared
        The reference data folder (see its README.md).

    Returns
    -------
    Reference
        The parsed data and the rows written per source key.
    """
    geo = build_geography(shared)
    rows = write_geography(conn, geo)
    tasks, rows["plan_2023"] = write_plan(conn, shared)
    criteria, rows["dx_criteria"] = write_criteria(conn, shared)
    hcmc = geo.districts[geo.districts["region"] == "79"]
    codes = dict(zip(hcmc["name"].map(district_key), hcmc.index, strict=True))
    cutoff_rows, schools = read_cutoffs(shared, codes)
    press = read_press(shared)
    return Reference(
        shared=shared,
        geo=geo,
        tasks=tasks,
        criteria=criteria,
        cutoff_rows=cutoff_rows,
        real_schools=schools,
        press=press,
        rows=rows,
    )
