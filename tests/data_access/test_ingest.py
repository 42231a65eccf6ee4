"""Ingestion on both engines: good files load, bad files are refused whole, exports round-trip."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from data_access.ingest import DATASETS, IngestError, export, ingest, template
from data_access.models import (
    AuditLog,
    DxAssessment,
    FactEnrolment,
    IngestionBatch,
    Institution,
)
from tests.data_access.conftest import FORMULA


def _write(
    tmp_path: Path, rows: list[list[object]], name: str = "f.csv", dataset: str = "enrolment"
) -> Path:
    path = tmp_path / name
    header = template(dataset).strip().split(",")
    frame = pd.DataFrame(rows, columns=header)
    if path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False)
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


def _checksum(engine: Engine) -> str:
    """A digest of everything a load may change, less the batches that record rejections."""
    models = sorted({d.model for d in DATASETS.values()}, key=lambda m: m.__tablename__)
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for model in (*models, DxAssessment, Institution, AuditLog, IngestionBatch):
            table = model.__table__
            query = select(table).order_by(*table.primary_key.columns)
            if model is IngestionBatch:
                query = query.where(table.c.status != "rejected")
            for row in connection.execute(query):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _store_something(engine: Engine, tmp_path: Path) -> None:
    """One good enrolment row and one good facilities row, so a refusal has something to keep."""
    ingest(engine, "enrolment", _write(tmp_path, [[2024, "79-TH-001", 1, 40, 19, 1]], "e.csv"))
    facilities = [[2024, "79-TH-001", 20, 18, 4, 1, 40, 2, 5200.5, 300.0]]
    ingest(engine, "facilities", _write(tmp_path, facilities, "fac.csv", "facilities"))


def _refused(engine: Engine, dataset: str, path: Path, **options: object) -> str:
    """Load ``path`` expecting a refusal: nothing stored changes, a rejected batch says why."""
    before = _checksum(engine)
    with pytest.raises(IngestError) as error:
        ingest(engine, dataset, path, **options)
    assert _checksum(engine) == before
    with engine.connect() as connection:
        batch = connection.execute(
            select(IngestionBatch.status, IngestionBatch.filename, IngestionBatch.errors)
            .order_by(IngestionBatch.id.desc())
            .limit(1)
        ).one()
    assert batch.status == "rejected" and batch.filename == path.name
    recorded = [problem["message"] for problem in json.loads(batch.errors)]
    assert recorded == [problem.message for problem in error.value.problems]
    return str(error.value)


def test_non_finite_numbers_are_refused_by_file_row_and_column(warehouse, tmp_path) -> None:
    _store_something(warehouse, tmp_path)
    counts = _write(
        tmp_path,
        [
            [2024, "79-TH-001", 1, "inf", 19, 1],
            [2024, "79-TH-001", 2, 40, "nan", 1],
            [2024, "79-TH-001", 3, 40, 19, "-Infinity"],
        ],
        "counts.csv",
    )
    message = _refused(warehouse, "enrolment", counts)
    assert "counts.csv, row 2, column 'pupils': is not a finite number: 'inf'" in message
    assert "counts.csv, row 3, column 'girls': is not a finite number: 'nan'" in message
    assert "counts.csv, row 4, column 'classes': is not a finite number: '-Infinity'" in message
    areas = _write(
        tmp_path,
        [[2024, "79-TH-001", 20, 18, 4, 1, 40, 2, "inf", "NaN"]],
        "areas.csv",
        "facilities",
    )
    message = _refused(warehouse, "facilities", areas)
    assert "areas.csv, row 2, column 'site_area_m2': is not a finite number: 'inf'" in message
    assert "areas.csv, row 2, column 'internet_mbps': is not a finite number: 'NaN'" in message


def test_implausible_numbers_are_refused_with_their_value(warehouse, tmp_path) -> None:
    _store_something(warehouse, tmp_path)
    counts = _write(
        tmp_path,
        [[2024, "79-TH-001", 1, 6000, 19, 1], [2024, "79-TH-001", 2, 40, 19, "1e20"]],
        "counts.xlsx",
    )
    message = _refused(warehouse, "enrolment", counts)
    assert "counts.xlsx, row 2, column 'pupils': must be ≤ 5000, not '6000'" in message
    assert "counts.xlsx, row 3, column 'classes': must be ≤ 200, not '1e20'" in message
    areas = _write(
        tmp_path,
        [[1999, "79-TH-001", 20, 18, 4, 1, 40, 2, "1e308", 300]],
        "areas.csv",
        "facilities",
    )
    message = _refused(warehouse, "facilities", areas)
    assert "areas.csv, row 2, column 'school_year': must be ≥ 2000, not '1999'" in message
    assert "areas.csv, row 2, column 'site_area_m2': must be ≤ 1000000, not '1e308'" in message


def test_every_numeric_column_declares_a_plausible_range() -> None:
    for dataset in DATASETS.values():
        for column in dataset.columns:
            if column.kind == "str":
                assert column.choices, f"{dataset.name}.{column.name} accepts any text"
                continue
            if column.kind in ("code", "date"):  # checked against the warehouse / as dates
                continue
            if column.kind == "text":  # names, addresses: bounded in length
                assert column.maximum and column.maximum <= 4000, column
                continue
            assert column.minimum is not None and column.maximum is not None, column
            # only coordinates may be negative (west of Greenwich, south of the equator)
            floor = -180 if column.name in ("latitude", "longitude") else 0
            assert floor <= column.minimum < column.maximum < 2**31, column


def test_an_oversize_file_is_refused_before_it_is_read(warehouse, tmp_path) -> None:
    _store_something(warehouse, tmp_path)
    big = tmp_path / "big.csv"
    with big.open("wb") as sparse:  # 21 MiB that take no disk space
        sparse.truncate(21 * 2**20)
    message = _refused(warehouse, "enrolment", big)
    assert "big.csv: is 22,020,096 bytes, over the limit of 20,971,520 bytes" in message
    from data_access.ingest import FileLimits

    small = _write(tmp_path, [[2024, "79-TH-001", 1, 40, 19, 1]], "small.csv")
    message = _refused(warehouse, "enrolment", small, limits=FileLimits(max_bytes=10))
    assert "small.csv: is " in message and "over the limit of 10 bytes" in message


def test_too_many_rows_are_refused(warehouse, tmp_path) -> None:
    from data_access.ingest import FileLimits

    rows = [[2024, "79-TH-001", 1, 40, 19, 1], [2024, "79-TH-001", 2, 40, 19, 1]]
    for suffix in ("csv", "xlsx"):
        path = _write(tmp_path, rows, f"rows.{suffix}")
        message = _refused(warehouse, "enrolment", path, limits=FileLimits(max_rows=1))
        assert f"rows.{suffix}: has more than 1 data rows" in message


def _zip_bomb(tmp_path: Path, megabytes: int) -> Path:
    """A valid-looking XLSX of a few hundred KB whose sheet unpacks to ``megabytes`` MiB."""
    shell = _write(tmp_path, [], "shell.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(shell) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != sheet:
                out.writestr(item.filename, source.read(item))
        with out.open(sheet, "w", force_zip64=True) as stream:
            stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/')
            stream.write(b'main"><sheetData>')
            for _ in range(megabytes):
                stream.write(b" " * 2**20)
            stream.write(b"</sheetData></worksheet>")
    return bomb


def test_an_xlsx_zip_bomb_is_refused_before_openpyxl_opens_it(
    warehouse, tmp_path, monkeypatch
) -> None:
    _store_something(warehouse, tmp_path)
    bomb = _zip_bomb(tmp_path, 300)
    assert bomb.stat().st_size < 2**20

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to open the zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", refuse)
    message = _refused(warehouse, "enrolment", bomb)
    assert "bomb.xlsx: unpacks to 300 MB, over the limit of 200 MB" in message


def test_unreadable_files_are_recorded_as_rejected(warehouse, tmp_path) -> None:
    _store_something(warehouse, tmp_path)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("school_year,institution_code\n")
    assert "fake.xlsx: is not an XLSX workbook" in _refused(warehouse, "enrolment", fake)
    other = tmp_path / "data.json"
    other.write_text("{}")
    assert "unsupported file type '.json'" in _refused(warehouse, "enrolment", other)


def test_formulas_in_an_uploaded_workbook_are_read_as_text_never_run(warehouse, tmp_path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(template("enrolment").strip().split(","))
    sheet.append([2024, FORMULA, 1, "=40", 19, 1])  # openpyxl stores "=…" as formulas
    assert sheet["B2"].data_type == sheet["D2"].data_type == "f"
    path = tmp_path / "formulas.xlsx"
    workbook.save(path)
    message = _refused(warehouse, "enrolment", path)
    assert "formulas.xlsx, row 2, column 'pupils': is not a number: '=40'" in message
    assert "institution_code" not in message  # the formula's text is the code, as written


def test_export_writes_formula_like_text_inert_and_ingest_restores_it(warehouse, tmp_path) -> None:
    ingest(warehouse, "enrolment", _write(tmp_path, [[2024, FORMULA, 1, 40, 19, 1]]))
    stored = _facts(warehouse)
    workbook, text = tmp_path / "out.xlsx", tmp_path / "out.csv"
    assert export(warehouse, "enrolment", workbook) == export(warehouse, "enrolment", text) == 1
    cell = openpyxl.load_workbook(workbook).active["B2"]
    assert cell.value == "'" + FORMULA and cell.data_type == "s"
    assert pd.read_csv(text, dtype=str)["institution_code"][0] == "'" + FORMULA
    for path in (workbook, text):
        report = ingest(warehouse, "enrolment", path)
        # the same values again: nothing is replaced, the row is counted unchanged
        assert (report.rows, report.replaced, report.unchanged) == (1, 0, 1)
        assert _facts(warehouse) == stored


def test_the_ingest_command_takes_a_file_size_limit(
    warehouse, tmp_path, monkeypatch, capsys
) -> None:
    from ioc_app.cli import main

    monkeypatch.setenv("DATABASE_URL", warehouse.url.render_as_string(hide_password=False))
    path = _write(tmp_path, [[2024, "79-TH-001", 1, 40, 19, 1]])
    assert main(["ingest", "enrolment", str(path), "--max-file-mb", "0.00001"]) == 2
    refusal = f"f.csv: is {path.stat().st_size} bytes, over the limit of 10 bytes"
    assert refusal in capsys.readouterr().err
    assert main(["ingest", "enrolment", str(path), "--max-file-mb", "1"]) == 0
