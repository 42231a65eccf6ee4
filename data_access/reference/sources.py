"""The register of data sources: what each file is, where it came from, its licence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

from data_access.models import DataSource
from data_access.reference.bulk import insert_records
from data_access.reference.readers import CENSUS_DISTRICTS, CENSUS_PROVINCES


@dataclass(frozen=True)
class Source:
    """One source file (or the generator) as shown on /about/data."""

    key: str
    path: str
    title: str
    origin: str
    licence: str
    note: str = ""
    generated: bool = False


NOT_STATED = "not stated"
SOURCES: tuple[Source, ...] = (
    Source(
        "wards_2025",
        "boundaries/hcmc_wards_2025_168.geojson",
        "HCMC wards since 1 July 2025 (168 units) with polygons",
        "github thanglequoc/vietnamese-provinces-database (official 2025 merger map)",
        "MIT",
    ),
    Source(
        "hcmc_outline_2025",
        "boundaries/hcmc_outline_2025.geojson",
        "Outline of the merged Ho Chi Minh City (2025)",
        "github thanglequoc/vietnamese-provinces-database",
        "MIT",
    ),
    Source(
        "provinces_2025",
        "boundaries/vn_provinces_2025_34.geojson",
        "Vietnam's 34 provinces since 2025 (national scale only)",
        "github thanglequoc/vietnamese-provinces-database",
        "MIT",
    ),
    Source(
        "provinces_pre2025",
        "boundaries/vn_provinces_pre2025_63.geojson",
        "Vietnam's 63 provinces before 2025 (old HCMC, Bình Dương, Bà Rịa–Vũng Tàu outlines)",
        "github phamductu/vietnamese-provincial-icons (data from Open Development Mekong)",
        "MIT",
    ),
    Source(
        "districts_pre2021",
        "boundaries/hcmc_districts_24_pre2021_pop2009_2019.geojson",
        "The 24 districts of old HCMC before 2021 (TP Thủ Đức = Q2 + Q9 + Thủ Đức)",
        "github hgscarlette/vn-demographic (CityScope HCMC data)",
        NOT_STATED,
    ),
    Source(
        "wards_pre2021",
        "boundaries/hcmc_wards_322_pre2021_pop2009_2019.geojson",
        "The 322 wards of old HCMC before the 2020–21 mergers (population overlay)",
        "github hgscarlette/vn-demographic (CityScope HCMC data)",
        NOT_STATED,
    ),
    Source(
        "crosswalk",
        "admin/hcmc_ward_crosswalk_pre2025_to_2025.csv",
        "Crosswalk of 441 pre-2025 wards to the 2025 wards",
        "Statistics office conversion table as shipped in PyPI vietnam-provinces 2026.9.0",
        NOT_STATED,
    ),
    Source(
        "centroids_2025",
        "admin/hcmc_wards_2025_168_centroids.csv",
        "Geocoded centre points of the 168 wards of 2025",
        "PyPI vietnamadminunits 1.0.4",
        "MIT",
    ),
    Source(
        "centroids_2021",
        "admin/hcmc_wards_2021_2025_273_centroids.csv",
        "Geocoded centre points and bounds of the 273 wards of old HCMC (2021–2025)",
        "PyPI vietnamadminunits 1.0.4",
        "MIT",
    ),
    Source(
        "census_wards",
        "population/hcmc_census2019_population_by_ward_322.csv",
        "2019 census population of the 322 wards of old HCMC",
        "GSO 2019 census cubes via github hgscarlette/vn-demographic",
        NOT_STATED,
    ),
    Source(
        "census_districts",
        CENSUS_DISTRICTS,
        "2019 census, old HCMC by district, 5-year age group, urban/rural",
        "GSO 2019 census cubes via github hgscarlette/vn-demographic",
        NOT_STATED,
    ),
    Source(
        "census_provinces",
        CENSUS_PROVINCES,
        "2019 census by province, 5-year age group, urban/rural",
        "GSO 2019 census cubes via github hgscarlette/vn-demographic",
        NOT_STATED,
    ),
    Source(
        "gso_education",
        "education_stats/vn_gso_education_by_province_2002_2016_long.csv",
        "GSO education statistics by province 2002–2016 (56 provinces; not HCMC, BD, BR-VT)",
        "github choisy/gso (statistics office exports of 2018-09-21)",
        "GPL-3 (package data)",
        note="Read for documentation only: the three provinces of the merged city are absent.",
    ),
    Source(
        "press_figures",
        "education_stats/hcmc_enrolment_press_reported_2015_2025.csv",
        "Figures the Department gave the press, 2015–2025 (calibration targets)",
        "Press articles, one URL per row",
        NOT_STATED,
        note="Calibration targets (see calibration_table); not stored as rows.",
    ),
    Source(
        "plan_2023",
        "plan_2023/",
        "Plan 723/KH-SGDĐT (22/02/2023): units, data domains, 2023 items, DX tasks 2022–2025",
        "HCMC Department of Education and Training (public administrative document)",
        NOT_STATED,
    ),
    Source(
        "dx_criteria",
        "dx_index/criteria_4725_secondary_source.csv",
        "Criteria of the schools' DX index, Decision 4725/QĐ-BGDĐT (secondary source)",
        "A school application's seed data (secondary source; group 2 sums to 90)",
        NOT_STATED,
    ),
    Source(
        "cutoffs",
        "admissions/hcmc_grade10_cutoffs_2015_2021_nv123.csv",
        "Grade-10 entrance cut-off scores of ~110 public high schools, 2015–2021",
        "Public SQL dumps of unknown origin (known typos, normalised on load)",
        NOT_STATED,
    ),
    Source(
        "exam_scores",
        "exams/exam_thpt2025_hanoi_sample_scores.csv",
        "2025 graduation exam scores, Hà Nội sample (score distributions only)",
        "github harveycdr/DiemThiTHPT2025",
        NOT_STATED,
        note="Graduation scores are drawn from its distribution; not stored as rows.",
    ),
    Source(
        "generator",
        "data_access/generator/",
        "Calibrated synthetic warehouse (institutions and all facts)",
        "This project's generator, calibrated to the press figures above",
        "MIT",
        note="Every generated row carries generated=True.",
        generated=True,
    ),
)
BY_KEY = {source.key: source for source in SOURCES}


def origin_of(key: str, shared_dir: Path) -> str:
    """Where a source came from: its upstream origin and the file it was read from."""
    source = BY_KEY[key]
    if source.generated:
        return source.origin
    return f"{source.origin}; file {shared_dir / source.path}"


def write_sources(
    conn: Connection, shared_dir: Path, rows: dict[str, int], loaded_at: datetime
) -> int:
    """Write one DataSource row per source with the number of rows loaded from it.

    Parameters
    ----------
    conn
        A connection inside the seeding transaction.
    shared_dir
        The reference data folder (recorded in ``origin``).
    rows
        Rows loaded per source key (missing keys count 0).
    loaded_at
        The load time written to every row.
    """
    records = [
        {
            "key": s.key,
            "title": s.title,
            "origin": origin_of(s.key, shared_dir),
            "licence": s.licence,
            "generated": s.generated,
            "rows": int(rows.get(s.key, 0)),
            "loaded_at": loaded_at,
            "note": s.note or None,
        }
        for s in SOURCES
    ]
    return insert_records(conn, DataSource, records)
