"""Reading a dataset file as text, within size limits, without running any formula.

Every limit is checked before the parser sees the file: the file's size first, then, for an
XLSX (a zip archive), the sizes its members declare they unpack to, so that a zip bomb is
refused before openpyxl reads a byte of it. Python's zipfile never inflates a member past its
declared ``file_size``, so a member that lies about its size cannot unpack to more.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from data_access.ingest.encodings import EncodingRefusedError, decode
from data_access.ingest.formats import written_number
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


@dataclass(frozen=True)
class Table:
    """A file read as text: its cells, and what was converted on the way (for the report)."""

    frame: pd.DataFrame
    notes: tuple[str, ...] = ()


def read_table(path: Path, limits: FileLimits | None = None) -> pd.DataFrame:
    """The cells of ``path`` as text columns (see :func:`read_file`)."""
    return read_file(path, limits).frame


def read_file(path: Path, limits: FileLimits | None = None, *, header: Sequence[str] = ()) -> Table:
    """Read a CSV or XLSX file as text columns.

    Parameters
    ----------
    path
        The file; its suffix (``.csv``, ``.xlsx``, ``.xlsm``) says how to read it. A CSV may be
        UTF-8 (with or without BOM), UTF-16, Windows-1258, TCVN3 or VNI
        (:mod:`data_access.ingest.encodings`).
    limits
        The size limits; ``FileLimits()`` when not given.
    header
        The columns expected: in an XLSX, title rows and merged group headers above the row
        that names them are skipped.

    Returns
    -------
    Table
        One ``str`` column per header cell; empty cells are ``""``. An XLSX formula comes back
        as its text (``"=SUM(A1:A3)"``), never as a computed value. The apostrophe with which
        ``export`` neutralises formula-like text is removed (see ``data_access.spreadsheet``).

    Raises
    ------
    FileRefusedError
        When the file is over a limit, is not a readable CSV or XLSX file, or its text is in
        an encoding that cannot be told safely.
    """
    limits = limits or FileLimits()
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise FileRefusedError(f"unsupported file type {suffix!r} (use .csv or .xlsx)")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileRefusedError(f"is {size:,} bytes, over the limit of {limits.max_bytes:,} bytes")
    notes: list[str] = []
    if suffix == ".csv":
        try:
            text, encoding = decode(path.read_bytes())
        except EncodingRefusedError as exc:
            raise FileRefusedError(str(exc)) from exc
        if encoding != "UTF-8":
            notes.append(f"read as {encoding}, converted to Unicode")
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            nrows=limits.max_rows + 1,
        )
    else:
        frame = _read_xlsx(path, limits, header, notes)
    if len(frame) > limits.max_rows:
        raise FileRefusedError(f"has more than {limits.max_rows:,} data rows")
    # undo the apostrophe `export` put before "=…", "-…", …
    return Table(frame.map(restore), tuple(notes))


#: How many rows above the header an XLSX may have (titles, merged group headers).
HEADER_SEARCH_ROWS = 10


def _read_xlsx(
    path: Path, limits: FileLimits, expected: Sequence[str], notes: list[str]
) -> pd.DataFrame:
    _check_unpacked_size(path, limits.max_unpacked_bytes)
    try:
        # data_only=False: a formula cell gives its text; data_only=True would give the value
        # the last program that saved the file computed, which the file's author controls.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (KeyError, InvalidFileException, zipfile.BadZipFile) as exc:
        raise FileRefusedError(f"is not an XLSX workbook: {exc}") from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        top = _first_rows(rows, HEADER_SEARCH_ROWS, trim=False)
        header, skipped = _header(top, expected)
        if skipped:
            notes.append(
                f"header found on row {skipped + 1}; {skipped} title or group row(s) above it "
                "skipped (merged header cells filled in)"
            )
        body = top[skipped + 1 :]
        body += _first_rows(rows, limits.max_rows + 1 - len(body))
        while body and not any(body[-1]):
            body.pop()
    finally:
        workbook.close()
    width = max([len(header), *map(len, body)])
    header += [""] * (width - len(header))
    body = [row + [""] * (width - len(row)) for row in body]
    while header and not header[-1] and not any(row[len(header) - 1] for row in body):
        header.pop()  # trailing columns without a name or a value, as Excel leaves them
    columns = [name or f"Unnamed: {i}" for i, name in enumerate(header)]
    # Problems name row ``index + 2``: start the index past the skipped rows, so that the
    # row named is the sheet's own.
    index = pd.RangeIndex(skipped, skipped + len(body))
    return pd.DataFrame(
        [row[: len(columns)] for row in body], columns=columns, index=index, dtype=str
    )


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


def _first_rows(rows: Iterable[tuple], most: int, *, trim: bool = True) -> list[list[str]]:
    """Up to ``most`` rows as text, without the blank rows that end a sheet."""
    body: list[list[str]] = []
    if most <= 0:
        return body
    for values in rows:
        body.append([_text(value) for value in values])
        if len(body) >= most:
            break
    while trim and body and not any(body[-1]):
        body.pop()
    return body


def _header(top: list[list[str]], expected: Sequence[str]) -> tuple[list[str], int]:
    """The header row among the first rows, and how many rows above it are skipped.

    The row naming most of the ``expected`` columns is the header, if it names more than the
    first row does; an empty cell in it takes the text of the nearest cell above (a header
    merged down over two rows keeps its text in the top cell only).
    """
    if not top:
        return [], 0
    wanted = set(expected)
    scores = [sum(cell.strip() in wanted for cell in row) for row in top]
    best = max(range(len(top)), key=lambda i: (scores[i], -i))
    if not wanted or scores[best] <= scores[0]:
        return top[0], 0
    header = list(top[best])
    for position, cell in enumerate(header):
        if cell:
            continue
        for above in reversed(top[:best]):
            if position < len(above) and above[position]:
                header[position] = above[position]
                break
    return header, best


def _text(value: object) -> str:
    """A cell's value as the text a CSV of the same sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value):
        # a number cell is a number: written so that it never reads as "1.234" thousands
        return written_number(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(getattr(value, "text", value))  # array formulas carry their text in .text
