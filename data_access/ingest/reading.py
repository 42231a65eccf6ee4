"""Reading a dataset file as text, within size limits, without running any formula.

Every limit is checked before the parser sees the file: the file's size first, then, for an
XLSX (a zip archive), the sizes its members declare they unpack to, so that a zip bomb is
refused before openpyxl reads a byte of it. Python's zipfile never inflates a member past its
declared ``file_size``, so a member that lies about its size cannot unpack to more.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from data_access.spreadsheet import restore

MB = 2**20


@dataclass(frozen=True)
class FileLimits:
    """How large a file ``ingest`` accepts.

    The defaults hold the city's largest dataset several times over: all eleven school years
    of enrolment (108,000 rows) are a 3 MB CSV, or a 3 MB XLSX unpacking to 27 MB.
    """

    #: Bytes of the file as it is on disk.
    max_bytes: int = 20 * MB
    #: Bytes an XLSX unpacks to: the sum of its zip members' sizes.
    max_unpacked_bytes: int = 200 * MB
    #: Data rows, the header not counted.
    max_rows: int = 500_000


class FileRefusedError(ValueError):
    """A file that is too large, or not what its name says, to be read."""


def read_table(path: Path, limits: FileLimits | None = None) -> pd.DataFrame:
    """Read a CSV (UTF-8, BOM allowed) or XLSX file as text columns.

    Parameters
    ----------
    path
        The file; its suffix (``.csv``, ``.xlsx``, ``.xlsm``) says how to read it.
    limits
        The size limits; ``FileLimits()`` when not given.

    Returns
    -------
    pandas.DataFrame
        One ``str`` column per header cell; empty cells are ``""``. An XLSX formula comes back
        as its text (``"=SUM(A1:A3)"``), never as a computed value. The apostrophe with which
        ``export`` neutralises formula-like text is removed (see ``data_access.spreadsheet``).

    Raises
    ------
    FileRefusedError
        When the file is over a limit or is not a readable CSV or XLSX file.
    """
    limits = limits or FileLimits()
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise FileRefusedError(f"unsupported file type {suffix!r} (use .csv or .xlsx)")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileRefusedError(f"is {size:,} bytes, over the limit of {limits.max_bytes:,} bytes")
    if suffix == ".csv":
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            nrows=limits.max_rows + 1,
        )
    else:
        frame = _read_xlsx(path, limits)
    if len(frame) > limits.max_rows:
        raise FileRefusedError(f"has more than {limits.max_rows:,} data rows")
    return frame.map(restore)  # undo the apostrophe `export` put before "=…", "-…", …


def _read_xlsx(path: Path, limits: FileLimits) -> pd.DataFrame:
    _check_unpacked_size(path, limits.max_unpacked_bytes)
    try:
        # data_only=False: a formula cell gives its text; data_only=True would give the value
        # the last program that saved the file computed, which the file's author controls.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (KeyError, InvalidFileException, zipfile.BadZipFile) as exc:
        raise FileRefusedError(f"is not an XLSX workbook: {exc}") from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_text(value) for value in next(rows, ())]
        body = _first_rows(rows, limits.max_rows + 1)
    finally:
        workbook.close()
    width = max([len(header), *map(len, body)])
    header += [""] * (width - len(header))
    body = [row + [""] * (width - len(row)) for row in body]
    while header and not header[-1] and not any(row[len(header) - 1] for row in body):
        header.pop()  # trailing columns without a name or a value, as Excel leaves them
    columns = [name or f"Unnamed: {i}" for i, name in enumerate(header)]
    return pd.DataFrame([row[: len(columns)] for row in body], columns=columns, dtype=str)


def _check_unpacked_size(path: Path, limit: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FileRefusedError(f"is not an XLSX workbook: {exc}") from exc
    if unpacked > limit:
        raise FileRefusedError(
            f"unpacks to {unpacked // MB:,} MB, over the limit of {limit // MB:,} MB"
        )


def _first_rows(rows: Iterable[tuple], most: int) -> list[list[str]]:
    """Up to ``most`` rows as text, without the blank rows that end a sheet."""
    body: list[list[str]] = []
    for values in rows:
        body.append([_text(value) for value in values])
        if len(body) >= most:
            break
    while body and not any(body[-1]):
        body.pop()
    return body


def _text(value: object) -> str:
    """A cell's value as the text a CSV of the same sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(getattr(value, "text", value))  # array formulas carry their text in .text
