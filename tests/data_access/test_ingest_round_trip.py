"""Every dataset of the catalogue round-trips: export → ingest the exported file → the ledger
shows nothing inserted, updated or removed, and every table is as it was.

It runs on a copy of the seeded city warehouse cut down to the institutions of one 2025 ward
(with every row that refers to them), so a dataset added to the catalogue is covered as soon
as the seed fills it; an empty export fails the test.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.db import make_engine
from data_access.ingest import DATASETS, export, ingest
from data_access.ingest.ledger import summaries
from data_access.report_rules import SCHOOL_PREFIX, Acting
from tests.data_access.test_ingest_ledger import checksum


def _cut_down(path: Path) -> None:
    """Keep the institutions of the 2025 ward with the most of them, and whatever refers to
    them; every row left without its parent is deleted until the foreign keys hold."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys=OFF")
        ward = db.execute(
            "SELECT ward_id FROM institution GROUP BY ward_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        db.execute("DELETE FROM institution WHERE ward_id != ?", (ward,))
        while orphans := db.execute("PRAGMA foreign_key_check").fetchall():
            by_table = defaultdict(set)
            for table, rowid, *_ in orphans:
                by_table[table].add(rowid)
            for table, rowids in by_table.items():
                db.executemany(f'DELETE FROM "{table}" WHERE rowid = ?', [(r,) for r in rowids])
        db.commit()
    with sqlite3.connect(path) as db:
        db.execute("VACUUM")


@pytest.fixture(scope="module")
def small_city(city_seed_run, tmp_path_factory) -> Path:
    """The seeded city warehouse, cut down to one ward (built once for the module)."""
    path = tmp_path_factory.mktemp("round_trip") / "small_city.sqlite"
    source = sqlite3.connect(city_seed_run[0].url.database)
    target = sqlite3.connect(path)
    with target:
        source.backup(target)  # the seeded file is in WAL mode: copy it through SQLite
    source.close()
    target.close()
    _cut_down(path)
    return path


@pytest.fixture
def engine(small_city: Path, tmp_path: Path) -> Engine:
    """A fresh copy of the cut-down warehouse for one test."""
    path = tmp_path / "warehouse.sqlite"
    path.write_bytes(small_city.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _latest_year(engine: Engine, name: str, tmp_path: Path) -> int | None:
    """The latest school year of a yearly dataset (None for the registry): before the 2025
    merger a fact row is filed under its old ward, which some generated institutions lack."""
    path = tmp_path / f"all-{name}.csv"
    export(engine, name, path)
    years = pd.read_csv(path, usecols=lambda c: c == "school_year")
    return int(years["school_year"].max()) if "school_year" in years else None


def _units_only(path: Path) -> tuple[int, Acting]:
    """Keep the units' reports of an exported plan_reports file, and a department holding
    every one of those units: each school writes its own report, so no single caller may
    load the schools' rows back (the school's own round trip is in test_ingest_plan_reports).
    """
    csv = path.suffix == ".csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False) if csv else pd.read_excel(path)
    frame = frame[~frame["reporter"].str.startswith(SCHOOL_PREFIX)]
    if csv:
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False)
    units = tuple(sorted(set(frame["reporter"])))
    return len(frame), Acting("round-trip", "department", units)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(DATASETS))
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_ingest_changes_nothing(engine: Engine, tmp_path: Path, name, suffix) -> None:
    before = checksum(engine)
    path = tmp_path / f"{name}.{suffix}"
    rows = export(engine, name, path, school_year=_latest_year(engine, name, tmp_path))
    assert rows > 0, f"the seeded warehouse holds no {name} rows to round-trip"
    caller = None
    if DATASETS[name].acts_for_caller:
        rows, caller = _units_only(path)
    report = ingest(engine, name, path, username="round-trip", caller=caller)
    assert (report.inserted, report.updated, report.removed) == (0, 0, 0)
    assert report.unchanged == rows
    ledger = summaries(engine, datasets=[name])[0]
    assert (ledger.inserted, ledger.updated, ledger.removed, ledger.unchanged) == (0, 0, 0, rows)
    assert checksum(engine) == before


def test_ingest_list_names_every_dataset_with_one_line_and_its_columns(capsys) -> None:
    from ioc_app.cli import main

    assert main(["ingest", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    named = {line.split(":")[0]: line for line in lines if not line.startswith(" ")}
    assert set(named) == set(DATASETS)
    for name, dataset in DATASETS.items():
        title = named[name].split(": ", 1)[1]
        assert title and title == dataset.title and "\n" not in title, name
        assert f"    columns: {', '.join(dataset.header)}" in lines, name
