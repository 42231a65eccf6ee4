"""The plan_reports dataset on both engines: Phụ lục II from a spreadsheet, checked by the
report service's rules for the caller, saved as report versions, idempotent, not undoable."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from data_access import plan_reports
from data_access.ingest import IngestError, export, ingest, template
from data_access.ingest.ledger import UndoRefusedError, undo
from data_access.models import ReportVersion
from data_access.users import create_user
from tests.data_access.plan_report_data import GDTRH, KHTC, SCHOOL_1, build_plan
from tests.data_access.test_ingest_ledger import checksum

HEADER = template("plan_reports").strip().split(",")
ROW = {
    "quarter": "2025Q3",
    "reporter": "KHTC",
    "task": "DX-1.1",
    "status": "in_progress",
    "progress": "40",
    "done": "Đã khảo sát hạ tầng mạng của 12 trường.",
    "next": "",
    "difficulties": "",
    "recommendations": "",
}


@pytest.fixture
def warehouse(migrated_engine: Engine, shared_dir: Path) -> Engine:
    build_plan(migrated_engine, shared_dir)
    return migrated_engine


def _write(tmp_path: Path, *changes: dict[str, str], name: str = "pl2.csv") -> Path:
    path = tmp_path / name
    pd.DataFrame([{**ROW, **c} for c in changes], columns=HEADER).to_csv(path, index=False)
    return path


def _versions(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(ReportVersion)).scalar_one()


def test_a_unit_loads_its_report_once_and_a_reload_changes_nothing(warehouse, tmp_path) -> None:
    path = _write(tmp_path, {}, {"task": "DX-3.1", "status": "done", "progress": "100"})
    report = ingest(warehouse, "plan_reports", path, caller=KHTC, username=KHTC.username)
    assert (report.inserted, report.updated, report.unchanged) == (2, 0, 0)
    stored = plan_reports.current_reports(warehouse, quarter="2025Q3", unit="KHTC")[0]
    assert stored["state"] == "draft"
    items = {i["key"]: i for i in stored["items"]}
    assert items["DX-1.1"]["progress"] == 40 and items["DX-1.1"]["done"] == ROW["done"]
    assert items["DX-3.1"]["status"] == "done"
    before, versions = checksum(warehouse), _versions(warehouse)
    again = ingest(warehouse, "plan_reports", path, caller=KHTC)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert (checksum(warehouse), _versions(warehouse)) == (before, versions)
    changed = ingest(warehouse, "plan_reports", _write(tmp_path, {"progress": "60"}), caller=KHTC)
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 0)
    assert _versions(warehouse) == versions + 1  # one new version, as a save on /report
    with pytest.raises(UndoRefusedError, match="each report keeps its versions"):
        undo(warehouse, changed.batch_id, username="cli", is_admin=True)


def test_the_report_rules_refuse_by_row_and_column(warehouse, tmp_path) -> None:
    before = checksum(warehouse)
    path = _write(
        tmp_path,
        {},
        {"reporter": "GDTrH"},  # another unit's report
        {"task": "DX-2.2"},  # a task KHTC does not report on
        {"quarter": "2022Q4"},  # before the plan
        {"quarter": "2099Q1"},  # not begun
        {"progress": "140"},
        {"status": "finished"},
        {"reporter": "school:1"},  # a school's own report
        {"task": "DX-1.1"},  # row 2 again
    )
    with pytest.raises(IngestError) as error:
        ingest(warehouse, "plan_reports", path, caller=KHTC)
    message = str(error.value)
    for expected in (
        "row 3, column 'reporter': dept.khtc (department) may not write the report of GDTrH",
        "row 4, column 'task': task DX-2.2 is not one KHTC reports on in 2025Q3",
        "row 5, column 'quarter': reports are written for 2023Q1 to the running quarter",
        "row 6, column 'quarter': reports are written for 2023Q1",
        "row 7, column 'progress': must be ≤ 100",
        "row 8, column 'status': must be one of not_started, in_progress, done",
        "row 9, column 'reporter': dept.khtc (department) may not write the report of school:1",
        "row 10, column 'task': duplicates row 2",
    ):
        assert expected in message, expected
    assert checksum(warehouse) == before


def test_a_school_loads_its_own_report_and_no_caller_is_refused(warehouse, tmp_path) -> None:
    path = _write(tmp_path, {"reporter": "school:1", "task": "P2023-5"})
    with pytest.raises(IngestError, match="plan reports are written as a user"):
        ingest(warehouse, "plan_reports", path)
    with pytest.raises(IngestError, match="may not write the report of school:1"):
        ingest(warehouse, "plan_reports", path, caller=GDTRH)
    report = ingest(warehouse, "plan_reports", path, caller=SCHOOL_1)
    assert report.inserted == 1


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_round_trips_for_the_unit(warehouse, tmp_path, suffix) -> None:
    ingest(warehouse, "plan_reports", _write(tmp_path, {}, {"task": "DX-3.1"}), caller=KHTC)
    before, versions = checksum(warehouse), _versions(warehouse)
    out = tmp_path / f"out.{suffix}"
    rows = export(warehouse, "plan_reports", out)
    report = ingest(warehouse, "plan_reports", out, caller=KHTC)
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, rows) and rows == 2
    assert (checksum(warehouse), _versions(warehouse)) == (before, versions)


def test_the_command_loads_as_the_user_named(warehouse, tmp_path, monkeypatch, capsys) -> None:
    from ioc_app.cli import main

    create_user(warehouse, "dept.khtc", "a-long-password-1", role="department", units=("KHTC",))
    monkeypatch.setenv("DATABASE_URL", warehouse.url.render_as_string(hide_password=False))
    path = _write(tmp_path, {})
    assert main(["ingest", "plan_reports", str(path)]) != 0
    assert "written as a user" in capsys.readouterr().err
    assert main(["ingest", "plan_reports", str(path), "--as", "nobody"]) != 0
    assert "no user 'nobody'" in capsys.readouterr().err
    assert main(["ingest", "plan_reports", str(path), "--as", "dept.khtc"]) == 0
    assert "1 inserted" in capsys.readouterr().out
    with warehouse.connect() as connection:
        assert connection.execute(select(ReportVersion.username)).scalars().all() == ["dept.khtc"]
