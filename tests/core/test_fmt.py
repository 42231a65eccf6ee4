"""Numbers, dates and distances in both languages, against expectations written by hand."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from ioc_app.core.fmt import (
    fmt_date,
    fmt_distance,
    fmt_number,
    fmt_share,
    number_symbols,
    school_year_label,
)


@pytest.mark.parametrize(
    ("value", "kind", "vi", "en"),
    [
        (1234567.9, "decimal", "1.234.567,9", "1,234,567.9"),
        (1234567.25, "decimal", "1.234.567,25", "1,234,567.25"),
        (1234567, "count", "1.234.567", "1,234,567"),
        (1234567.6, "count", "1.234.568", "1,234,568"),
        (-4321, "count", "-4.321", "-4,321"),
        (999, "count", "999", "999"),
        (27.345, "ratio", "27,3", "27.3"),
        (1234.5, "ratio", "1.234,5", "1,234.5"),
        (87.5, "percent", "87,5 %", "87.5 %"),
        (0.1234, "share", "12,3 %", "12.3 %"),
        (12.0, "decimal", "12", "12"),
    ],
)
def test_numbers_in_both_languages(value: float, kind: str, vi: str, en: str) -> None:
    assert fmt_number(value, kind, "vi") == vi  # type: ignore[arg-type]
    assert fmt_number(value, kind, "en") == en  # type: ignore[arg-type]


@pytest.mark.parametrize("missing", [None, math.nan, math.inf, pd.NA])
def test_a_missing_number_is_a_dash(missing: object) -> None:
    assert fmt_number(missing, "count", "vi") == "—"  # type: ignore[arg-type]
    assert fmt_share(missing, "en") == "—"  # type: ignore[arg-type]


def test_chosen_decimals_and_sign() -> None:
    assert fmt_number(3.14159, "ratio", "vi", decimals=2) == "3,14"
    assert fmt_number(1500, "count", "vi", signed=True) == "+1.500"
    assert fmt_number(-1500, "count", "en", signed=True) == "-1,500"
    assert fmt_share(0.123, "vi", signed=True) == "+12 %"
    assert fmt_share(-0.05, "en") == "-5 %"


def test_dates_day_first_in_vietnamese_iso_in_english() -> None:
    assert fmt_date(date(2025, 3, 1), "vi") == "01/03/2025"
    assert fmt_date(pd.Timestamp("2025-03-01 17:30"), "en") == "2025-03-01"
    assert fmt_date("2024-12-31", "vi") == "31/12/2024"
    assert fmt_date(None, "vi") == "—"
    assert fmt_date(pd.NaT, "en") == "—"


def test_distances() -> None:
    assert fmt_distance(850.4, "vi") == "850 m"
    assert fmt_distance(1234.0, "vi") == "1,2 km"
    assert fmt_distance(1234.0, "en") == "1.2 km"
    assert fmt_distance(12345.0, "vi") == "12,3 km"
    assert fmt_distance(None, "en") == ""


def test_symbols_and_school_years() -> None:
    assert number_symbols("vi") == (",", ".")
    assert number_symbols("en") == (".", ",")
    assert school_year_label(2025) == "2025–2026"
