"""The reference loader: real units, crosswalk, census, plan, criteria and cut-offs, sourced."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import shapely
from sqlalchemy import Engine, text

from data_access.reference.admissions import canonical_name
from data_access.reference.plan import DEFAULT_DUE, month_end, unit_tokens
from data_access.reference.readers import bounds_box, fold, ward_key
from data_access.reference.sources import SOURCES


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def frame(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn)


UNIT_COUNTS = {"ward": 168, "old_ward": 441, "old_district": 38, "old_province": 3, "province": 1}


def check_units(engine: Engine) -> None:
    counts = frame(engine, "SELECT kind, COUNT(*) AS n FROM admin_unit GROUP BY kind")
    assert dict(zip(counts["kind"], counts["n"], strict=True)) == UNIT_COUNTS
    crosswalk = frame(engine, "SELECT source, COUNT(*) AS n FROM unit_crosswalk GROUP BY source")
    by_source = dict(zip(crosswalk["source"], crosswalk["n"], strict=True))
    assert by_source["crosswalk"] == 492
    assert sum(by_source.values()) == 493  # + huyện Côn Đảo → đặc khu Côn Đảo (assumed)


def test_unit_counts_sqlite(seeded_city_sqlite: Engine) -> None:
    check_units(seeded_city_sqlite)


@pytest.mark.postgres
def test_unit_counts_postgres(seeded_city_postgres: Engine) -> None:
    check_units(seeded_city_postgres)
    invalid = scalar(
        seeded_city_postgres,
        "SELECT COUNT(*) FROM admin_unit WHERE geom IS NOT "
        "NULL AND (NOT ST_IsValid(geom) OR GeometryType(geom) <> 'MULTIPOLYGON')",
    )
    assert invalid == 0


def test_geometries_are_valid_multipolygons(seeded_city_sqlite: Engine) -> None:
    units = frame(seeded_city_sqlite, "SELECT id, kind, geom FROM admin_unit")
    shapes = units.dropna(subset=["geom"])
    geoms = [shapely.from_wkb(bytes(g)) for g in shapes["geom"]]
    assert all(isinstance(g, shapely.MultiPolygon) and g.is_valid for g in geoms)
    with_geom = shapes.groupby("kind").size()
    assert with_geom["ward"] == 168
    assert with_geom["old_province"] == 3
    assert with_geom["old_district"] == 23  # 22 of old HCMC (Thủ Đức = Q2+Q9+TĐ) + Côn Đảo
    assert 200 <= with_geom["old_ward"] <= 273  # unmerged 2021-25 wards of old HCMC only


def test_thu_duc_is_the_union_of_three_districts(
    seeded_city_sqlite: Engine, shared_dir: Path
) -> None:
    import geopandas as gpd

    raw = gpd.read_file(shared_dir / "boundaries/hcmc_districts_24_pre2021_pop2009_2019.geojson")
    parts = raw[raw["Dist_ID"].astype(str).isin(["762", "763", "769"])]
    assert len(parts) == 3
    stored = frame(seeded_city_sqlite, "SELECT geom FROM admin_unit WHERE id = 'OD769'")
    thu_duc = shapely.from_wkb(bytes(stored["geom"].iloc[0]))
    assert thu_duc.area == pytest.approx(
        shapely.union_all(parts.geometry.to_numpy()).area, rel=1e-6
    )


def test_population_is_the_census(seeded_city_sqlite: Engine) -> None:
    engine = seeded_city_sqlite
    old_hcmc = scalar(
        engine,
        "SELECT SUM(p.population) FROM population p JOIN admin_unit u "
        "ON u.id = p.unit_id JOIN admin_unit d ON d.id = u.parent_id "
        "WHERE u.kind = 'old_ward' AND d.parent_id = 'OP79' "
        "AND p.age_group = 'total'",
    )
    assert old_hcmc == pytest.approx(8_993_082, abs=300)  # census total of old HCMC
    provinces = frame(
        engine,
        "SELECT unit_id, population FROM population "
        "WHERE unit_id LIKE 'OP%' AND age_group = 'total'",
    )
    assert dict(zip(provinces["unit_id"], provinces["population"], strict=True)) == {
        "OP79": 8_993_082,
        "OP74": 2_426_561,
        "OP77": 1_148_313,
    }
    wards = scalar(engine, "SELECT SUM(population) FROM admin_unit WHERE kind = 'ward'")
    assert wards == pytest.approx(8_993_082 + 2_426_561 + 1_148_313, abs=200)
    generated = scalar(engine, "SELECT COUNT(*) FROM population WHERE generated")
    assert generated == 0


def test_crosswalk_weights(seeded_city_sqlite: Engine) -> None:
    cw = frame(seeded_city_sqlite, "SELECT * FROM unit_crosswalk")
    cw = cw.astype({"partly_merged": bool, "weight_is_estimate": bool})
    sums = cw.groupby("old_unit_id")["weight"].sum()
    assert sums.round(9).eq(1.0).all()
    split = cw[cw.groupby("old_unit_id")["new_unit_id"].transform("size") > 1]
    assert split["partly_merged"].all() and split["weight_is_estimate"].all()
    assert ((split["weight"] > 0) & (split["weight"] < 1)).all()
    whole = cw[~cw["partly_merged"]]
    assert whole["weight"].eq(1.0).all() and not whole["weight_is_estimate"].any()


def test_sources_recorded(seeded_city_sqlite: Engine) -> None:
    rows = frame(seeded_city_sqlite, "SELECT * FROM data_source").set_index("key")
    assert set(rows.index) == {s.key for s in SOURCES}
    assert rows.loc["wards_2025", "licence"] == "MIT"
    assert rows.loc["gso_education", "licence"].startswith("GPL-3")
    assert rows.loc["cutoffs", "licence"] == "not stated"
    assert rows.loc["districts_pre2021", "licence"] == "not stated"
    real = rows.drop(index="generator")
    assert not real["generated"].astype(bool).any()
    assert bool(rows.loc["generator", "generated"])
    assert rows.loc["wards_2025", "rows"] == 168
    assert rows.loc["crosswalk", "rows"] == 492
    assert rows.loc["cutoffs", "rows"] == 725
    assert "hcmc_wards_2025_168.geojson" in rows.loc["wards_2025", "origin"]
    units = frame(seeded_city_sqlite, "SELECT DISTINCT source FROM admin_unit")
    assert {"wards_2025", "crosswalk", "provinces_pre2025"} <= set(units["source"])


def test_plan_and_criteria(seeded_city_sqlite: Engine) -> None:
    engine = seeded_city_sqlite
    tasks = frame(engine, "SELECT kind, COUNT(*) AS n FROM plan_task GROUP BY kind")
    assert dict(zip(tasks["kind"], tasks["n"], strict=True)) == {"item": 19, "dx": 33}
    domains = frame(engine, "SELECT id, slug, refresh_days FROM data_domain ORDER BY id")
    assert list(domains["slug"]) == [
        "students",
        "staff",
        "facilities",
        "exams",
        "non-public",
        "health",
        "administration",
    ]
    assert domains.set_index("id").loc[7, "refresh_days"] == 92
    assert (
        scalar(
            engine,
            "SELECT COUNT(*) FROM dx_criterion c JOIN dx_criteria_set s "
            "ON s.id = c.set_id WHERE s.code = 'QD4725-2022'",
        )
        == 29
    )
    statuses = frame(engine, "SELECT code, status_early_2023 FROM plan_task WHERE kind = 'dx'")
    assert statuses.set_index("code").loc["3.2a", "status_early_2023"] == "done"
    long_codes = scalar(engine, "SELECT COUNT(*) FROM plan_task_unit WHERE LENGTH(unit_code) > 24")
    assert long_codes == 0
    assert (
        scalar(
            engine,
            "SELECT COUNT(*) FROM plan_task_unit t LEFT JOIN plan_unit u "
            "ON u.code = t.unit_code WHERE u.code IS NULL",
        )
        == 0
    )


def test_cutoffs_linked_to_real_names(seeded_city_sqlite: Engine, shared_dir: Path) -> None:
    raw = pd.read_csv(shared_dir / "admissions/hcmc_grade10_cutoffs_2015_2021_nv123.csv")
    stored = frame(
        seeded_city_sqlite,
        "SELECT a.*, i.name, i.kind, i.ownership, i.level "
        "FROM admission_cutoff a JOIN institution i ON i.id = a.institution_id",
    )
    assert len(stored) == len(raw) == 725
    assert (stored["ownership"] == "public").all() and (stored["kind"] == "school").all()
    for row in stored.itertuples():
        assert (
            canonical_name(row.name_as_published).replace("TH Thực Hành", "Trung học Thực hành")
            in row.name
        )
    merged = stored.merge(
        raw, left_on=["year", "name_as_published"], right_on=["year", "school_name_as_published"]
    )
    assert len(merged) == 725
    assert (merged["nv1_x"] == merged["nv1_y"]).all()
    lqd = stored[stored["name"] == "Trường THPT Lê Quý Đôn"].sort_values("year")
    assert list(lqd["year"]) == list(range(2015, 2022))


def test_helpers() -> None:
    assert canonical_name("THPT Tran Phú") == "THPT Trần Phú"
    assert canonical_name("THPT Tǎng Nhơn Phú A") == "THPT Tăng Nhơn Phú A"
    assert canonical_name("THPT Diên Hồng") == "THCS-THPT Diên Hồng"
    box = bounds_box("10.787863,106.684783 – 10.796879,106.695907")
    assert box.bounds == (106.684783, 10.787863, 106.695907, 10.796879)
    assert fold("Đường Lê Lợi") == "duong le loi"
    assert ward_key("Phường 05") == "5" and ward_key("Ward 5") == "5"
    assert month_end("2023-06").isoformat() == "2023-06-30"
    assert month_end(None) == DEFAULT_DUE
    assert unit_tokens("VPS;Các phòng chuyên môn nghiệp vụ thuộc Sở;TTTT&CTGD") == [
        "VPS",
        "PCM",
        "TTTT&CTGD",
    ]
