"""Spreadsheet formula injection: text that a spreadsheet would run is written inert."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from data_access.spreadsheet import TRIGGERS, neutralise, neutralise_frame, restore

LINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("text", [LINK, "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=", "-"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe_and_comes_back(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("value", [-3, -2.5, np.int64(-3), np.float64(-0.5), None, "Trường A", ""])
def test_numbers_and_plain_text_are_left_alone(value: object) -> None:
    assert neutralise(value) is value


def test_restore_strips_exactly_one_apostrophe_and_only_before_a_trigger() -> None:
    assert restore("''=x") == "''=x"
    assert restore("'x") == "'x"
    assert restore("'-5") == "-5"
    assert restore("-5") == "-5"
    assert restore(7) == 7
    assert set(TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


def test_a_neutralised_frame_writes_no_formula_to_xlsx_or_csv(tmp_path) -> None:
    frame = pd.DataFrame({"name": [LINK, "Trường A"], "change": [-3, 4], "share": [-0.5, 0.2]})
    safe = neutralise_frame(frame)
    assert frame["name"][0] == LINK, "the input is not changed"
    assert safe["change"].dtype == frame["change"].dtype and safe["change"][0] == -3
    assert safe["share"].dtype == frame["share"].dtype
    safe.to_excel(tmp_path / "out.xlsx", index=False)
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert sheet["A2"].value == "'" + LINK and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3 and sheet["B2"].data_type == "n"
    safe.to_csv(tmp_path / "out.csv", index=False)
    assert (tmp_path / "out.csv").read_text().splitlines()[1].startswith(f"\"'{LINK[:11]}")
