"""The control room's warehouse queries: SQL coverage against its pure definition, and the
same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from data_access.db import transaction
from data_access.models import FactEnrolment, Institution
from tests.app.control_room_data import build_small, small_app


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine) on the small warehouse, shared by this module's read-only tests."""
    return small_app(tmp_path_factory.mktemp("crq"))


def test_sql_coverage_agrees_with_the_pure_definition(small) -> None:
    from analytics.kpis import active_institutions
    from analytics.quality import reporting_coverage
    from data_access.queries import facts, registry

    _, engine = small
    pure = reporting_coverage(
        facts.reporters(engine, [2024, 2025]),
        active_institutions(registry.institution_keys(engine), 2025)["id"],
        2025,
    )
    sql = facts.coverage(engine, 2025)
    merged = sql.merge(pure, on="domain_id", suffixes=("", "_pure"))
    assert len(merged) == 7
    assert (merged["expected"] == merged["expected_pure"]).all()
    assert (merged["reported"] == merged["reported_pure"]).all()
    assert merged.set_index("domain_id").loc[2, ["expected", "reported"]].tolist() == [5, 4]


def _add_another_province(engine) -> None:
    """A school of Hà Nội with facts in 2025: the city's pages must not count it."""
    from data_access.models import AdminUnit

    with transaction(engine) as session:
        session.add(AdminUnit(id="P01", code="01", kind="province", name="Hà Nội", source="test"))
        session.flush()
        session.add(
            Institution(
                id=99,
                code="HN1",
                name="Trường Tiểu học Hà Nội",
                kind="school",
                level="primary",
                ownership="public",
                ward_id="P01",
                lon=105.85,
                lat=21.03,
                source="test",
            )
        )
        session.flush()
        session.add(
            FactEnrolment(
                school_year=2025,
                institution_id=99,
                unit_id="P01",
                grade=1,
                pupils=1000,
                girls=500,
                classes=20,
            )
        )


def test_queries_give_the_same_answers_on_sqlite_and_postgresql(migrated_engine) -> None:
    from data_access.queries import facts, plan, registry

    build_small(migrated_engine)
    bind = migrated_engine
    _add_another_province(bind)
    assert facts.school_years(bind) == [2023, 2024, 2025]
    enrolment = facts.enrolment(bind, [2025])
    assert enrolment.groupby("level")["pupils"].sum().to_dict() == {
        "lower_secondary": 240,
        "preschool": 60,
        "primary": 700,
        "upper_secondary": 180,
    }
    assert facts.dx_levels(bind, [2024])["unit_id"].str.startswith("OW").all()
    frame = facts.domain_frame(bind, 4)
    assert frame["graduation_pass_rate__num"].sum() == pytest.approx(0.98 * 60 * 3)
    assert facts.domain_frame(bind, 3)["internet_mbps__den"].sum() == 15  # 5 schools × 3 years
    assert facts.coverage(bind, 2025).set_index("domain_id")["reported"].to_dict() == {
        1: 5,
        2: 4,
        3: 5,
        4: 1,
        5: 1,
        6: 5,
        7: 5,
    }
    assert len(facts.reporters(bind, [2025], domain_ids=[5])) == 1
    values = facts.institution_values(bind, 1, 2025).set_index("institution_id")
    assert values.loc[1, "pupils__num"] == 400
    tasks = plan.task_status(bind).set_index("code")
    assert tasks.loc["1.1", "percent"] == 60 and tasks.loc["1.4", "status"] == "done"
    assert plan.quarterly_reports(bind)["submitted_at"].isna().sum() == 1
    shapes = registry.unit_features(bind, "ward", unit_ids=["W2"])
    assert shapes["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    points = registry.school_points(bind, ward_code="26743")["features"]
    assert sorted(f["id"] for f in points) == [4, 5]
    assert registry.domains(bind).set_index("slug").loc["administration", "supervising_units"] == (
        "VPS",
        "TTS",
    )
    assert registry.data_version(bind).startswith("6@")
    assert 99 not in set(registry.institution_keys(bind)["id"])
    assert 99 not in {f["id"] for f in registry.school_points(bind)["features"]}
