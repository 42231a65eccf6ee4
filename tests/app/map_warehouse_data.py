"""A hand-made warehouse for the public map (real units and names).

``build_map_warehouse`` is used by the map tests and by bench/bench_map.py: the
168 wards of 2025 with their real polygons, the old districts and wards of HCMC with the
crosswalk, the grade-10 schools under their real names, a few centres of every kind, one
institution whose name is full of HTML, and optionally many synthetic institutions.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPolygon, shape
from sqlalchemy import Engine, insert

from data_access.models import (
    AdminUnit,
    AdmissionCutoff,
    DxAssessment,
    DxCriteriaSet,
    FactEnrolment,
    FactFacility,
    FactStaff,
    Institution,
    UnitCrosswalk,
)
from ioc_app.core.config import shared_data_dir

HOSTILE_NAME = '<script>alert("x")</script> Trường <b>Hoa Sen</b> & \'Bé\' "Ngoan"'
HOSTILE_ADDRESS = '<img src=x onerror="alert(1)"> 12 Đường "Số" 3'
LQD = "Trường THPT Lê Quý Đôn"
SOURCE = "test: hand-made map warehouse"
KIND_NAMES = {
    "language_it_centre": "Trung tâm Ngoại ngữ",
    "study_abroad": "Công ty Tư vấn du học",
    "life_skills": "Trung tâm Kỹ năng sống",
    "representative_office": "Văn phòng đại diện",
    "continuing_education": "Trung tâm GDNN-GDTX",
    "international_school": "Trường Quốc tế",
}
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý"
GIVENS = "An Bình Cường Dũng Hải Hùng Lan Linh Long Mai Nam Phúc Sơn Tâm Thảo Trang"
LEVEL_PREFIX = (
    ("Trường Mầm non", "preschool"),
    ("Trường Tiểu học", "primary"),
    ("Trường THCS", "lower_secondary"),
    ("Trường THPT", "upper_secondary"),
)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _units(data: Path) -> tuple[list[dict], list[dict], dict[str, dict]]:
    """Admin units (old province, districts, wards; 2025 wards with shapes) and crosswalk."""
    units: list[dict[str, Any]] = [
        dict(id="OP79", code="79", kind="old_province", name="Thành phố Hồ Chí Minh", source=SOURCE)
    ]
    wards = json.loads((data / "boundaries" / "hcmc_wards_2025_168.geojson").read_text("utf-8"))
    for feature in wards["features"]:
        props = feature["properties"]
        geom = shape(feature["geometry"])
        if geom.geom_type == "Polygon":
            geom = MultiPolygon([geom])
        centre = geom.representative_point()
        units.append(
            dict(
                id=f"W{props['code']}",
                code=props["code"],
                kind="ward",
                name=props["fullName"],
                name_en=props.get("fullNameEn"),
                valid_from=date(2025, 7, 1),
                geom=geom,
                centroid_lon=centre.x,
                centroid_lat=centre.y,
                source=SOURCE,
            )
        )
    old_wards: dict[str, dict[str, Any]] = {}
    for row in _read(data / "admin" / "hcmc_wards_2021_2025_273_centroids.csv"):
        old_wards[row["wardCode"]] = row
    seen_districts: set[str] = set()
    for row in old_wards.values():
        if row["districtCode"] not in seen_districts:
            seen_districts.add(row["districtCode"])
            units.append(
                dict(
                    id=f"OD{row['districtCode']}",
                    code=row["districtCode"],
                    kind="old_district",
                    name=row["district"],
                    parent_id="OP79",
                    valid_to=date(2025, 6, 30),
                    source=SOURCE,
                )
            )
    for row in old_wards.values():
        units.append(
            dict(
                id=f"OW{row['wardCode']}",
                code=row["wardCode"],
                kind="old_ward",
                name=row["ward"],
                parent_id=f"OD{row['districtCode']}",
                centroid_lon=float(row["wardLon"]),
                centroid_lat=float(row["wardLat"]),
                valid_to=date(2025, 6, 30),
                source=SOURCE,
            )
        )
    crosswalk = []
    known = {u["id"] for u in units}
    for row in _read(data / "admin" / "hcmc_ward_crosswalk_pre2025_to_2025.csv"):
        old, new = f"OW{row['old_ward_code']}", f"W{row['new_ward_code']}"
        if old in known and new in known:
            crosswalk.append(
                dict(
                    old_unit_id=old,
                    new_unit_id=new,
                    partly_merged=row["partly_merged"] == "True",
                    weight=1.0,
                    weight_is_estimate=True,
                    source=SOURCE,
                )
            )
    return units, crosswalk, old_wards


def _institution(
    code: str,
    name: str,
    kind: str,
    level: str | None,
    ownership: str,
    old_ward: dict[str, str],
    new_ward: str,
    rng: random.Random,
    **extra: Any,
) -> dict[str, Any]:
    lon = float(old_ward["wardLon"]) + rng.uniform(-0.004, 0.004)
    lat = float(old_ward["wardLat"]) + rng.uniform(-0.004, 0.004)
    row = dict(
        code=code,
        name=name,
        kind=kind,
        level=level,
        ownership=ownership,
        address=f"{rng.randint(1, 300)} Đường số {rng.randint(1, 40)}, {old_ward['ward']}",
        ward_id=new_ward,
        old_ward_id=f"OW{old_ward['wardCode']}",
        lon=lon,
        lat=lat,
        geom=None,
        programmes=None,
        opened_year=None,
        closed_year=None,
        licence_no=None,
        licence_issued=None,
        licence_valid_until=None,
        licence_status=None,
        grade_from=None,
        grade_to=None,
        generated=True,
        source=SOURCE,
    )
    row.update(extra)
    return row


def _district(published: str, known: dict[str, Any]) -> str:
    """The 2021–2025 district a published label means ("Cân Giờ", "Quận 9", "TP Thủ Đức")."""
    text = published.replace("Cân Giờ", "Cần Giờ").replace("Hoc Môn", "Hóc Môn")
    if text in ("Quận 2", "Quận 9", "TP Thủ Đức"):
        return "Thành phố Thủ Đức"
    return next((name for name in known if name == text or name.endswith(" " + text)), "Quận 1")


def build_map_warehouse(engine: Engine, *, synthetic: int = 0, seed: int = 0) -> dict[str, int]:
    """Fill a migrated, empty warehouse; returns ids of the named institutions by name.

    Parameters
    ----------
    engine
        A migrated empty warehouse (SQLite or PostgreSQL).
    synthetic
        How many further generated institutions to add (e.g. 60,000 for national scale).
    seed
        Seed of the random placement.
    """
    data = shared_data_dir()
    rng = random.Random(seed)
    units, crosswalk, old_wards = _units(data)
    new_of = {}
    for row in crosswalk:
        new_of.setdefault(row["old_unit_id"][2:], row["new_unit_id"])
    by_district: dict[str, list[dict[str, str]]] = {}
    for row in old_wards.values():
        if row["wardCode"] in new_of:
            by_district.setdefault(row["district"], []).append(row)
    rows: list[dict[str, Any]] = []
    schools: dict[str, str] = {}
    for cut in _read(data / "admissions" / "hcmc_grade10_cutoffs_2015_2021_nv123.csv"):
        schools.setdefault(
            cut["school_name_as_published"], _district(cut["district_as_published"], by_district)
        )
    for number, (published, district) in enumerate(sorted(schools.items())):
        wards = by_district[district]
        ward = (
            wards[number % len(wards)]
            if published != "THPT Lê Quý Đôn"
            else next(w for w in by_district["Quận 3"] if w["ward"] == "Phường Võ Thị Sáu")
        )
        rows.append(
            _institution(
                f"THPT{number:04d}",
                f"Trường {published}",
                "school",
                "upper_secondary",
                "public",
                ward,
                new_of[ward["wardCode"]],
                rng,
                grade_from=10,
                grade_to=12,
            )
        )
    q3 = by_district["Quận 3"][1]
    rows.append(
        _institution(
            "HOSTILE",
            HOSTILE_NAME,
            "school",
            "preschool",
            "private",
            q3,
            new_of[q3["wardCode"]],
            rng,
            address=HOSTILE_ADDRESS,
        )
    )
    for number, (kind, prefix) in enumerate(KIND_NAMES.items()):
        ward = by_district["Quận 1"][number % len(by_district["Quận 1"])]
        licensed = kind not in ("continuing_education", "international_school")
        rows.append(
            _institution(
                f"C{number:03d}",
                f"{prefix} Ánh Dương {number}",
                kind,
                None,
                "foreign" if kind == "international_school" else "private",
                ward,
                new_of[ward["wardCode"]],
                rng,
                programmes="Tiếng Anh; Tin học",
                licence_no=f"GP-{number}" if licensed else None,
                licence_issued=date(2022, 1, 1) if licensed else None,
                licence_valid_until=date(2027, 1, 1) if licensed else None,
                licence_status="active" if licensed else None,
            )
        )
    districts = sorted(by_district)
    surnames = SURNAMES.split()
    givens = GIVENS.split()
    for number in range(synthetic):
        prefix, level = LEVEL_PREFIX[number % len(LEVEL_PREFIX)]
        kind, ownership = ("school", "public" if number % 5 else "private")
        if number % 9 == 0:
            kind, level, prefix = "language_it_centre", None, "Trung tâm Ngoại ngữ"
        wards = by_district[districts[number % len(districts)]]
        ward = wards[(number // len(districts)) % len(wards)]
        name = f"{prefix} {rng.choice(surnames)} Văn {rng.choice(givens)} {number}"
        rows.append(
            _institution(
                f"S{number:06d}", name, kind, level, ownership, ward, new_of[ward["wardCode"]], rng
            )
        )
    with engine.begin() as conn:
        conn.execute(insert(AdminUnit), [u for u in units if u["kind"] == "old_province"])
        conn.execute(insert(AdminUnit), [u for u in units if u["kind"] == "old_district"])
        for kind in ("old_ward", "ward"):
            batch = [{**_unit_defaults(), **u} for u in units if u["kind"] == kind]
            conn.execute(insert(AdminUnit), batch)
        conn.execute(insert(UnitCrosswalk), crosswalk)
        for start in range(0, len(rows), 5000):
            conn.execute(insert(Institution), rows[start : start + 5000])
    ids = _ids(engine)
    _facts(engine, ids[LQD])
    return ids


def _unit_defaults() -> dict[str, Any]:
    return dict(
        name_en=None,
        unit_type=None,
        parent_id=None,
        valid_from=None,
        valid_to=None,
        area_km2=None,
        population=None,
        population_note=None,
        centroid_lon=None,
        centroid_lat=None,
        geom=None,
    )


def _ids(engine: Engine) -> dict[str, int]:
    from sqlalchemy import select

    with engine.connect() as conn:
        rows = conn.execute(
            select(Institution.id, Institution.name).where(~Institution.code.like("S%"))
        ).all()
    return {name: ident for ident, name in rows}


def _facts(engine: Engine, school: int) -> None:
    """Facts of Lê Quý Đôn: enrolment, staff, facilities, a DX level and the real cut-offs."""
    data = shared_data_dir()
    with engine.begin() as conn:
        unit = (
            conn.execute(Institution.__table__.select().where(Institution.id == school))
            .mappings()
            .one()["ward_id"]
        )
        base = dict(institution_id=school, unit_id=unit, generated=True, batch_id=None)
        for year in (2024, 2025):
            conn.execute(
                insert(FactEnrolment),
                [
                    dict(base, school_year=year, grade=g, pupils=400 + g, girls=200, classes=10)
                    for g in (10, 11, 12)
                ],
            )
            conn.execute(
                insert(FactStaff),
                [
                    dict(
                        base,
                        school_year=year,
                        teachers=95 + year % 2,
                        teachers_female=60,
                        teachers_above_standard=40,
                        managers=4,
                        support_staff=12,
                    )
                ],
            )
            conn.execute(
                insert(FactFacility),
                [
                    dict(
                        base,
                        school_year=year,
                        classrooms=36,
                        classrooms_solid=36,
                        functional_rooms=12,
                        computer_rooms=3,
                        computers=120,
                        smart_classrooms=8,
                        site_area_m2=12000.0,
                        internet_mbps=300.0,
                    )
                ],
            )
        conn.execute(
            insert(DxCriteriaSet),
            [dict(id=1, code="4725", title="QĐ 4725", valid_from=None, source=SOURCE, note=None)],
        )
        conn.execute(
            insert(DxAssessment),
            [
                dict(
                    institution_id=school,
                    set_id=1,
                    school_year=year,
                    status=status,
                    self_group1=50.0,
                    self_group2=40.0,
                    reviewed_group1=None,
                    reviewed_group2=None,
                    mandatory_met=True,
                    level=level,
                    submitted_on=None,
                    published_on=date(year + 1, 6, 1) if status == "published" else None,
                    generated=True,
                )
                for year, status, level in (
                    (2023, "published", 2),
                    (2024, "published", 3),
                    (2025, "submitted", 1),
                )
            ],
        )
        cuts = [
            r
            for r in _read(data / "admissions" / "hcmc_grade10_cutoffs_2015_2021_nv123.csv")
            if r["school_name_as_published"] == "THPT Lê Quý Đôn"
        ]
        conn.execute(
            insert(AdmissionCutoff),
            [
                dict(
                    year=int(r["year"]),
                    institution_id=school,
                    nv1=float(r["nv1"]),
                    nv2=float(r["nv2"]),
                    nv3=float(r["nv3"]),
                    score_scale_max=int(r["score_scale_max"]),
                    name_as_published=r["school_name_as_published"],
                    district_as_published=r["district_as_published"],
                    source="admissions/hcmc_grade10_cutoffs_2015_2021_nv123.csv",
                )
                for r in cuts
            ],
        )


def add_institution(
    engine: Engine,
    name: str,
    *,
    ward_id: str = "W27139",
    old_ward_id: str | None = "OW27139",
    lon: float = 106.69,
    lat: float = 10.78,
    kind: str = "school",
    level: str | None = "primary",
    ownership: str = "public",
    code: str | None = None,
) -> int:
    """Insert one institution (as a registry update would); returns its id."""
    with engine.begin() as conn:
        result = conn.execute(
            insert(Institution).values(
                code=code or f"NEW-{abs(hash(name)) % 10**8}",
                name=name,
                kind=kind,
                level=level,
                ownership=ownership,
                address="1 Đường Mới",
                ward_id=ward_id,
                old_ward_id=old_ward_id,
                lon=lon,
                lat=lat,
                generated=True,
                source=SOURCE,
            )
        )
        return int(result.inserted_primary_key[0])


def make_map_app(
    path: Path, *, synthetic: int = 0, **overrides: Any
) -> tuple[Any, Engine, dict[str, int]]:
    """An application on a new SQLite file holding the hand-made map warehouse."""
    from data_access import migrate
    from data_access.db import make_engine
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    ids = build_map_warehouse(engine, synthetic=synthetic)
    return create_app(test_config(url, **overrides)), engine, ids


# --------------------------------------------------------------------------- tests
