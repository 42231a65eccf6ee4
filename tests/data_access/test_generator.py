"""The calibrated generator: determinism, geography, the 2025 switch, plausibility, safety."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from sqlalchemy import Engine, insert, text

from data_access import migrate
from data_access.db import make_engine
from data_access.generator.common import FactContext
from data_access.generator.enrolment import stage_pupils
from data_access.generator.institutions import build_registry
from data_access.generator.rng import stream
from data_access.generator.targets import YEARS, pupil_targets
from data_access.models import AuditLog, Base, User
from data_access.reference import load_reference
from data_access.seed import DEFAULT_AS_OF, SeedError, seed_warehouse

SEED = 0
FACT_TABLES = (
    "fact_enrolment",
    "fact_outcome",
    "fact_staff",
    "fact_facility",
    "fact_exam",
    "fact_nonpublic",
    "fact_health",
    "fact_admin",
)


def frame(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn)


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


@pytest.fixture(scope="module")
def generated(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Registries built again in memory for seed 0 and seed 1, and seed 1's pupils."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.sqlite'}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        ref = load_reference(conn, shared_dir)
        conn.rollback()
    engine.dispose()
    again = build_registry(SEED, ref.geo, ref.real_schools, DEFAULT_AS_OF)
    other = build_registry(1, ref.geo, ref.real_schools, DEFAULT_AS_OF)
    ctx = FactContext(seed=1, registry=other, years=YEARS)
    stages, _ = stage_pupils(ctx, pupil_targets(ref.press, ref.geo.province_age))
    return {"again": again, "other": other, "other_stages": stages}


def _comparable(registry: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "id",
        "code",
        "name",
        "kind",
        "level",
        "ownership",
        "address",
        "ward_id",
        "old_ward_id",
        "lon",
        "lat",
        "opened_year",
        "closed_year",
        "licence_no",
        "licence_status",
    ]
    frame = registry[columns].reset_index(drop=True).copy()
    for column in (
        "code",
        "name",
        "kind",
        "level",
        "ownership",
        "address",
        "ward_id",
        "old_ward_id",
        "licence_no",
        "licence_status",
    ):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    for column in ("opened_year", "closed_year", "id"):
        frame[column] = frame[column].astype(float)
    return frame


def test_same_seed_same_registry(generated: dict, seeded_city_sqlite: Engine) -> None:
    """The registry built again with seed 0 equals the seeded one, row for row."""
    stored = _comparable(frame(seeded_city_sqlite, "SELECT * FROM institution ORDER BY id"))
    pd.testing.assert_frame_equal(stored, _comparable(generated["again"]), check_dtype=False)


def test_other_seed_other_rows(generated: dict, seeded_city_sqlite: Engine) -> None:
    again, other = generated["again"], generated["other"]
    assert list(again["name"]) != list(other["name"])
    assert set(zip(again["lon"], again["lat"], strict=True)).isdisjoint(
        zip(other["lon"], other["lat"], strict=True)
    )
    stages = generated["other_stages"]
    # Same calibration: the published years hold over every open school for any seed.
    anchors = {2020: 1_740_000}
    theirs = stages[stages["region"] == "79"].groupby("year")["pupils"].sum()
    for year, total in anchors.items():
        assert theirs[year] == pytest.approx(total, rel=0.001)
    assert len(other) != len(again) or not np.allclose(other["size"], again["size"])
    with pytest.raises(ValueError):
        stream(-1, "x")


def test_institutions_inside_their_ward(seeded_city_sqlite: Engine) -> None:
    inst = frame(seeded_city_sqlite, "SELECT id, ward_id, lon, lat, geom FROM institution")
    wards = frame(seeded_city_sqlite, "SELECT id, geom FROM admin_unit WHERE kind = 'ward'")
    polygons = dict(
        zip(wards["id"], (shapely.from_wkb(bytes(g)) for g in wards["geom"]), strict=True)
    )
    points = [shapely.from_wkb(bytes(g)) for g in inst["geom"]]
    assert all(isinstance(p, shapely.Point) for p in points)
    assert np.allclose([p.x for p in points], inst["lon"])
    inside = [polygons[w].contains(p) for w, p in zip(inst["ward_id"], points, strict=True)]
    assert all(inside)
    assert len(inst) > 5_000
    per_ward = frame(
        seeded_city_sqlite,
        "SELECT w.population, COUNT(i.id) AS n FROM admin_unit w"
        " LEFT JOIN institution i ON i.ward_id = w.id AND i.kind = 'school' "
        "WHERE w.kind = 'ward' GROUP BY w.id, w.population",
    )
    assert np.corrcoef(per_ward["population"], per_ward["n"])[0, 1] > 0.7  # where people live


@pytest.mark.postgres
def test_institutions_inside_their_ward_postgis(seeded_city_postgres: Engine) -> None:
    outside = scalar(
        seeded_city_postgres,
        "SELECT COUNT(*) FROM institution i JOIN admin_unit w "
        "ON w.id = i.ward_id WHERE NOT ST_Contains(w.geom, i.geom)",
    )
    assert outside == 0
    assert scalar(seeded_city_postgres, "SELECT COUNT(*) FROM institution") > 5_000


def test_old_and_new_ward_are_a_crosswalk_pair(seeded_city_sqlite: Engine) -> None:
    pairs = frame(
        seeded_city_sqlite,
        "SELECT i.id, i.old_ward_id, i.ward_id, c.id AS cw "
        "FROM institution i LEFT JOIN unit_crosswalk c ON c.old_unit_id = "
        "COALESCE(i.old_ward_id, 'OD755') AND c.new_unit_id = i.ward_id",
    )
    assert pairs["cw"].notna().all()
    no_old = pairs[pairs["old_ward_id"].isna()]
    assert (no_old["ward_id"] == "W26732").all()  # only Côn Đảo had no wards before 2025


def check_boundary_switch(engine: Engine) -> None:
    for table in FACT_TABLES:
        kinds = frame(
            engine,
            f"SELECT f.school_year >= 2025 AS after, u.kind, COUNT(*) AS n "
            f"FROM {table} f JOIN admin_unit u ON u.id = f.unit_id "
            "GROUP BY f.school_year >= 2025, u.kind",
        )
        before = set(kinds.loc[~kinds["after"].astype(bool), "kind"])
        after = set(kinds.loc[kinds["after"].astype(bool), "kind"])
        assert before <= {"old_ward", "old_district"}, (table, before)
        assert after <= {"ward"}, (table, after)
    # every fact row's unit is the institution's unit of that date
    wrong = scalar(
        engine,
        "SELECT COUNT(*) FROM fact_staff f JOIN institution i "
        "ON i.id = f.institution_id WHERE (f.school_year >= 2025 AND f.unit_id <> "
        "i.ward_id) OR (f.school_year < 2025 AND f.unit_id <> "
        "COALESCE(i.old_ward_id, 'OD755'))",
    )
    assert wrong == 0


def test_boundary_switch_sqlite(seeded_city_sqlite: Engine) -> None:
    check_boundary_switch(seeded_city_sqlite)


@pytest.mark.postgres
def test_boundary_switch_postgres(seeded_city_postgres: Engine) -> None:
    check_boundary_switch(seeded_city_postgres)


def test_totals_carry_through_the_crosswalk(seeded_city_sqlite: Engine) -> None:
    """2024 pupils carried old → new by the weights keep the total and land where the
    schools are (compared with the same pupils grouped by the schools' 2025 wards)."""
    old = frame(
        seeded_city_sqlite,
        "SELECT f.unit_id, SUM(f.pupils) AS pupils FROM "
        "fact_enrolment f WHERE f.school_year = 2024 GROUP BY f.unit_id",
    )
    cw = frame(seeded_city_sqlite, "SELECT old_unit_id, new_unit_id, weight FROM unit_crosswalk")
    carried = old.merge(cw, left_on="unit_id", right_on="old_unit_id")
    carried["value"] = carried["pupils"] * carried["weight"]
    by_new = carried.groupby("new_unit_id")["value"].sum()
    assert by_new.sum() == pytest.approx(old["pupils"].sum(), rel=1e-9)
    actual = frame(
        seeded_city_sqlite,
        "SELECT i.ward_id, SUM(f.pupils) AS pupils FROM "
        "fact_enrolment f JOIN institution i ON i.id = f.institution_id "
        "WHERE f.school_year = 2024 GROUP BY i.ward_id",
    ).set_index("ward_id")
    both = pd.concat([by_new.rename("carried"), actual["pupils"]], axis=1).fillna(0)
    error = (both["carried"] - both["pupils"]).abs().sum() / both["pupils"].sum()
    assert error < 0.15
    assert np.corrcoef(both["carried"], both["pupils"])[0, 1] > 0.95


def test_plausible_structure(seeded_city_sqlite: Engine) -> None:
    engine = seeded_city_sqlite
    girls = scalar(engine, "SELECT SUM(girls) * 1.0 / SUM(pupils) FROM fact_enrolment")
    assert 0.46 < girls < 0.50
    sizes = frame(
        engine,
        "SELECT CASE WHEN grade = 0 THEN 'ps' WHEN grade <= 5 THEN 'p' "
        "WHEN grade <= 9 THEN 'ls' ELSE 'us' END AS stage, "
        "SUM(pupils) * 1.0 / SUM(classes) AS size FROM fact_enrolment f "
        "JOIN institution i ON i.id = f.institution_id WHERE i.ownership = 'public' "
        "GROUP BY 1",
    ).set_index("stage")["size"]
    assert 24 < sizes["ps"] < 31 and 33 < sizes["p"] < 42
    assert 38 < sizes["ls"] < 46 and 37 < sizes["us"] < 45
    crowded = frame(
        engine,
        "SELECT unit_id, SUM(pupils) * 1.0 / SUM(classes) AS size "
        "FROM fact_enrolment WHERE school_year = 2025 AND grade BETWEEN 1 AND 5 "
        "GROUP BY unit_id",
    )
    assert (crowded["size"] > 44).sum() >= 3  # a few overcrowded wards (norm 35)
    ratio = scalar(
        engine,
        "SELECT SUM(pupils) * 1.0 / (SELECT SUM(teachers) FROM fact_staff "
        "WHERE school_year = 2024) FROM fact_enrolment WHERE school_year = 2024",
    )
    assert 15 < ratio < 30
    open_vs_reported = frame(
        engine,
        "SELECT school_year, COUNT(DISTINCT institution_id) AS n "
        "FROM fact_staff GROUP BY school_year",
    ).set_index("school_year")
    schools = frame(
        engine,
        "SELECT opened_year, closed_year FROM institution WHERE kind IN "
        "('school', 'international_school', 'continuing_education')",
    )

    def gap(year: int) -> float:
        open_n = (
            (schools["opened_year"] <= year)
            & (schools["closed_year"].isna() | (schools["closed_year"] > year))
        ).sum()
        return 1 - open_vs_reported.loc[year, "n"] / open_n

    assert 0 < gap(2023) < gap(2025) < 0.12  # some schools do not report, more recently


def test_licences_and_kinds(seeded_city_sqlite: Engine) -> None:
    engine = seeded_city_sqlite
    kinds = frame(
        engine,
        "SELECT kind, COUNT(*) AS n FROM institution WHERE opened_year <= 2025"
        " AND (closed_year IS NULL OR closed_year > 2025) GROUP BY kind",
    )
    n = dict(zip(kinds["kind"], kinds["n"], strict=True))
    schools = n["school"] + n["international_school"] + n["continuing_education"]
    assert 3_500 <= schools <= 4_000
    assert n["language_it_centre"] > 1_000 and n["study_abroad"] > 150
    assert n["life_skills"] > 50 and n["representative_office"] > 10
    lic = frame(
        engine,
        "SELECT kind, licence_no, licence_issued, licence_valid_until, "
        "licence_status FROM institution",
    )
    licensed = lic["kind"].isin(
        ["language_it_centre", "study_abroad", "life_skills", "representative_office"]
    )
    assert (
        lic.loc[licensed, ["licence_no", "licence_issued", "licence_valid_until", "licence_status"]]
        .notna()
        .all()
        .all()
    )
    assert lic.loc[~licensed, "licence_no"].isna().all()
    assert set(lic["licence_status"].dropna()) == {"active", "expiring", "expired", "suspended"}
    assert (
        pd.to_datetime(lic.loc[licensed, "licence_valid_until"])
        > pd.to_datetime(lic.loc[licensed, "licence_issued"])
    ).all()
    assert scalar(engine, "SELECT COUNT(*) FROM institution WHERE NOT generated") == 0


def test_branches_of_a_chain_are_named_by_their_place(seeded_city_sqlite: Engine) -> None:
    """A citizen tells branches apart by name: private schools and centres never share a
    name across the city; later branches carry their ward ("– Cơ sở Hiệp Bình")."""
    names = frame(
        seeded_city_sqlite,
        "SELECT i.name, i.kind, i.ownership, u.name AS ward FROM institution i"
        " JOIN admin_unit u ON u.id = i.ward_id",
    )
    chains = names[(names["ownership"] != "public") & (names["kind"] != "representative_office")]
    assert chains["name"].is_unique
    branches = chains[chains["name"].str.contains(" – Cơ sở ")]
    assert len(branches) > 500
    for name, ward in zip(branches["name"], branches["ward"], strict=True):
        place = re.sub(r" \d+$", "", name.split(" – Cơ sở ")[1])  # "… An Lạc 2": a 2nd there
        assert ward.endswith(place) and not place.startswith(("Phường", "Xã")), (name, ward)


def test_dx_plan_batches(seeded_city_sqlite: Engine) -> None:
    engine = seeded_city_sqlite
    dx = frame(engine, "SELECT * FROM dx_assessment")
    assert set(dx["school_year"]) == {2022, 2023, 2024, 2025}
    published = dx[dx["status"] == "published"]
    band = lambda s: np.where(s < 50, 1, np.where(s <= 75, 2, 3))  # noqa: E731
    lower = np.minimum(band(published["reviewed_group1"]), band(published["reviewed_group2"]))
    assert (published["level"].to_numpy() == lower).all()
    detail = frame(
        engine,
        "SELECT DISTINCT a.school_year FROM dx_score s JOIN dx_assessment a "
        "ON a.id = s.assessment_id",
    )
    assert set(detail["school_year"]) == {2024, 2025}
    reports = frame(engine, "SELECT * FROM quarterly_report")
    assert reports["quarter"].min() == "2023Q1" and reports["quarter"].max() == "2026Q3"
    submitted = pd.to_datetime(reports["submitted_at"])
    late = submitted.dt.date > pd.to_datetime(reports["due_on"]).dt.date
    assert reports["submitted_at"].isna().any() and late.any() and (~late).sum() > late.sum()
    progress = frame(engine, "SELECT status, percent FROM task_progress")
    assert (progress.loc[progress["status"] == "done", "percent"] == 100).all()
    assert set(progress["status"]) == {"not_started", "in_progress", "done"}
    assert (
        progress["status"].value_counts()["done"] > progress["status"].value_counts()["not_started"]
    )
    batches = frame(
        engine,
        "SELECT b.*, d.refresh_days FROM ingestion_batch b JOIN data_domain d "
        "ON d.id = b.domain_id WHERE b.status = 'done'",
    )
    assert len(batches) == 7 * 11 - 1  # health 2025-26 never arrived
    last = batches.groupby("domain_id").agg(at=("finished_at", "max"), days=("refresh_days", "max"))
    age = (pd.Timestamp(DEFAULT_AS_OF) - pd.to_datetime(last["at"])).dt.days
    stale = set(last.index[age > last["days"]])
    assert stale == {6, 7}  # health (2025-26 never arrived), administration (quarterly)
    from data_access.queries.status import freshness  # the control room's own query

    fresh = freshness(engine, now=datetime.combine(DEFAULT_AS_OF, datetime.min.time()))
    assert set(fresh.loc[fresh["stale"], "slug"]) == {"health", "administration"}
    orphan = scalar(
        engine, "SELECT COUNT(*) FROM fact_enrolment WHERE batch_id IS NULL OR NOT generated"
    )
    assert orphan == 0


def test_progress_reported(city_seed_run: tuple) -> None:
    _, report, calls = city_seed_run
    fractions = [f for _, f in calls]
    assert len(calls) >= 20 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert report.scale == "city" and report.rows["institution"] > 5_000
    assert set(report.rows) == set(Base.metadata.tables)  # summary.row_counts: every table
    assert report.seconds > 0


def test_refuses_to_seed_twice(seeded_city_sqlite: Engine, shared_dir: Path) -> None:
    with pytest.raises(SeedError, match="replace"):
        seed_warehouse(seeded_city_sqlite, shared_dir=shared_dir)
    with pytest.raises(SeedError, match="scale"):
        seed_warehouse(seeded_city_sqlite, scale="planet", shared_dir=shared_dir)


def test_reseed_is_atomic_identical_and_keeps_users(
    seeded_city_sqlite: Engine, shared_dir: Path, tmp_path: Path
) -> None:
    """A failing re-seed leaves the old data; re-seeding with the same seed gives the same
    rows again (a second, independent run) and keeps users and the audit log."""
    source = Path(seeded_city_sqlite.url.database)
    with seeded_city_sqlite.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy.sqlite"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{copy}{suffix}")
    engine = make_engine(f"sqlite:///{copy}")
    now = datetime(2026, 11, 1)
    with engine.begin() as conn:
        conn.execute(
            insert(User),
            [
                {
                    "username": "lanhdao",
                    "password_hash": "x",
                    "role": "leadership",
                    "active": True,
                    "created_at": now,
                }
            ],
        )
        conn.execute(
            insert(AuditLog),
            [
                {
                    "at": now,
                    "username": "lanhdao",
                    "role": "leadership",
                    "action": "read",
                    "target": "/",
                }
            ],
        )
    sums_sql = " UNION ALL ".join(
        f"SELECT '{t}', COUNT(*), SUM(institution_id * school_year) FROM {t}" for t in FACT_TABLES
    )
    before = frame(engine, sums_sql)
    users = scalar(engine, "SELECT COUNT(*) FROM app_user")
    audit = scalar(engine, "SELECT COUNT(*) FROM audit_log")
    assert users >= 1 and audit >= 1
    registry = frame(engine, "SELECT * FROM institution ORDER BY id").drop(columns="geom")
    index_sql = "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"
    indexes = list(frame(engine, index_sql)["name"])

    def explode(step: str, fraction: float) -> None:
        if step.startswith("writing fact_staff"):  # indexes are dropped at this point
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        seed_warehouse(engine, shared_dir=shared_dir, replace=True, progress=explode)
    pd.testing.assert_frame_equal(frame(engine, sums_sql), before)
    assert list(frame(engine, index_sql)["name"]) == indexes
    report = seed_warehouse(engine, shared_dir=shared_dir, replace=True, seed=SEED)
    assert report.rows["app_user"] == users and report.rows["audit_log"] == audit
    pd.testing.assert_frame_equal(frame(engine, sums_sql), before)
    pd.testing.assert_frame_equal(
        frame(engine, "SELECT * FROM institution ORDER BY id").drop(columns="geom"), registry
    )
    assert scalar(engine, "SELECT SUM(pupils) FROM fact_enrolment") == scalar(
        seeded_city_sqlite, "SELECT SUM(pupils) FROM fact_enrolment"
    )
    engine.dispose()


def test_every_seeded_source_has_a_vietnamese_title(seeded_city_sqlite: Engine) -> None:
    """/about/data shows Vietnamese first: a source the seed loads needs its Vietnamese title."""
    from layouts.about_data import SOURCE_TITLES_VI, source_title

    keys = set(frame(seeded_city_sqlite, "SELECT key FROM data_source")["key"])
    assert keys and keys <= set(SOURCE_TITLES_VI), keys - set(SOURCE_TITLES_VI)
    assert source_title("crosswalk", "Crosswalk", "vi").startswith("Bảng chuyển đổi")
    assert source_title("crosswalk", "Crosswalk", "en") == "Crosswalk"
    assert source_title("loaded_later", "A later source", "vi") == "A later source"
