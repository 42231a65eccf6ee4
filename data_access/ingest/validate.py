"""Reading and checking a dataset file; every problem names the file, row and column."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data_access.ingest.datasets import CODE_LENGTH, YEAR, Column, Dataset
from data_access.ingest.formats import FormatError, parse_date, parse_number

MAX_ERRORS = 200


@dataclass
class Problem:
    """One problem found in a file; ``row`` is the spreadsheet row (the header is row 1)."""

    row: int | None
    column: str | None
    message: str
    #: The cell's text as found in the file, when the problem is about one cell.
    value: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The problem as a JSON-ready dict (the rejected batch's error report)."""
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def describe(self, path: Path) -> str:
        where = path.name
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class Checked:
    """A file that was read: its clean rows and the problems found."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


def header_problems(dataset: Dataset, raw: pd.DataFrame) -> list[Problem]:
    """Columns the file lacks (then nothing else is checked) or has in excess, on row 1."""
    missing = [c for c in dataset.header if c not in raw.columns]
    if missing:
        return [Problem(1, c, "column is missing") for c in missing]
    extra = [c for c in raw.columns if c not in dataset.header]
    return [Problem(1, c, "unknown column (see `ingest --template`)") for c in extra]


def converted(
    columns: tuple[Column, ...], raw: pd.DataFrame, problems: list[Problem]
) -> pd.DataFrame:
    """Each of ``columns`` of ``raw`` converted to its kind; problems are appended."""
    frame = pd.DataFrame(index=raw.index)
    for column in columns:
        frame[column.name] = _convert(raw[column.name], column, problems)
    return frame


def check(dataset: Dataset, raw: pd.DataFrame, known_codes: set[str]) -> Checked:
    """Check columns, types, bounds, cross-column rules, institution codes and duplicates."""
    problems = header_problems(dataset, raw)
    if any(p.message == "column is missing" for p in problems):
        return Checked(raw.iloc[0:0], problems)
    frame = converted((YEAR, *dataset.columns), raw, problems)
    frame["institution_code"] = raw["institution_code"].str.strip()
    for index, code in frame["institution_code"].items():
        if code not in known_codes:
            problems.append(
                Problem(_row(index), "institution_code", f"unknown institution code {code!r}", code)
            )
    for small, large in dataset.at_most:
        bad = frame[small] > frame[large]
        for index in frame.index[bad.fillna(False)]:
            problems.append(
                Problem(
                    _row(index),
                    small,
                    f"is larger than '{large}' ({frame.at[index, large]:g})",
                    f"{frame.at[index, small]:g}",
                )
            )
    key = ["school_year", "institution_code", *dataset.key]
    duplicated = frame.duplicated(key, keep="first")
    for index in frame.index[duplicated]:
        problems.append(Problem(_row(index), None, f"duplicates an earlier row ({', '.join(key)})"))
    return Checked(frame, problems[:MAX_ERRORS])


def _row(index: object) -> int:
    return int(index) + 2  # type: ignore[call-overload]


def _convert(values: pd.Series, column: Column, problems: list[Problem]) -> pd.Series:
    text = values.astype(str).str.strip()
    if column.kind == "code":
        for index, value in text.items():
            if not value or len(value) > CODE_LENGTH:
                problems.append(
                    Problem(_row(index), column.name, f"must be 1–{CODE_LENGTH} characters", value)
                )
        return text
    if column.kind == "date":
        return _dates(text, column, problems)
    if column.kind == "text":
        return _texts(text, column, problems)
    if column.kind == "str":
        for index, value in text.items():
            if not column.required and not value:
                continue  # left empty: stored as NULL
            if column.choices and value not in column.choices:
                problems.append(
                    Problem(
                        _row(index),
                        column.name,
                        f"must be one of {', '.join(column.choices)}",
                        value,
                    )
                )
        return text
    numbers = pd.Series(np.nan, index=text.index, dtype=float)
    for index, shown in text.items():
        if not column.required and not shown:
            continue  # left empty: NaN, stored as NULL
        try:
            value = parse_number(shown, whole=column.kind == "int")
        except FormatError as exc:
            if not _is_nan_spelling(shown):
                problems.append(Problem(_row(index), column.name, str(exc), shown))
                continue
            value = math.nan
        reason = _number_problem(value, shown, column)
        if reason:
            problems.append(Problem(_row(index), column.name, reason, shown))
        numbers[index] = value
    # Non-finite values are reported above; as NaN they trip no cross-column rule.
    return numbers.where(np.isfinite(numbers))


def _texts(text: pd.Series, column: Column, problems: list[Problem]) -> pd.Series:
    """Free text of at most ``column.maximum`` characters, kept as written (a formula too:
    it is stored as text and exported neutralised); empty → None."""
    most = int(column.maximum or 0)
    for index, value in text.items():
        if not value and column.required:
            problems.append(Problem(_row(index), column.name, "is required"))
        elif len(value) > most:
            message = f"is {len(value)} characters long; at most {most}"
            problems.append(Problem(_row(index), column.name, message, value[:80]))
    return text.where(text != "", None)


def _dates(text: pd.Series, column: Column, problems: list[Problem]) -> pd.Series:
    """Dates written ``dd/mm/yyyy`` or ``YYYY-MM-DD`` (an XLSX date cell reads as
    ``2025-05-01T00:00:00``); empty → None."""
    out: list[date | None] = []
    for index, value in text.items():
        day = None
        if value:
            try:
                day = parse_date(value)
            except FormatError as exc:
                message = f"is not a date (dd/mm/yyyy or YYYY-MM-DD): {exc}"
                problems.append(Problem(_row(index), column.name, message, value))
        elif column.required:
            problems.append(Problem(_row(index), column.name, "is required"))
        out.append(day)
    return pd.Series(out, index=text.index, dtype=object)


def _number_problem(value: float, shown: str, column: Column) -> str | None:
    """Why ``value`` (read from the text ``shown``) cannot be stored in ``column``, if it cannot."""
    if not math.isfinite(value):
        return f"is not a finite number: {shown!r}"
    if column.kind == "int" and value != int(value):
        return f"must be a whole number: {shown}"
    if column.minimum is not None and value < column.minimum:
        return f"must be ≥ {_bound(column.minimum)}, not {shown!r}"
    if column.maximum is not None and value > column.maximum:
        return f"must be ≤ {_bound(column.maximum)}, not {shown!r}"
    return None


def _is_nan_spelling(text: str) -> bool:
    """Whether ``text`` is a spelling of NaN that ``float`` accepts (``nan``, ``-NaN``, …)."""
    try:
        return math.isnan(float(text.replace(",", ".")))
    except ValueError:
        return False


def _bound(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)
