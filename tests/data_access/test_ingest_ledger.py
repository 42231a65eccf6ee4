"""The ledger on both engines: idempotent commits, counts, SHA-256, and exact undo."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, update

from data_access.ingest import ingest
from data_access.ingest.ledger import UndoRefusedError, summaries, undo
from data_access.models import AuditLog, IngestionBatch
from data_access.models.base import Base
from tests.data_access.test_ingest import _write

#: Tables that record loads and undos rather than hold data.
RECORDS = {"ingestion_batch", "audit_log"}


def checksum(engine: Engine) -> str:
    """A digest of every row of every table but the ledger and the audit log."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in RECORDS:
                continue
            query = select(table).order_by(*table.primary_key.columns)
            for row in connection.execute(query):
                digest.update(repr((table.name, *row)).encode())
    return digest.hexdigest()


ROWS = [[2024, "79-TH-001", 1, 40, 19, 1], [2024, "79-TH-001", 2, 38, 18, 1]]


def test_same_file_twice_changes_nothing_and_counts_are_kept(warehouse, tmp_path) -> None:
    path = _write(tmp_path, ROWS)
    first = ingest(warehouse, "enrolment", path, username="phong.khtc")
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    after_first = checksum(warehouse)
    again = ingest(warehouse, "enrolment", path, username="phong.khtc")
    assert (again.inserted, again.updated, again.unchanged, again.removed) == (0, 0, 2, 0)
    assert checksum(warehouse) == after_first
    changed = _write(tmp_path, [[2024, "79-TH-001", 1, 41, 19, 1]], "changed.csv")
    third = ingest(warehouse, "enrolment", changed, username="phong.khtc")
    assert (third.inserted, third.updated, third.unchanged, third.removed) == (0, 1, 0, 1)
    ledger = summaries(warehouse)
    assert [s.filename for s in ledger] == ["changed.csv", "f.csv", "f.csv"]
    assert ledger[1].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert ledger[0].username == "phong.khtc" and ledger[0].finished_at is not None


def test_load_then_undo_restores_every_table(warehouse, tmp_path) -> None:
    ingest(warehouse, "enrolment", _write(tmp_path, ROWS, "base.csv"), username="a")
    before = checksum(warehouse)
    new = [[2024, "79-TH-001", 1, 45, 20, 2], [2025, "79-TH-001", 1, 50, 20, 2]]
    report = ingest(warehouse, "enrolment", _write(tmp_path, new, "new.csv"), username="b")
    assert checksum(warehouse) != before
    undo_id = undo(warehouse, report.batch_id, username="b", is_admin=False)
    assert checksum(warehouse) == before
    with warehouse.connect() as connection:
        statuses = dict(connection.execute(select(IngestionBatch.id, IngestionBatch.status)).all())
        audit = connection.execute(
            select(AuditLog.action, AuditLog.username).where(AuditLog.action == "ingest_undo")
        ).all()
    assert statuses[report.batch_id] == "undone" and statuses[undo_id] == "undo"
    assert [tuple(a) for a in audit] == [("ingest_undo", "b")]
    with pytest.raises(UndoRefusedError, match="not a committed file batch"):
        undo(warehouse, report.batch_id, username="admin", is_admin=True)


def test_who_may_undo(warehouse, tmp_path) -> None:
    first = ingest(warehouse, "enrolment", _write(tmp_path, ROWS, "a.csv"), username="a")
    with pytest.raises(UndoRefusedError, match="someone else"):
        undo(warehouse, first.batch_id, username="b", is_admin=False)
    second = ingest(warehouse, "enrolment", _write(tmp_path, ROWS[:1], "b.csv"), username="a")
    with pytest.raises(UndoRefusedError, match=f"batch {second.batch_id} .* came later"):
        undo(warehouse, first.batch_id, username="a", is_admin=False)
    with warehouse.begin() as connection:
        old = connection.execute(
            select(IngestionBatch.finished_at).where(IngestionBatch.id == second.batch_id)
        ).scalar_one()
        connection.execute(
            update(IngestionBatch)
            .where(IngestionBatch.id == second.batch_id)
            .values(finished_at=old - timedelta(hours=25))
        )
    with pytest.raises(UndoRefusedError, match="older than 24 hours"):
        undo(warehouse, second.batch_id, username="a", is_admin=False)
    undo(warehouse, second.batch_id, username="quantri", is_admin=True)
    undo(warehouse, first.batch_id, username="quantri", is_admin=True)


def test_the_command_lists_datasets_shows_the_ledger_and_undoes(
    warehouse, tmp_path, monkeypatch, capsys
) -> None:
    from ioc_app.cli import main

    monkeypatch.setenv("DATABASE_URL", warehouse.url.render_as_string(hide_password=False))
    assert main(["ingest", "--list"]) == 0
    listed = capsys.readouterr().out
    assert "columns: school_year, institution_code, grade, pupils, girls, classes" in listed
    before = checksum(warehouse)
    assert main(["ingest", "enrolment", str(_write(tmp_path, ROWS))]) == 0
    assert "2 inserted, 0 updated, 0 unchanged, 0 removed" in capsys.readouterr().out
    assert main(["ingest", "--batches"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert "\tenrolment\tdone\tf.csv\t" in line and "+2 ~0 =0 -0" in line
    batch = int(line.split("\t")[0])
    assert main(["ingest", "--undo", str(batch)]) == 0
    assert checksum(warehouse) == before
