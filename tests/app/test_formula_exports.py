"""Exports never hand a spreadsheet a live formula (security review, finding 3): a name that
begins with =, +, -, @, a tab or CR is written behind an apostrophe in every CSV and Excel
export of the pages, and in the quarterly Phụ lục II workbook."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, update

from data_access.db import transaction
from data_access.models import Institution, PlanTask
from ioc_app.cli import main as cli
from tests.app.control_room_data import small_app
from tests.helpers import call, client_as

FORMULA = '=HYPERLINK("http://x.example","y")'


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    """The small warehouse with an institution and a plan task named like formulas."""

    def rename(engine) -> None:
        with transaction(engine) as session:
            session.execute(update(Institution).where(Institution.id == 4).values(name=FORMULA))
            first = session.scalar(select(PlanTask.id).order_by(PlanTask.id))
            session.execute(update(PlanTask).where(PlanTask.id == first).values(title_vi=FORMULA))

    return small_app(tmp_path_factory.mktemp("formulas"), rename)


def test_a_page_export_writes_formula_text_inert(poisoned) -> None:
    app, _ = poisoned
    client = client_as(app, "leader")
    csv = call(
        client,
        app,
        "ward-download",
        {"ward-export.n_clicks": 1, "ward-code.data": "26743", "ward-year.value": "2025"},
        triggered="ward-export.n_clicks",
    ).get_json()["response"]["ward-download"]["data"]["content"]
    assert f"'{FORMULA}".replace('"', '""') in csv
    xlsx = call(
        client,
        app,
        "ward-download",
        {"ward-export-xlsx.n_clicks": 1, "ward-code.data": "26743", "ward-year.value": "2025"},
        triggered="ward-export-xlsx.n_clicks",
    ).get_json()["response"]["ward-download"]["data"]["content"]
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx))).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    poisoned_cells = [c for c in cells if FORMULA in c.value]
    assert poisoned_cells and all(c.data_type != "f" for c in poisoned_cells)
    assert all(c.value == f"'{FORMULA}" for c in poisoned_cells)


def test_the_quarterly_workbook_writes_formula_text_inert(
    poisoned, tmp_path: Path, monkeypatch
) -> None:
    _, engine = poisoned
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    out = tmp_path / "q.xlsx"
    assert cli(["report", "quarterly", "--quarter", "2025Q3", "--out", str(out)]) == 0
    workbook = openpyxl.load_workbook(out)
    cells = [
        c
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and FORMULA in c.value
    ]
    assert cells and all(c.data_type != "f" and c.value.startswith("'=") for c in cells)
