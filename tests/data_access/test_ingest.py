"""Ingestion on both engines: good files load, bad files are refused whole, exports round-trip."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from data_access.db import transaction
from data_access.ingest import IngestError, export, ingest, template
from data_access.models import (
    AdminUnit,
    AuditLog,
    DataDomain,
    FactEnrolment,
    IngestionBatch,
    Institution,
)


@pytest.fixture
def warehouse(migrated_engine: Engine) -> Engine:
    with transaction(migrated_engine) as session:
        session.add(
            DataDomain(
                id=1,
                slug="students",
                name_vi="Học sinh",
                name_en="Students",
                supervising_units="GDTiH",
                refresh_days=365,
                source_system="x",
            )
        )
        session.add_all(
            [
                AdminUnit(
                    id="OW26734",
                    code="26734",
                    kind="old_ward",
                    name="Phường Tân Định",
                    source="test",
                ),
                AdminUnit(
                    id="W26734", code="26734", kind="ward", name="Phường Tân Định", source="test"
                ),
            ]
        )
        session.flush()
        session.add(
            Institution(
                code="79-TH-001",
                name="Trường Tiểu học A",
                kind="school",
                level="primary",
                ownership="public",
                ward_id="W26734",
                old_ward_id="OW26734",
                source="test",
            )
        )
    return migrated_engine


def _write(tmp_path: Path, rows: list[list[object]], name: str = "f.csv") -> Path:
    path = tmp_path / name
    header = template("enrolment").strip().split(",")
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    return path


def _facts(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                select(
                    FactEnrolment.school_year,
                    FactEnrolment.grade,
                    FactEnrolment.pupils,
                    FactEnrolment.unit_id,
                ).order_by(FactEnrolment.school_year, FactEnrolment.grade)
            )
        ]


def test_good_file_loads_with_units_valid_on_its_date(warehouse, tmp_path) -> None:
    path = _write(tmp_path, [[2024, "79-TH-001", 1, 40, 19, 1], [2025, "79-TH-001", 1, 42, 20, 1]])
    report = ingest(warehouse, "enrolment", path)
    assert report.rows == 2 and report.batch_id is not None
    assert _facts(warehouse) == [(2024, 1, 40, "OW26734"), (2025, 1, 42, "W26734")]


def test_bad_file_names_row_and_column_and_changes_nothing(warehouse, tmp_path) -> None:
    ingest(warehouse, "enrolment", _write(tmp_path, [[2024, "79-TH-001", 1, 40, 19, 1]]))
    before = _facts(warehouse)
    bad = _write(
        tmp_path,
        [
            [2024, "79-TH-001", 1, 41, 19, 1],
            [2024, "79-TH-001", 2, -3, 0, 1],
            [2024, "NOPE", 3, 10, 5, 1],
            [2024, "79-TH-001", 4, 10, 12, 1],
        ],
        "bad.csv",
    )
    with pytest.raises(IngestError) as error:
        ingest(warehouse, "enrolment", bad)
    message = str(error.value)
    assert "bad.csv, row 3, column 'pupils': must be ≥ 0" in message
    assert "bad.csv, row 4, column 'institution_code': unknown institution code 'NOPE'" in message
    assert "bad.csv, row 5, column 'girls': is larger than 'pupils'" in message
    assert _facts(warehouse) == before
    with warehouse.connect() as connection:
        statuses = connection.execute(select(IngestionBatch.status)).scalars().all()
    assert statuses == ["done", "rejected"]


def test_missing_column_and_wrong_file_type(warehouse, tmp_path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("school_year,institution_code,grade\n2024,79-TH-001,1\n")
    with pytest.raises(IngestError, match=r"short\.csv, row 1, column 'pupils': column is missing"):
        ingest(warehouse, "enrolment", path)
    other = tmp_path / "data.json"
    other.write_text("{}")
    with pytest.raises(IngestError, match="unsupported file type"):
        ingest(warehouse, "enrolment", other)


def test_reload_replaces_the_slice_and_dry_run_writes_nothing(warehouse, tmp_path) -> None:
    ingest(
        warehouse,
        "enrolment",
        _write(tmp_path, [[2024, "79-TH-001", 1, 40, 19, 1], [2024, "79-TH-001", 2, 38, 18, 1]]),
    )
    report = ingest(warehouse, "enrolment", _write(tmp_path, [[2024, "79-TH-001", 1, 45, 20, 1]]))
    assert report.replaced == 2
    assert _facts(warehouse) == [(2024, 1, 45, "OW26734")]
    dry = ingest(
        warehouse, "enrolment", _write(tmp_path, [[2024, "79-TH-001", 1, 99, 20, 2]]), dry_run=True
    )
    assert dry.dry_run and _facts(warehouse) == [(2024, 1, 45, "OW26734")]
    with warehouse.connect() as connection:
        assert connection.execute(select(func.count()).select_from(IngestionBatch)).scalar() == 2


def test_export_writes_the_load_format_back(warehouse, tmp_path) -> None:
    source = _write(tmp_path, [[2024, "79-TH-001", 1, 40, 19, 1]])
    ingest(warehouse, "enrolment", source)
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"out.{suffix}"
        assert export(warehouse, "enrolment", out) == 1
        again = pd.read_csv(out) if suffix == "csv" else pd.read_excel(out)
        assert again.to_dict("records") == pd.read_csv(source).to_dict("records")


def test_the_export_command_writes_an_audit_row(warehouse, tmp_path, monkeypatch, capsys) -> None:
    from ioc_app.cli import main
    from ioc_app.cli.cli_audit import os_user

    ingest(warehouse, "enrolment", _write(tmp_path, [[2024, "79-TH-001", 1, 40, 19, 1]]))
    monkeypatch.setenv("DATABASE_URL", warehouse.url.render_as_string(hide_password=False))
    out = tmp_path / "export.csv"
    assert main(["export", "enrolment", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote 1 rows to {out}"
    with warehouse.connect() as connection:
        rows = connection.execute(
            select(AuditLog.username, AuditLog.role, AuditLog.target, AuditLog.detail).where(
                AuditLog.action == "export"
            )
        ).all()
    assert [tuple(r) for r in rows] == [(os_user(), "cli", f"enrolment:{out}", "1 rows")]
