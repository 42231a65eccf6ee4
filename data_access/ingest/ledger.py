"""The ingestion ledger: what a committed batch changed, and undoing it exactly.

A committed batch compares the file's rows with the stored ones by key: a row that is new is
*inserted*, one whose values differ is *updated*, one that is equal is *unchanged* (and not
touched, so loading the same file twice changes nothing). Rows a fact file replaces but no
longer contains are *removed*. The old values of every updated or removed row, and the keys of
every inserted one, are kept with the batch, so that :func:`undo` restores exactly the rows the
batch replaced. A dataset whose writer changes more than the one table its ledger records
(``dx_assessments``: the assessments and their scores) declares ``undo_refusal``, and
:func:`may_undo` refuses its batches with that message.

The ledger lives in the ``ingestion_batch`` row itself, without a migration: ``errors`` holds
a JSON object for committed file batches (``{"ledger": 1, "sha256": …, "inserted": …}``),
while rejected batches keep their list of problems there and generated ones a sentence.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import shapely
from sqlalchemy import Connection, Engine, Table, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from data_access.ingest.datasets import DATASETS
from data_access.models import AuditLog, IngestionBatch
from data_access.models.base import Base
from data_access.queries.registry import connect

#: How long the user who loaded a batch may undo it themselves (an admin may at any time).
OWN_UNDO_WINDOW = timedelta(hours=24)
COMMITTED = "done"
UNDONE = "undone"
UNDO = "undo"


class UndoRefusedError(ValueError):
    """A batch that may not (or can no longer) be undone; the message says why."""


@dataclass
class Changes:
    """What applying a file's rows to one table did."""

    inserted: list[dict[str, Any]] = field(default_factory=list)  # keys of new rows
    replaced: list[dict[str, Any]] = field(default_factory=list)  # old values, whole rows
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def counts(self) -> dict[str, int]:
        """Rows inserted, updated, unchanged and removed."""
        return {
            "inserted": len(self.inserted),
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }


def now() -> datetime:
    """The current time, naive UTC as stored in the warehouse."""
    return datetime.now(UTC).replace(tzinfo=None)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        return old is not None and new is not None and float(old) == float(new)
    if isinstance(old, shapely.Geometry) or isinstance(new, shapely.Geometry):
        return old is not None and new is not None and shapely.equals_exact(old, new, 1e-9)
    return old == new


def apply_rows(
    connection: Connection,
    table: Table,
    key: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    existing: Iterable[Mapping[str, Any]],
    *,
    batch_id: int | None,
    remove_missing: bool,
    written_not_compared: Sequence[str] = (),
) -> Changes:
    """Write ``rows`` into ``table``, comparing them by ``key`` with the ``existing`` ones.

    Parameters
    ----------
    connection
        In the caller's transaction.
    table
        The target table.
    key
        Columns that identify a row (besides the surrogate ``id``).
    rows
        The file's rows, one dict of column values each (no ``id``); a value equal to the stored
        one leaves the row unchanged (``batch_id`` is not compared).
    existing
        The stored rows the file may replace, whole (``id`` included).
    batch_id
        Written into ``batch_id`` of inserted and updated rows when the table has it.
    remove_missing
        Delete existing rows the file does not contain (fact files replace the rows of each
        school year and institution they contain).
    written_not_compared
        Columns written with a changed row but left out of the comparison: ``generated``
        (a generated row loaded back unchanged stays labelled generated; one whose values a
        file changes is not), ``evidence`` (not in the DX format: kept while the points stay).
    """
    changes = Changes()
    stored = {tuple(row[k] for k in key): dict(row) for row in existing}
    has_batch = "batch_id" in table.c
    fresh: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        values = dict(row)
        ident = tuple(values[k] for k in key)
        seen.add(ident)
        old = stored.get(ident)
        compared = (c for c in values if c not in written_not_compared)
        if old is not None and all(_same(old.get(c), values[c]) for c in compared):
            changes.unchanged += 1
            continue
        if has_batch:
            values["batch_id"] = batch_id
        if old is None:
            fresh.append(values)
            changes.inserted.append(dict(zip(key, ident, strict=True)))
            continue
        changes.replaced.append(old)
        changes.updated += 1
        connection.execute(update(table).where(table.c.id == old["id"]).values(values))
    if fresh:
        connection.execute(insert(table), fresh)
    if remove_missing:
        gone = [old for ident, old in stored.items() if ident not in seen]
        for start in range(0, len(gone), 500):
            ids = [old["id"] for old in gone[start : start + 500]]
            connection.execute(delete(table).where(table.c.id.in_(ids)))
        changes.replaced += gone
        changes.removed = len(gone)
    return changes


# JSON cannot hold dates or geometries: they are written tagged and read back as they were.
def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, shapely.Geometry):
        return {"wkb": shapely.to_wkb(value, hex=True)}
    if isinstance(value, bytes | memoryview):
        return {"bytes": bytes(value).hex()}
    return value


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    if "date" in value:
        return date.fromisoformat(value["date"])
    if "wkb" in value:
        return shapely.from_wkb(value["wkb"])
    return bytes.fromhex(value["bytes"])


def ledger_json(
    *, sha256: str, table: str, key: Sequence[str], changes: Changes, extra: Mapping[str, Any]
) -> str:
    """The JSON kept in a committed batch's ``errors`` column (see the module docstring)."""
    record = {
        "ledger": 1,
        "sha256": sha256,
        "table": table,
        "key": list(key),
        **changes.counts(),
        **extra,
        "inserted_keys": [{k: _encode(v) for k, v in row.items()} for row in changes.inserted],
        "replaced_rows": [{k: _encode(v) for k, v in row.items()} for row in changes.replaced],
    }
    return json.dumps(record, ensure_ascii=False)


def ledger_of(errors: str | None) -> dict[str, Any] | None:
    """The ledger of a committed file batch, or None for any other batch."""
    if not errors or not errors.startswith('{"ledger"'):
        return None
    return json.loads(errors)


@dataclass(frozen=True)
class BatchSummary:
    """One line of the ledger, as the intake page and the CLI show it."""

    id: int
    dataset: str
    filename: str | None
    sha256: str | None
    status: str
    username: str | None
    started_at: datetime
    finished_at: datetime | None
    inserted: int
    updated: int
    unchanged: int
    removed: int


def summaries(
    bind: Engine | Connection, *, datasets: Sequence[str] | None = None, limit: int = 50
) -> list[BatchSummary]:
    """The latest file batches (committed, undone, undo and rejected), newest first."""
    query = (
        select(IngestionBatch)
        .where(IngestionBatch.generated.is_(False))
        .order_by(IngestionBatch.id.desc())
        .limit(limit)
    )
    if datasets is not None:
        query = query.where(IngestionBatch.dataset.in_(list(datasets)))
    with connect(bind) as connection:
        rows = connection.execute(query).mappings().all()
    out = []
    for row in rows:
        book = ledger_of(row["errors"]) or {}
        out.append(
            BatchSummary(
                id=row["id"],
                dataset=row["dataset"],
                filename=row["filename"],
                sha256=book.get("sha256"),
                status=row["status"],
                username=row["username"],
                started_at=row["started_at"],
                finished_at=row["finished_at"],
                inserted=book.get("inserted", 0),
                updated=book.get("updated", 0),
                unchanged=book.get("unchanged", 0),
                removed=book.get("removed", 0),
            )
        )
    return out


def may_undo(
    batch: Mapping[str, Any], *, username: str, is_admin: bool, at: datetime | None = None
) -> str | None:
    """Why ``username`` may not undo ``batch`` (an ``ingestion_batch`` row), or None."""
    if batch["status"] != COMMITTED or ledger_of(batch["errors"]) is None:
        return f"batch {batch['id']} is not a committed file batch (status {batch['status']})"
    dataset = DATASETS.get(batch["dataset"])
    if dataset is not None and dataset.undo_refusal:
        return dataset.undo_refusal
    if is_admin:
        return None
    if batch["username"] != username:
        return f"batch {batch['id']} was loaded by someone else; only an admin may undo it"
    finished = batch["finished_at"] or batch["started_at"]
    if (at or now()) - finished > OWN_UNDO_WINDOW:
        return f"batch {batch['id']} is older than 24 hours; only an admin may undo it"
    return None


def undo(
    engine: Engine, batch_id: int, *, username: str, is_admin: bool, role: str = "admin"
) -> int:
    """Undo committed batch ``batch_id``: restore the rows it replaced, delete those it added.

    Parameters
    ----------
    engine
        The warehouse.
    batch_id
        A committed file batch (status ``done``).
    username, is_admin
        Who undoes it: an admin at any time, the user who loaded it within 24 hours.
    role
        The caller's role label for the audit log.

    Returns
    -------
    int
        The id of the ``undo`` batch that records the undoing (it changes the data version,
        so every cache keyed on it is refreshed).

    Raises
    ------
    UndoRefusedError
        When the caller may not undo it, or a later committed batch of the same dataset
        exists (undo that one first: its rows may rest on this one's).
    """
    table_of = {t.name: t for t in Base.metadata.sorted_tables}
    with engine.begin() as connection:
        batch = (
            connection.execute(
                select(IngestionBatch.__table__).where(IngestionBatch.id == batch_id)
            )
            .mappings()
            .first()
        )
        if batch is None:
            raise UndoRefusedError(f"no batch {batch_id}")
        reason = may_undo(batch, username=username, is_admin=is_admin)
        if reason:
            raise UndoRefusedError(reason)
        later = (
            connection.execute(
                select(IngestionBatch.id).where(
                    IngestionBatch.dataset == batch["dataset"],
                    IngestionBatch.id > batch_id,
                    IngestionBatch.status == COMMITTED,
                )
            )
            .scalars()
            .first()
        )
        if later is not None:
            raise UndoRefusedError(f"batch {later} of {batch['dataset']} came later; undo it first")
        book = ledger_of(batch["errors"])
        assert book is not None  # checked by may_undo
        try:  # the error rolls the whole transaction back: nothing is undone
            _restore(connection, table_of[book["table"]], book)
        except IntegrityError as exc:  # e.g. facts loaded since for an institution it added
            raise UndoRefusedError(
                f"batch {batch_id} cannot be undone: rows stored since refer to rows it "
                f"added to {book['table']} (remove those first): {exc.orig}"
            ) from exc
        at = now()
        connection.execute(
            update(IngestionBatch).where(IngestionBatch.id == batch_id).values(status=UNDONE)
        )
        undo_id = connection.execute(
            insert(IngestionBatch)
            .values(
                dataset=batch["dataset"],
                domain_id=batch["domain_id"],
                source_system="undo",
                filename=batch["filename"],
                started_at=at,
                finished_at=at,
                status=UNDO,
                rows_in=0,
                rows_loaded=len(book["replaced_rows"]) + len(book["inserted_keys"]),
                errors=json.dumps({"undoes": batch_id}),
                generated=False,
                username=username,
            )
            .returning(IngestionBatch.id)
        ).scalar_one()
        connection.execute(
            insert(AuditLog).values(
                at=at,
                username=username,
                role=role,
                action="ingest_undo",
                target=f"{batch['dataset']}:batch {batch_id}",
                detail=f"{len(book['inserted_keys'])} rows deleted, "
                f"{len(book['replaced_rows'])} restored (undo batch {undo_id})",
            )
        )
    return undo_id


def _restore(connection: Connection, table: Table, book: Mapping[str, Any]) -> None:
    """Delete the rows a batch inserted and put back the values of those it replaced."""
    for row in book["inserted_keys"]:
        where = [table.c[k] == _decode(v) for k, v in row.items()]
        connection.execute(delete(table).where(and_(*where)))
    for encoded in book["replaced_rows"]:
        row = {k: _decode(v) for k, v in encoded.items()}
        done = connection.execute(update(table).where(table.c.id == row["id"]).values(row))
        if done.rowcount == 0:
            connection.execute(insert(table).values(row))
