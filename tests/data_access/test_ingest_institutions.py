"""The institutions dataset (the EDUGIS registry) on both engines: a new centre, an update,
wards valid on the row's date, points inside the ward, formulas as text, exact undo."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import shapely
from sqlalchemy import Engine, select

from data_access.ingest import IngestError, export, ingest, template
from data_access.ingest.ledger import UndoRefusedError, undo
from data_access.models import FactEnrolment, Institution
from tests.data_access.test_ingest import _write as write_rows
from tests.data_access.test_ingest_ledger import checksum

HEADER = template("institutions").strip().split(",")
FORMULA_NAME = '=HYPERLINK("http://x","Trung tâm")'
#: A new language centre in the 2025 ward Tân Định, written as a Vietnamese office would.
CENTRE = {
    "code": "79-NN-900",
    "name": "Trung tâm Ngoại ngữ Ánh Dương",
    "kind": "language_it_centre",
    "level": "",
    "ownership": "private",
    "address": "12 Trần Quang Khải",
    "ward_code": "26734",
    "as_of": "15/08/2025",
    "latitude": "10,7912",
    "longitude": "106,7105",
    "licence_no": "1234/QĐ-SGDĐT",
    "licence_issued": "01/08/2025",
    "licence_valid_until": "",
    "licence_status": "active",
}


def _write(tmp_path: Path, rows: list[dict[str, str]], name: str = "registry.csv") -> Path:
    return write_rows(tmp_path, [[r[c] for c in HEADER] for r in rows], name, "institutions")


def _stored(engine: Engine, code: str) -> dict | None:
    with engine.connect() as connection:
        row = connection.execute(select(Institution.__table__).where(Institution.code == code))
        found = row.mappings().first()
    return dict(found) if found else None


def test_the_template_names_the_registry_columns() -> None:
    assert HEADER[:3] == ["code", "name", "kind"]
    assert {"ward_code", "as_of", "latitude", "longitude", "licence_no"} <= set(HEADER)


def test_a_new_centre_is_added_with_both_wards_and_undo_deletes_it(
    mapped_warehouse, tmp_path
) -> None:
    before = checksum(mapped_warehouse)
    report = ingest(mapped_warehouse, "institutions", _write(tmp_path, [CENTRE]))
    assert (report.inserted, report.updated, report.unchanged) == (1, 0, 0)
    row = _stored(mapped_warehouse, "79-NN-900")
    assert row is not None
    assert (row["ward_id"], row["old_ward_id"]) == ("W26734", None)  # east of old Tân Định
    assert (row["lat"], row["lon"]) == (10.7912, 106.7105)
    assert shapely.equals(row["geom"], shapely.Point(106.7105, 10.7912))
    assert row["generated"] is False and row["level"] is None
    assert str(row["licence_issued"]) == "2025-08-01"
    undo(mapped_warehouse, report.batch_id, username="cli", is_admin=True)
    assert _stored(mapped_warehouse, "79-NN-900") is None
    assert checksum(mapped_warehouse) == before


def test_a_row_dated_before_the_merger_names_the_old_ward(mapped_warehouse, tmp_path) -> None:
    old = {**CENTRE, "ward_code": "26734", "as_of": "2024-05-01", "longitude": "106,6905"}
    ingest(mapped_warehouse, "institutions", _write(tmp_path, [old]))
    row = _stored(mapped_warehouse, "79-NN-900")
    assert (row["ward_id"], row["old_ward_id"]) == ("W26734", "OW26734")
    # an old ward known without a boundary is checked against the 2025 ward it went into
    no_shape = {**CENTRE, "code": "79-NN-901", "ward_code": "26737", "as_of": "2024-05-01"}
    ingest(mapped_warehouse, "institutions", _write(tmp_path, [no_shape], "b.csv"))
    assert _stored(mapped_warehouse, "79-NN-901")["old_ward_id"] == "OW26737"


def test_an_update_keeps_what_the_file_does_not_carry_and_undo_restores_it(
    mapped_warehouse, tmp_path
) -> None:
    before = checksum(mapped_warehouse)
    stored = _stored(mapped_warehouse, "79-TH-001")
    moved = {
        **CENTRE,
        "code": "79-TH-001",
        "name": "Trường Tiểu học A (cơ sở 2)",
        "kind": "school",
        "level": "primary",
        "ownership": "public",
        "ward_code": "26740",
        "latitude": "10.7900",
        "longitude": "106.7300",
        "licence_no": "",
        "licence_issued": "",
        "licence_status": "",
    }
    report = ingest(mapped_warehouse, "institutions", _write(tmp_path, [moved]))
    assert (report.inserted, report.updated) == (0, 1)
    row = _stored(mapped_warehouse, "79-TH-001")
    assert row["name"] == "Trường Tiểu học A (cơ sở 2)" and row["ward_id"] == "W26740"
    # the old ward, the label and the source are not in the file: left as they were
    for kept in ("old_ward_id", "generated", "source", "grade_from", "opened_year"):
        assert row[kept] == stored[kept], kept
    undo(mapped_warehouse, report.batch_id, username="cli", is_admin=True)
    assert checksum(mapped_warehouse) == before


def test_a_formula_name_is_stored_as_text_and_exported_neutralised(
    mapped_warehouse, tmp_path
) -> None:
    ingest(mapped_warehouse, "institutions", _write(tmp_path, [{**CENTRE, "name": FORMULA_NAME}]))
    assert _stored(mapped_warehouse, "79-NN-900")["name"] == FORMULA_NAME
    out = tmp_path / "out.csv"
    export(mapped_warehouse, "institutions", out)
    names = pd.read_csv(out, dtype=str, keep_default_na=False)["name"].tolist()
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names
    again = ingest(mapped_warehouse, "institutions", out)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(names))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_round_trips(mapped_warehouse, tmp_path, suffix) -> None:
    ingest(mapped_warehouse, "institutions", _write(tmp_path, [CENTRE]))
    before = checksum(mapped_warehouse)
    out = tmp_path / f"out.{suffix}"
    rows = export(mapped_warehouse, "institutions", out)
    report = ingest(mapped_warehouse, "institutions", out)
    assert (report.inserted, report.updated, report.removed, report.unchanged) == (0, 0, 0, rows)
    assert checksum(mapped_warehouse) == before


def test_undo_is_refused_when_facts_now_refer_to_the_new_centre(mapped_warehouse, tmp_path) -> None:
    report = ingest(mapped_warehouse, "institutions", _write(tmp_path, [CENTRE]))
    facts = tmp_path / "facts.csv"
    pd.DataFrame(
        [[2025, "79-NN-900", 500, 12, 0, 40, 0, 0]],
        columns=template("nonpublic").strip().split(","),
    ).to_csv(facts, index=False)
    ingest(mapped_warehouse, "nonpublic", facts)
    with pytest.raises(UndoRefusedError, match="rows stored since refer to rows it added"):
        undo(mapped_warehouse, report.batch_id, username="cli", is_admin=True)
    assert _stored(mapped_warehouse, "79-NN-900") is not None
    with mapped_warehouse.connect() as connection:
        assert connection.execute(select(FactEnrolment.id)).first() is None


def test_a_bad_registry_file_names_row_and_column(mapped_warehouse, tmp_path) -> None:
    before = checksum(mapped_warehouse)
    rows = [
        CENTRE,
        {**CENTRE, "code": "79-NN-901", "ward_code": "26740", "longitude": "106,6905"},
        {**CENTRE, "code": "79-NN-902", "ward_code": "26737", "as_of": "2025-09-01"},
    ]
    with pytest.raises(IngestError) as error:
        ingest(mapped_warehouse, "institutions", _write(tmp_path, rows))
    message = str(error.value)
    assert "row 3, column 'latitude': the point (10.7912, 106.6905)" in message
    assert "outside the boundary of ward 26740 (Phường Sài Gòn)" in message
    assert "row 4, column 'ward_code': ward code '26737' is not one of the 2025 wards" in message
    assert checksum(mapped_warehouse) == before


def test_number_cells_of_a_workbook_are_numbers_even_with_three_decimals(
    mapped_warehouse, tmp_path
) -> None:
    path = tmp_path / "numbers.xlsx"
    row = [CENTRE[c] for c in HEADER]
    row[HEADER.index("latitude")], row[HEADER.index("longitude")] = 10.791, 106.705
    pd.DataFrame([row], columns=HEADER).to_excel(path, index=False)
    ingest(mapped_warehouse, "institutions", path)
    stored = _stored(mapped_warehouse, "79-NN-900")
    assert (stored["lat"], stored["lon"]) == (10.791, 106.705)
