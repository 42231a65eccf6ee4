"""DX index queries on SQLite and PostgreSQL: the city's assessments and the criteria sets."""

from __future__ import annotations

from datetime import date

import pandas as pd

from data_access.db import transaction
from data_access.models import (
    AdminUnit,
    DxAssessment,
    DxCriteriaSet,
    DxCriterion,
    Institution,
)
from data_access.queries import dx


def _fill(engine) -> None:
    with transaction(engine) as session:
        session.add_all(
            [
                AdminUnit(id="W1", code="26734", kind="ward", name="Phường Sài Gòn", source="t"),
                AdminUnit(id="P1", code="01", kind="province", name="Hà Nội", source="t"),
            ]
        )
        session.add_all(
            [
                DxCriteriaSet(id=1, code="QD4725-2022", title="QĐ 4725", source="t", note="n"),
                DxCriteriaSet(id=2, code="EMPTY", title="Chưa có tiêu chí", source="t"),
            ]
        )
        session.flush()
        session.add_all(
            [
                DxCriterion(
                    set_id=1, group=1, code="1.1", title_vi="a", max_points=0, mandatory=True
                ),
                DxCriterion(
                    set_id=1, group=1, code="1.3", title_vi="b", max_points=60, mandatory=False
                ),
                DxCriterion(
                    set_id=1, group=1, code="1.4", title_vi="c", max_points=40, mandatory=False
                ),
                DxCriterion(
                    set_id=1, group=2, code="2.3", title_vi="d", max_points=90, mandatory=False
                ),
            ]
        )
        session.add_all(
            [
                Institution(
                    id=1,
                    code="S1",
                    name="Trường A",
                    kind="school",
                    level="primary",
                    ownership="public",
                    ward_id="W1",
                    source="t",
                ),
                Institution(
                    id=2,
                    code="S2",
                    name="Trường B",
                    kind="school",
                    level="primary",
                    ownership="public",
                    ward_id="W1",
                    source="t",
                ),
                Institution(
                    id=3,
                    code="S3",
                    name="Trường ngoài thành phố",
                    kind="school",
                    level="primary",
                    ownership="public",
                    ward_id="P1",
                    source="t",
                ),
            ]
        )
        session.flush()
        session.add_all(
            [
                DxAssessment(
                    institution_id=1,
                    set_id=1,
                    school_year=2024,
                    status="published",
                    self_group1=62.5,
                    self_group2=70,
                    reviewed_group1=60,
                    reviewed_group2=68.5,
                    mandatory_met=True,
                    level=2,
                    submitted_on=date(2025, 5, 2),
                    published_on=date(2025, 6, 18),
                    generated=False,
                ),
                DxAssessment(
                    institution_id=2,
                    set_id=1,
                    school_year=2025,
                    status="submitted",
                    self_group1=40,
                    self_group2=55,
                    mandatory_met=False,
                    submitted_on=date(2026, 5, 3),
                    generated=True,
                ),
                DxAssessment(
                    institution_id=3,
                    set_id=1,
                    school_year=2023,
                    status="published",
                    self_group1=90,
                    self_group2=90,
                    reviewed_group1=90,
                    reviewed_group2=90,
                    mandatory_met=True,
                    level=3,
                    generated=True,
                ),
            ]
        )


def test_assessments_and_years_of_the_city_only(migrated_engine) -> None:
    _fill(migrated_engine)
    assert dx.assessment_years(migrated_engine) == [2024, 2025]  # 2023 is outside the city
    frame = dx.assessments(migrated_engine)
    assert list(frame.columns) == dx.ASSESSMENT_COLUMNS
    assert frame["institution_id"].tolist() == [1, 2]
    first, second = frame.iloc[0], frame.iloc[1]
    assert first["set_code"] == "QD4725-2022" and first["level"] == 2
    assert (first["self_group1"], first["reviewed_group2"]) == (62.5, 68.5)
    assert bool(first["generated"]) is False and bool(second["generated"]) is True
    assert pd.isna(second["level"]) and pd.isna(second["reviewed_group1"])
    assert bool(second["mandatory_met"]) is False
    assert str(frame["level"].dtype) == "Int64"
    assert pd.Timestamp(first["published_on"]) == pd.Timestamp("2025-06-18")
    only = dx.assessments(migrated_engine, [2025])
    assert only["institution_id"].tolist() == [2]
    assert dx.assessments(migrated_engine, [2030]).empty


def test_criteria_sets_summarise_each_group(migrated_engine) -> None:
    _fill(migrated_engine)
    frame = dx.criteria_sets(migrated_engine)
    full = frame[frame["code"] == "QD4725-2022"].set_index("group")
    assert full["criteria"].to_dict() == {1: 3, 2: 1}
    assert full["mandatory"].to_dict() == {1: 1, 2: 0}
    assert full["max_points"].to_dict() == {1: 100.0, 2: 90.0}
    empty = frame[frame["code"] == "EMPTY"]
    assert len(empty) == 1 and pd.isna(empty["group"].iloc[0])
    assert empty["criteria"].iloc[0] == 0


def test_no_assessments_at_all(migrated_engine) -> None:
    assert dx.assessment_years(migrated_engine) == []
    frame = dx.assessments(migrated_engine)
    assert frame.empty and list(frame.columns) == dx.ASSESSMENT_COLUMNS
    assert dx.criteria_sets(migrated_engine).empty
