"""The dx_assessments dataset on both engines: template, load, checks, reload and round trip."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from data_access.db import transaction
from data_access.ingest import IngestError, export, ingest, template
from data_access.ingest.ledger import UndoRefusedError, undo
from data_access.models import AdminUnit, DxAssessment, DxScore, IngestionBatch, Institution
from data_access.reference.dx import write_criteria

HEADER = (
    "school_year,institution_code,criteria_set,criterion_code,self_points,reviewed_points,"
    "status,submitted_on,published_on"
)
SET = "QD4725-2022"


@pytest.fixture
def warehouse(migrated_engine: Engine, shared_dir: Path) -> Engine:
    """Two schools and the criteria of Decision 4725."""
    with transaction(migrated_engine) as session:
        session.add(
            AdminUnit(id="W26734", code="26734", kind="ward", name="Phường Tân Định", source="t")
        )
        session.flush()
        session.add_all(
            Institution(
                code=code,
                name=name,
                kind="school",
                level="primary",
                ownership="public",
                ward_id="W26734",
                source="test",
            )
            for code, name in (("79-TH-001", "Trường Tiểu học A"), ("79-TH-002", "Trường B"))
        )
    with migrated_engine.begin() as connection:
        write_criteria(connection, shared_dir)
    return migrated_engine


def _criteria(shared_dir: Path) -> pd.DataFrame:
    frame = pd.read_csv(shared_dir / "dx_index/criteria_4725_secondary_source.csv", dtype=str)
    return frame.assign(mandatory=frame["mandatory"].str.lower().eq("true"))


def _rows(
    shared_dir: Path,
    code: str = "79-TH-001",
    *,
    share: float = 1.0,
    status: str = "published",
    year: int = 2024,
) -> list[list[object]]:
    """One full assessment: every criterion at ``share`` of its points (mandatory met)."""
    rows = []
    for r in _criteria(shared_dir).itertuples():
        points = 1 if r.mandatory else float(r.max_points) * share
        reviewed = points if status in ("reviewed", "published") else ""
        published = f"{year + 1}-06-15" if status == "published" else ""
        rows.append(
            [year, code, SET, r.code, points, reviewed, status, f"{year + 1}-05-10", published]
        )
    return rows


def _write(tmp_path: Path, rows: list[list[object]], name: str = "dx.csv") -> Path:
    path = tmp_path / name
    frame = pd.DataFrame(rows, columns=HEADER.split(","))
    if path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path


def _assessments(engine: Engine) -> list[tuple]:
    a = DxAssessment
    query = select(
        a.id,
        a.school_year,
        a.status,
        a.self_group1,
        a.self_group2,
        a.reviewed_group1,
        a.reviewed_group2,
        a.mandatory_met,
        a.level,
        a.generated,
    ).order_by(a.id)
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(query)]


def _score_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return len(connection.execute(select(DxScore.id)).all())


def test_the_template_names_every_column() -> None:
    assert template("dx_assessments") == HEADER + "\n"


def test_a_file_loads_as_assessments_with_group_totals_and_level(
    warehouse, tmp_path, shared_dir
) -> None:
    rows = _rows(shared_dir, share=0.5) + _rows(shared_dir, "79-TH-002", status="submitted")
    report = ingest(warehouse, "dx_assessments", _write(tmp_path, rows))
    assert report.rows == len(rows) == 2 * 29 and report.replaced == 0
    (one, two) = _assessments(warehouse)
    # Half of every criterion: 50 in both groups (group 2 on its 90 listed points) → level 2.
    assert one[1:] == (2024, "published", 50.0, 50.0, 50.0, 50.0, True, 2, False)
    # Submitted, not reviewed: no reviewed totals and no level yet.
    assert two[1:] == (2024, "submitted", 100.0, 100.0, None, None, True, None, False)
    assert _score_count(warehouse) == 58


def test_a_reload_updates_the_assessment_in_place(warehouse, tmp_path, shared_dir) -> None:
    ingest(warehouse, "dx_assessments", _write(tmp_path, _rows(shared_dir, share=0.5)))
    first_id = _assessments(warehouse)[0][0]
    rows = _rows(shared_dir, share=1.0)
    rows = [r for r in rows if r[3] != "1.1"]  # a missing mandatory condition counts 0
    report = ingest(warehouse, "dx_assessments", _write(tmp_path, rows, "again.csv"))
    # the 4 mandatory conditions still met are left alone; 1.1, missing, is removed
    mandatory = int(_criteria(shared_dir)["mandatory"].sum())
    assert report.rows == 28 and (report.unchanged, report.removed) == (mandatory - 1, 1)
    assert report.updated == 28 - (mandatory - 1) and report.inserted == 0
    assert report.replaced == report.updated + report.removed
    (only,) = _assessments(warehouse)
    assert only[0] == first_id and only[3:] == (100.0, 100.0, 100.0, 100.0, False, 3, False)
    assert _score_count(warehouse) == 28


def test_bad_rows_name_file_row_and_column_and_load_nothing(
    warehouse, tmp_path, shared_dir
) -> None:
    ingest(warehouse, "dx_assessments", _write(tmp_path, _rows(shared_dir, share=0.5)))
    before = (_assessments(warehouse), _score_count(warehouse))
    rows = _rows(shared_dir, share=0.5)
    rows[2][4] = 7  # 1.3.1 is worth 6 points
    rows[0][4] = 2  # a mandatory condition is met (1) or not (0)
    rows[3][3] = "9.9.9"
    rows[4][1] = "NOPE"
    rows[5][5] = ""  # published without reviewed points
    rows[6][6] = "approved"
    rows[7][8] = "2025-06-31"
    rows[8][2] = "QD-0000"
    path = _write(tmp_path, rows, "bad.xlsx")
    with pytest.raises(IngestError) as error:
        ingest(warehouse, "dx_assessments", path)
    message = str(error.value)
    assert (
        "bad.xlsx, row 4, column 'self_points': 7 is above the maximum of the criterion: 6"
        in message
    )
    assert "bad.xlsx, row 2, column 'self_points': 2 is above the maximum of a mandatory" in message
    assert "bad.xlsx, row 5, column 'criterion_code': unknown criterion '9.9.9'" in message
    assert "bad.xlsx, row 6, column 'institution_code': unknown institution code 'NOPE'" in message
    assert "bad.xlsx, row 7, column 'reviewed_points': is required when the status is" in message
    assert "bad.xlsx, row 8, column 'status': must be one of draft" in message
    assert (
        "bad.xlsx, row 9, column 'published_on': is not a date (dd/mm/yyyy or YYYY-MM-DD)"
        in message
    )
    assert "bad.xlsx, row 10, column 'criteria_set': unknown criteria set 'QD-0000'" in message
    assert (_assessments(warehouse), _score_count(warehouse)) == before
    with warehouse.connect() as connection:
        statuses = connection.execute(select(IngestionBatch.status)).scalars().all()
    assert statuses == ["done", "rejected"]


def test_rows_of_one_assessment_must_agree_on_status_and_dates(
    warehouse, tmp_path, shared_dir
) -> None:
    rows = _rows(shared_dir, status="reviewed")
    rows[3][7] = "2025-05-11"
    with pytest.raises(IngestError) as error:
        ingest(warehouse, "dx_assessments", _write(tmp_path, rows, "mixed.csv"))
    assert "mixed.csv, row 5, column 'submitted_on': differs from row 2" in str(error.value)
    assert _assessments(warehouse) == []


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_round_trips(warehouse, tmp_path, shared_dir, suffix) -> None:
    rows = _rows(shared_dir, share=0.5) + _rows(shared_dir, "79-TH-002", status="draft")
    rows[4][4] = 2.5  # a half point
    source = _write(tmp_path, rows, f"in.{suffix}")
    ingest(warehouse, "dx_assessments", source)
    before = _assessments(warehouse)
    out = tmp_path / f"out.{suffix}"
    assert export(warehouse, "dx_assessments", out) == len(rows)
    read = pd.read_csv if suffix == "csv" else pd.read_excel
    assert read(out, dtype=str).fillna("").to_dict("records") == read(source, dtype=str).fillna(
        ""
    ).map(lambda v: v.removesuffix(".0")).to_dict("records")
    report = ingest(warehouse, "dx_assessments", out)
    # the same scores again: nothing is replaced, every row is counted unchanged
    assert (report.replaced, report.unchanged) == (0, len(rows))
    assert _assessments(warehouse) == before


def test_numbers_as_offices_write_them_and_empty_reviewed_points_stay_null(
    warehouse, tmp_path, shared_dir
) -> None:
    rows = _rows(shared_dir, status="submitted", share=0.5)
    expected = sorted(float(r[4]) for r in rows)
    index = next(i for i, r in enumerate(rows) if float(r[4]) % 1)  # a criterion worth x.5
    rows[index][4] = f"{rows[index][4]}".replace(".", ",")  # the Vietnamese decimal comma
    ingest(warehouse, "dx_assessments", _write(tmp_path, rows))
    with warehouse.connect() as connection:
        scores = connection.execute(select(DxScore.self_score, DxScore.reviewed_score)).all()
    assert sorted(own for own, _ in scores) == expected
    assert {reviewed for _, reviewed in scores} == {None}


def test_undo_of_a_dx_batch_is_refused_and_changes_nothing(warehouse, tmp_path, shared_dir) -> None:
    ingest(warehouse, "dx_assessments", _write(tmp_path, _rows(shared_dir, share=0.5)))
    report = ingest(warehouse, "dx_assessments", _write(tmp_path, _rows(shared_dir), "again.csv"))
    before = (_assessments(warehouse), _score_count(warehouse))
    for admin in (True, False):
        with pytest.raises(UndoRefusedError) as error:
            undo(warehouse, report.batch_id, username="cli", is_admin=admin)
        assert str(error.value) == (
            "undo is not available for dx_assessments batches; load the previous file again"
        )
    assert (_assessments(warehouse), _score_count(warehouse)) == before
    with warehouse.connect() as connection:
        statuses = (
            connection.execute(select(IngestionBatch.status).order_by(IngestionBatch.id))
            .scalars()
            .all()
        )
    assert statuses == ["done", "done"]
