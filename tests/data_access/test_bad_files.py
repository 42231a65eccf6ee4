"""The corpus of bad files, on both engines: each is refused whole, names the right row and
column (or, for a file that cannot be read at all, neither), and leaves every table as it was.

One table of cases, read top to bottom: the dataset, how the file is made (at test time, in
``tmp_path``: nothing large is committed), then the row, the column and what the message says.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from data_access.ingest import IngestError, ingest, template
from data_access.ingest.encodings import encode_cp1258, encode_tcvn3, encode_vni
from data_access.models import IngestionBatch
from tests.data_access.test_ingest import _zip_bomb
from tests.data_access.test_ingest_ledger import checksum

MB = 2**20
ENROLMENT = [2025, "79-TH-001", 1, 40, 19, 1]
EXAM = [2025, "79-TH-001", "grade10", 120, "6,5", "0,9"]
#: A new centre in the 2025 ward Tân Định of ``mapped_warehouse``, as an office writes it.
CENTRE = {
    "code": "79-NN-900",
    "name": "Trường Tiểu học Lê Văn Tám",
    "kind": "school",
    "level": "primary",
    "ownership": "public",
    "address": "số 5 đường Nguyễn Thị Minh Khai, phường Tân Định",
    "ward_code": "26734",
    "as_of": "15/08/2025",
    "latitude": "10,7912",
    "longitude": "106,6905",
    "licence_no": "",
    "licence_issued": "",
    "licence_valid_until": "",
    "licence_status": "",
}


def header(dataset: str) -> list[str]:
    return template(dataset).strip().split(",")


def csv_text(dataset: str, rows: list[list[object]], columns: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns or header(dataset))
    writer.writerows(rows)
    return out.getvalue()


def centres(*changes: dict[str, str]) -> list[list[object]]:
    """Rows of the registry: the centre, changed as given (codes numbered from 900)."""
    rows = []
    for number, change in enumerate(changes):
        row = {**CENTRE, "code": f"79-NN-{900 + number}", **change}
        rows.append([row[c] for c in header("institutions")])
    return rows


def written(name: str, data: bytes | str, encode: Callable[[str], bytes] | None = None):
    """A maker of a file ``name`` holding ``data`` (text encoded by ``encode``, else UTF-8)."""

    def make(folder: Path) -> Path:
        path = folder / name
        if isinstance(data, str):
            path.write_bytes(encode(data) if encode else data.encode("utf-8"))
        else:
            path.write_bytes(data)
        return path

    return make


def table(dataset: str, rows: list[list[object]], **options: object):
    """A CSV maker of ``dataset`` rows (``columns=`` replaces the header)."""
    return written(f"{dataset}.csv", csv_text(dataset, rows, options.get("columns")))  # type: ignore[arg-type]


def encoded(encode: Callable[[str], bytes]):
    """The registry in a legacy encoding: row 3's level is not a level (a Vietnamese word)."""
    rows = centres({}, {"level": "tiểu học"})
    return written("legacy.csv", csv_text("institutions", rows), encode)


def workbook(rows: list[list[object]], *, titles: bool = False, name: str = "book.xlsx"):
    """An enrolment XLSX; with ``titles``, a title row and merged group headers above the
    header (as Excel reports are laid out), so the header is on row 3."""

    def make(folder: Path) -> Path:
        book = openpyxl.Workbook()
        sheet = book.active
        if titles:
            sheet.append(["BÁO CÁO SĨ SỐ HỌC SINH NĂM HỌC 2025-2026"])
            sheet.merge_cells("A1:F1")
            sheet.append(["Đơn vị", None, "Số liệu", None, None, None])
            sheet.merge_cells("A2:B2")
            sheet.merge_cells("C2:F2")
        sheet.append(header("enrolment"))
        for row in rows:
            sheet.append(row)
        path = folder / name
        book.save(path)
        return path

    return make


def zip_bomb(folder: Path) -> Path:
    """A workbook of a few hundred KB whose sheet says it unpacks to 300 MB."""
    return _zip_bomb(folder, 300)


def hundred_megabytes(folder: Path) -> Path:
    """A well-formed enrolment CSV of 100 MB (one valid row repeated)."""
    path = folder / "huge.csv"
    line = b"2025,79-TH-001,1,40,19,1\n"
    with path.open("wb") as stream:
        stream.write(csv_text("enrolment", []).encode())
        block = line * (MB // len(line))
        while stream.tell() < 100 * MB:
            stream.write(block)
    return path


@dataclass(frozen=True)
class Case:
    name: str
    dataset: str
    make: Callable[[Path], Path]
    row: int | None
    column: str | None
    says: str
    #: The cell's text as the report shows it, when the case is about reading it right.
    value: str | None = None


# One case per entry, laid out as a table.
# fmt: off
CASES = [
    # values
    Case("negative", "enrolment", table("enrolment", [[2025, "79-TH-001", 1, -3, 0, 1]]),
         2, "pupils", "must be ≥ 0"),
    Case("girls-above-pupils", "enrolment",
         table("enrolment", [ENROLMENT, [2025, "79-TH-001", 2, 10, 12, 1]]),
         3, "girls", "is larger than 'pupils'"),
    Case("unknown-institution", "enrolment", table("enrolment", [[2025, "NOPE", 1, 4, 1, 1]]),
         2, "institution_code", "unknown institution code 'NOPE'"),
    Case("duplicate-key", "enrolment", table("enrolment", [ENROLMENT, ENROLMENT]),
         3, None, "duplicates an earlier row"),
    Case("year-before-2000", "enrolment", table("enrolment", [[1999, "79-TH-001", 1, 4, 1, 1]]),
         2, "school_year", "must be ≥ 2000"),
    Case("infinite", "enrolment", table("enrolment", [[2025, "79-TH-001", 1, "inf", 1, 1]]),
         2, "pupils", "is not a finite number"),
    Case("1e308", "enrolment", table("enrolment", [[2025, "79-TH-001", 1, "1e308", 1, 1]]),
         2, "pupils", "must be ≤ 5000"),
    Case("fraction-of-a-pupil", "enrolment",
         table("enrolment", [[2025, "79-TH-001", 1, "40,5", 1, 1]]),
         2, "pupils", "must be a whole number"),
    Case("vietnamese-thousands-and-decimals", "enrolment",
         table("enrolment", [[2025, "79-TH-001", 1, "1.234,5", 1, 1]]),
         2, "pupils", "must be a whole number: 1.234,5"),
    Case("ambiguous-thousands", "exams",
         table("exams", [[2025, "79-TH-001", "grade10", 120, "7.500", "0,9"]]),
         2, "mean_score", "could be 7500 or 7.500"),
    Case("not-a-choice", "exams", table("exams", [EXAM, [2025, "79-TH-001", "grade11", 1, 1, 1]]),
         3, "exam", "must be one of grade10, graduation"),
    Case("formula-in-a-number", "enrolment",
         table("enrolment", [[2025, "79-TH-001", 1, "=1+1", 1, 1]]),
         2, "pupils", "is not a number: '=1+1'"),
    Case("formula-in-a-workbook", "enrolment",
         workbook([ENROLMENT, [2025, "79-TH-001", 2, "=SUM(D2:D2)", 1, 1]]),
         3, "pupils", "is not a number: '=SUM(D2:D2)'"),
    # the shape of the file
    Case("missing-column", "enrolment",
         table("enrolment", [ENROLMENT[:5]], columns=header("enrolment")[:5]),
         1, "classes", "column is missing"),
    Case("unknown-column", "enrolment",
         table("enrolment", [[*ENROLMENT, "x"]], columns=[*header("enrolment"), "ghi_chu"]),
         1, "ghi_chu", "unknown column"),
    Case("empty-file", "enrolment", written("empty.csv", b''), None, None, "cannot be read"),
    Case("header-only", "enrolment", table("enrolment", []),
         2, None, "no data rows under its header"),
    Case("merged-header-rows", "enrolment",
         workbook([ENROLMENT, [2025, "79-TH-001", 2, -1, 0, 1]], titles=True),
         5, "pupils", "must be ≥ 0"),
    Case("not-a-workbook", "enrolment", written("fake.xlsx", csv_text("enrolment", [ENROLMENT])),
         None, None, "is not an XLSX workbook"),
    Case("not-a-table", "enrolment", written("data.json", "{}"),
         None, None, "unsupported file type '.json'"),
    Case("zip-bomb", "enrolment", zip_bomb,
         None, None, "unpacks to 300 MB, over the limit of 200 MB"),
    Case("100-MB", "enrolment", hundred_megabytes,
         None, None, "over the limit of 20,971,520 bytes"),
    # encodings: converted (and the bad cell then read right), or refused naming what was found
    Case("tcvn3", "institutions", encoded(encode_tcvn3), 3, "level", "must be one of", "tiểu học"),
    Case("vni", "institutions", encoded(encode_vni), 3, "level", "must be one of", "tiểu học"),
    Case("windows-1258", "institutions", encoded(encode_cp1258),
         3, "level", "must be one of", "tiểu học"),
    Case("utf-16", "institutions", encoded(lambda text: text.encode("utf-16")),
         3, "level", "must be one of", "tiểu học"),
    Case("undecidable-encoding", "enrolment",
         written("sjis.csv", b'school_year,institution_code\n' + "日本語".encode("shift_jis")),
         None, None, "is not UTF-8 (line 2: bytes"),
    # the registry
    Case("ward-not-yet-existing", "institutions",
         table("institutions", centres({"ward_code": "26740", "as_of": "01/05/2024"})),
         2, "ward_code", "'26740' is not one of the wards before 1 July 2025 on 2024-05-01"),
    Case("ward-no-longer-existing", "institutions",
         table("institutions", centres({}, {"ward_code": "26737", "as_of": "2025-09-01"})),
         3, "ward_code", "'26737' is not one of the 2025 wards on 2025-09-01"),
    Case("outside-the-ward", "institutions",
         table("institutions", centres({"longitude": "106,7305"})),
         2, "latitude", "is outside the boundary of ward 26734 (Phường Tân Định)"),
    Case("outside-the-old-ward", "institutions",
         table("institutions", centres({"as_of": "30/06/2025", "longitude": "106,7105"})),
         2, "latitude", "is outside the boundary of ward 26734 (Phường Tân Định)"),
    Case("duplicate-code", "institutions",
         table("institutions", centres({}, {"code": "79-NN-900"})),
         3, "code", "duplicates row 2"),
    Case("code-too-long", "institutions", table("institutions", centres({"code": "X" * 25})),
         2, "code", "must be at most 24 characters"),
    Case("name-missing", "institutions", table("institutions", centres({"name": ""})),
         2, "name", "is required"),
    Case("name-too-long", "institutions", table("institutions", centres({"name": "T" * 201})),
         2, "name", "is 201 characters long; at most 200"),
    Case("unknown-kind", "institutions", table("institutions", centres({}, {"kind": "truong"})),
         3, "kind", "must be one of school"),
    Case("latitude-in-words", "institutions", table("institutions", centres({"latitude": "mười"})),
         2, "latitude", "is not a number: 'mười'"),
    Case("no-such-day", "institutions", table("institutions", centres({"as_of": "31/02/2025"})),
         2, "as_of", "is not a real day: '31/02/2025'"),
    Case("american-date", "institutions", table("institutions", centres({"as_of": "08/15/2025"})),
         2, "as_of", "looks like month/day/year"),
]
# fmt: on


def test_the_corpus_holds_at_least_thirty_files() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


def _batches(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(IngestionBatch.status)).scalars())


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_bad_file_is_refused_naming_row_and_column(mapped_warehouse, tmp_path, case) -> None:
    before, batches = checksum(mapped_warehouse), _batches(mapped_warehouse)
    path = case.make(tmp_path)
    with pytest.raises(IngestError) as error:
        ingest(mapped_warehouse, case.dataset, path)
    found = [
        p
        for p in error.value.problems
        if (p.row, p.column) == (case.row, case.column) and case.says in p.message
    ]
    assert found, "\n".join(p.describe(path) for p in error.value.problems)
    if case.value is not None:
        assert (found[0].value or "").lower() == case.value
    where = path.name + (f", row {case.row}" if case.row else "")
    where += f", column '{case.column}'" if case.column else ""
    assert where in str(error.value)
    # every data table as it was; the refusal itself is kept as a rejected batch
    assert checksum(mapped_warehouse) == before
    assert _batches(mapped_warehouse) == [*batches, "rejected"]
