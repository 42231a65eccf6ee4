"""``report quarterly`` fills columns (3)–(6) from submitted reports: read back with openpyxl."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from data_access import migrate
from data_access.db import make_engine
from data_access.plan_reports import save_report
from ioc_app.cli import main
from tests.data_access.plan_report_data import GDTRH, KHTC, SCHOOL_1, build_plan

AT = datetime(2026, 9, 20, 3, 0, tzinfo=UTC)


def test_unit_sheets_and_synthesis_come_from_submitted_reports(
    tmp_path: Path, shared_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    build_plan(engine, shared_dir)

    def write(reporter, by, items, submit):
        save_report(
            engine, reporter=reporter, quarter="2026Q3", items=items, submit=submit, by=by, at=AT
        )

    write(
        "KHTC",
        KHTC,
        [
            {
                "key": "DX-1.1",
                "status": "done",
                "progress": 100,
                "done": "Đã ban hành hướng dẫn.",
                "next": "Theo dõi thực hiện.",
                "difficulties": "Thiếu kinh phí.",
                "recommendations": "Bố trí kinh phí.",
            },
            {"key": "P2023-5", "status": "in_progress", "progress": 60, "done": "Đang khảo sát."},
        ],
        True,
    )
    write(
        "GDTrH",
        GDTRH,
        [{"key": "DX-2.3", "status": "in_progress", "progress": 10, "done": "Bản nháp chưa nộp."}],
        False,
    )
    write("school:1", SCHOOL_1, [{"key": "P2023-5", "done": "Trường đã làm."}], True)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    out = tmp_path / "q.xlsx"
    assert main(["report", "quarterly", "--quarter", "2026Q3", "--out", str(out)]) == 0
    capsys.readouterr()
    book = load_workbook(out)
    assert book.sheetnames == ["Tong hop", "Phu luc II", "Nop bao cao", "KHTC"]
    unit = list(book["KHTC"].iter_rows(values_only=True))
    assert unit[0][9].startswith("(3)") and unit[0][12].startswith("(6)")
    assert [r[1] for r in unit[1:]] == ["5", "1.1"]  # the 2023 plan's items first
    assert unit[2][7:13] == (
        "Đã hoàn thành",
        100,
        "Đã ban hành hướng dẫn.",
        "Theo dõi thực hiện.",
        "Thiếu kinh phí.",
        "Bố trí kinh phí.",
    )
    table = {(r[2], r[1]): r for r in book["Phu luc II"].iter_rows(min_row=2, values_only=True)}
    dx11 = table[("Nhiệm vụ CĐS 2022–2025", "1.1")]
    assert dx11[10:14] == (
        "KHTC: Đã ban hành hướng dẫn.",
        "KHTC: Theo dõi thực hiện.",
        "KHTC: Thiếu kinh phí.",
        "KHTC: Bố trí kinh phí.",
    )
    item5 = table[("Hạng mục Kế hoạch 2023", "5")]
    assert item5[10] == "KHTC: Đang khảo sát."  # not the school's text, nor a draft
    assert table[("Nhiệm vụ CĐS 2022–2025", "2.3")][10] is None
