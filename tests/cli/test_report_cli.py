"""``ioc report quarterly`` on a real SQLite warehouse (the small hand-made one): the three
sheets, one row per task, statuses as /plan judges them, punctuality per unit, English
headers, every bad input refused without writing a file, and the audit row."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from analytics import plan_progress as progress
from data_access import migrate
from data_access.db import make_engine, transaction
from data_access.models import AuditLog, PlanTask, PlanUnit
from data_access.queries import plan
from ioc_app.cli import main
from ioc_app.services.report_workbook import SHEETS, UNIT_COLUMNS, text
from tests.app.control_room_data import _last_due_quarter, build_small

REPO = Path(__file__).resolve().parents[2]
TODAY = date.today()
REPORTED, REPORT_DUE = _last_due_quarter(TODAY)  # the one quarter the small warehouse reports
PCM_TITLE = "Chuẩn hóa dữ liệu các phòng chuyên môn"


def _add_group_task(engine: Engine) -> None:
    """A task led by the professional divisions as a group (PCM), with partner units."""
    with transaction(engine) as session:
        session.add(
            PlanUnit(code="PCM", name_vi="Các phòng chuyên môn", name_en="Divisions", kind="group")
        )
        session.add(
            PlanTask(
                id=4,
                kind="item",
                code="2.1",
                group="2",
                title_vi=PCM_TITLE,
                title_en="Standardise the divisions' data",
                lead_units="Các phòng chuyên môn nghiệp vụ thuộc Sở",
                partner_units="VPS;TTS",
                due=date(2023, 12, 31),
                source="test",
            )
        )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Engine]:
    """(DATABASE_URL, engine) of the small warehouse plus one group-led task."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'small.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    build_small(engine)
    _add_group_task(engine)
    yield url, engine
    engine.dispose()


@pytest.fixture
def run(warehouse, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """``run(*args)`` → (exit code, stdout, stderr) of ``ioc report quarterly ARGS``."""
    monkeypatch.setenv("DATABASE_URL", warehouse[0])

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["report", "quarterly", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def _rows(path: Path, sheet: int) -> list[tuple]:
    book = load_workbook(path)
    return list(book.worksheets[sheet].iter_rows(values_only=True))


def _summary(path: Path) -> dict[str, object]:
    return dict(_rows(path, 0)[1:])


def _expected_states(engine: Engine, quarter: str) -> dict[str, str]:
    tasks, reported, _ = plan.plan_rows(engine)
    snapshot = plan.latest_status(tasks, reported, as_of=quarter)
    states = progress.task_states(snapshot, progress.judged_on(quarter, TODAY))
    return dict(zip(snapshot["code"] + "/" + snapshot["kind"], states, strict=True))


def _audits(engine: Engine) -> list[tuple[str, str, str, str]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                select(AuditLog.username, AuditLog.role, AuditLog.target, AuditLog.detail)
                .where(AuditLog.action == "export")
                .order_by(AuditLog.id)
            )
        ]


def test_the_workbook_has_the_three_sheets_and_one_row_per_task(
    run, warehouse, tmp_path: Path
) -> None:
    out = tmp_path / "q.xlsx"
    code, printed, _ = run("--quarter", REPORTED, "--out", str(out))
    assert code == 0
    assert printed.strip() == f"wrote {out}: quarter {REPORTED}, 4 tasks, 3 units"
    book = load_workbook(out)
    assert book.sheetnames[:3] == list(SHEETS["vi"]) == ["Tong hop", "Phu luc II", "Nop bao cao"]
    assert book.sheetnames[3:] == ["KHTC", "TCCB"]  # one per unit with a submitted report
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    header, *rows = _rows(out, 1)
    assert len(rows) == len(plan.plan_tasks(warehouse[1])) == 4
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    assert header[:2] == ("(1) STT", "(2) Mã") and header[-4:] == UNIT_COLUMNS["vi"]
    assert all(cell is None for row in rows for cell in row[-4:])  # left for units to fill
    by_code = {row[1]: row for row in rows}
    assert by_code["2.1"][3:6] == (PCM_TITLE, "Các phòng chuyên môn nghiệp vụ thuộc Sở", "VPS;TTS")
    assert by_code["1.1"][6].date() == date(2024, 12, 31) and by_code["1.1"][8] == 60
    assert by_code["1.1"][9] == progress.quarter_label(REPORTED, "vi")
    assert by_code["2.1"][8] is None and by_code["2.1"][9] is None  # never reported


def test_statuses_are_the_ones_plan_progress_gives_for_the_quarter(
    run, warehouse, tmp_path: Path
) -> None:
    for quarter in (REPORTED, "2023Q1"):
        out = tmp_path / f"{quarter}.xlsx"
        assert run("--quarter", quarter, "--out", str(out))[0] == 0
        kinds = {text("kind.item", "vi"): "item", text("kind.dx", "vi"): "dx"}
        shown = {f"{row[1]}/{kinds[row[2]]}": row[7] for row in _rows(out, 1)[1:]}
        expected = _expected_states(warehouse[1], quarter)
        assert shown == {key: text(f"state.label.{state}", "vi") for key, state in expected.items()}
        summary = _summary(out)
        counts = progress.state_counts(
            plan.latest_status(*plan.plan_rows(warehouse[1])[:2], as_of=quarter),
            progress.judged_on(quarter, TODAY),
        )
        for state in progress.STATES:
            assert summary[text(f"state.{state}", "vi")] == counts[state]
        assert summary[text("judged_on", "vi")].date() == progress.judged_on(quarter, TODAY)
    # Known by hand in the reported quarter: IOC done, 1.1 overdue at 60 %, 1.2 still running.
    assert {
        k: v for k, v in _expected_states(warehouse[1], REPORTED).items() if k != "2.1/item"
    } == {"1.4/item": "done", "1.1/dx": "late", "1.2/dx": "on_track"}


def test_the_running_quarter_is_judged_today(run, tmp_path: Path) -> None:
    out = tmp_path / "now.xlsx"
    assert run("--quarter", progress.quarter_of(TODAY), "--out", str(out))[0] == 0
    assert _summary(out)[text("judged_on", "vi")].date() == TODAY


def test_punctuality_has_one_row_per_reporting_unit(run, tmp_path: Path) -> None:
    out = tmp_path / "q.xlsx"
    assert run("--quarter", REPORTED, "--out", str(out))[0] == 0
    _, *rows = _rows(out, 2)
    by_unit = {row[0]: row for row in rows}
    assert sorted(by_unit) == ["KHTC", "TCCB", "VPS"]
    year, number = progress.parse_quarter(REPORTED)
    assert {row[2].date() for row in rows} == {date(year, 3 * number, 25)}  # 25th, last month
    assert by_unit["KHTC"][4:6] == (None, "Đúng hạn")
    assert by_unit["TCCB"][4:6] == (4, "Nộp trễ") and by_unit["TCCB"][3] is not None
    assert by_unit["VPS"][3] is None and by_unit["VPS"][5] == "Chưa nộp"
    assert by_unit["VPS"][4] == (TODAY - REPORT_DUE).days
    summary = _summary(out)
    assert [summary[text(f"report.{s}", "vi")] for s in ("on_time", "late", "missing")] == [1, 1, 1]
    assert "3/3" in summary[text("generated", "vi")]  # the seeded reports are generated
    assert "plan_2023_items.csv" in summary[text("sources", "vi")]


@pytest.mark.parametrize(
    "units,tasks,reporting",
    [
        (["KHTC"], ["1.1", "1.2"], ["KHTC"]),
        (["VPS", "--unit", "TCCB"], ["1.4"], ["TCCB", "VPS"]),
        (["GDTrH"], ["2.1"], []),  # a member of the PCM group that leads 2.1
        (["PCM", "KHTC"], ["1.1", "1.2", "2.1"], ["KHTC"]),
    ],
)
def test_unit_restricts_tasks_and_punctuality(run, tmp_path: Path, units, tasks, reporting) -> None:
    out = tmp_path / "u.xlsx"
    code, printed, _ = run("--quarter", REPORTED, "--out", str(out), "--unit", *units)
    assert code == 0
    assert sorted(row[1] for row in _rows(out, 1)[1:]) == tasks
    assert sorted(row[0] for row in _rows(out, 2)[1:]) == reporting
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    assert f"{plural(len(tasks), 'task')}, {plural(len(reporting), 'unit')}" in printed


def test_english_headers_with_lang_en(run, tmp_path: Path) -> None:
    out = tmp_path / "en.xlsx"
    assert run("--quarter", REPORTED, "--out", str(out), "--lang", "en")[0] == 0
    assert load_workbook(out).sheetnames[:3] == ["Summary", "Annex II", "Punctuality"]
    header, *rows = _rows(out, 1)
    assert header[:4] == ("(1) No.", "(2) Code", "(2) Kind", "(2) Task")
    assert header[-4:] == UNIT_COLUMNS["en"]
    assert {row[1]: row[7] for row in rows}["1.1"] == "Late"
    assert _rows(out, 2)[0][:2] == ("Unit code", "Unit")
    assert _rows(out, 0)[0] == ("Item", "Value")


def _next_quarter() -> str:
    year, number = progress.parse_quarter(progress.quarter_of(TODAY))
    return f"{year + 1}Q1" if number == 4 else f"{year}Q{number + 1}"


@pytest.mark.parametrize(
    "given,message",
    [
        ({"--quarter": "2025Q5"}, "quarter number must be 1 to 4"),
        ({"--quarter": "2025-3"}, "'2025-3' is not a quarter"),
        ({"--quarter": "Q3"}, "not a quarter: write YYYYQn"),
        ({"--quarter": "2022Q4"}, "2022Q4 is before the plan: its first quarter is 2023Q1"),
        ({"--quarter": _next_quarter()}, f"{_next_quarter()} has not begun"),
        ({"--unit": "NOPE"}, "unknown unit code(s) NOPE; known: "),
        ({"--out": "{tmp}/missing/r.xlsx"}, "the folder"),
        ({"--out": "{tmp}/r.csv"}, "must end in .xlsx"),
        ({"--out": "{tmp}/r"}, "must end in .xlsx"),
    ],
)
def test_bad_input_stops_with_a_message_and_writes_nothing(
    run, warehouse, tmp_path: Path, given, message
) -> None:
    before = _audits(warehouse[1])
    options = {"--quarter": REPORTED, "--out": str(tmp_path / "r.xlsx"), "--unit": "KHTC"}
    options |= {flag: value.format(tmp=tmp_path) for flag, value in given.items()}
    code, printed, err = run(*[part for pair in options.items() for part in pair])
    assert code != 0 and printed == ""
    assert message in err
    assert list(tmp_path.iterdir()) == []  # not even a temporary file
    assert _audits(warehouse[1]) == before


def test_unknown_units_are_listed(run, tmp_path: Path) -> None:
    _, _, err = run("--quarter", REPORTED, "--out", str(tmp_path / "r.xlsx"), "--unit", "XX")
    assert "KHTC" in err and "VPS" in err and "PCM" in err


def test_a_warehouse_without_schema_is_refused(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db' / 'empty.sqlite'}")
    code = main(["report", "quarterly", "--quarter", REPORTED, "--out", str(tmp_path / "r.xlsx")])
    assert code == 2 and "db upgrade" in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()


def test_the_command_runs_as_a_process_and_is_audited(warehouse, tmp_path: Path) -> None:
    url, engine = warehouse
    before = len(_audits(engine))
    out = tmp_path / "report.xlsx"
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ioc_app",
            "report",
            "quarterly",
            "--quarter",
            REPORTED,
            "--out",
            str(out),
            "--unit",
            "KHTC",
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}: quarter {REPORTED}, 2 tasks, 1 unit"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
    audits = _audits(engine)
    assert len(audits) == before + 1
    username, role, target, detail = audits[-1]
    assert role == "cli" and username
    assert target == f"report_quarterly_{REPORTED}:report.xlsx"
    assert detail.startswith("2 tasks, 1 unit, units=KHTC")
    helped = subprocess.run(
        [sys.executable, "-m", "ioc_app", "report", "--help"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert helped.returncode == 0 and "quarterly" in helped.stdout


def test_the_same_report_on_sqlite_and_postgresql(
    migrated_engine: Engine, tmp_path: Path, monkeypatch, capsys
) -> None:
    build_small(migrated_engine)
    _add_group_task(migrated_engine)
    monkeypatch.setenv("DATABASE_URL", migrated_engine.url.render_as_string(hide_password=False))
    out = tmp_path / "pg.xlsx"
    assert main(["report", "quarterly", "--quarter", REPORTED, "--out", str(out)]) == 0, (
        capsys.readouterr().err
    )
    kinds = {text("kind.item", "vi"): "item", text("kind.dx", "vi"): "dx"}
    shown = {f"{row[1]}/{kinds[row[2]]}": row[7] for row in _rows(out, 1)[1:]}
    assert shown == {
        key: text(f"state.label.{state}", "vi")
        for key, state in _expected_states(migrated_engine, REPORTED).items()
    }
    assert sorted(row[0] for row in _rows(out, 2)[1:]) == ["KHTC", "TCCB", "VPS"]
    assert len(_audits(migrated_engine)) == 1
