"""Loading a dataset file: validate → one transaction → ingestion batch and audit entry.

A file replaces, for each (school year, institution) it contains, the rows already stored for
that pair; rows equal to the stored ones are left as they are (see ``ledger``). Any problem
rejects the whole file: nothing already stored changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, insert, select

from data_access.ingest.catalogue import DATASETS
from data_access.ingest.datasets import Dataset
from data_access.ingest.formats import written_number
from data_access.ingest.ledger import COMMITTED, apply_rows, ledger_json, now
from data_access.ingest.reading import FileLimits, FileRefusedError, read_file
from data_access.ingest.validate import Problem, check
from data_access.models import MERGER_DATE, AuditLog, IngestionBatch, Institution
from data_access.report_rules import Caller
from data_access.spreadsheet import neutralise_frame


class IngestError(ValueError):
    """A file that cannot be loaded; ``problems`` lists every place that is wrong."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [p.describe(path) for p in problems]
        super().__init__(
            f"{len(problems)} problem(s), nothing was loaded:\n  " + "\n  ".join(lines)
        )


@dataclass(frozen=True)
class IngestReport:
    """What a load did (or would do, for a dry run)."""

    dataset: str
    rows: int
    #: Stored rows whose values the load changed or removed.
    replaced: int
    batch_id: int | None
    dry_run: bool
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    sha256: str = ""


def dataset_named(name: str) -> Dataset:
    """The dataset called ``name``, or a ValueError listing the known ones."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(sorted(DATASETS))}")
    return DATASETS[name]


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Validation:
    """A file checked against its dataset: the rows ready to write, or every problem."""

    dataset: Dataset
    path: Path
    sha256: str
    rows_in: int
    frame: pd.DataFrame
    problems: list[Problem]
    #: What was converted on the way in (an encoding, a date or number format, a header).
    notes: tuple[str, ...] = ()
    #: Who the file was checked for (datasets that act for their caller).
    caller: Caller | None = None

    @property
    def clean(self) -> bool:
        return not self.problems


def validate(
    engine: Engine,
    name: str,
    path: Path,
    *,
    limits: FileLimits | None = None,
    caller: Caller | None = None,
) -> Validation:
    """Read and check ``path`` as dataset ``name`` without writing anything.

    Parameters
    ----------
    engine
        The warehouse (institution codes and wards are checked against it).
    name
        The dataset (a key of ``DATASETS``).
    path
        A CSV or XLSX file in the dataset's load format (see ``template``).
    limits
        Size limits checked before the file is parsed; ``FileLimits()`` when not given.
    caller
        Who loads the file, for a dataset whose rules depend on it (``plan_reports``); kept
        with the validation, so that its commit writes as the same caller.
    """
    dataset = dataset_named(name)
    sha256 = file_sha256(path) if path.exists() else ""
    try:
        table = read_file(path, limits, header=dataset.header)
    except FileRefusedError as exc:
        problem = Problem(None, None, str(exc))
        return Validation(dataset, path, sha256, 0, pd.DataFrame(), [problem])
    except (ValueError, OSError) as exc:  # a CSV pandas cannot parse, an unreadable file
        problem = Problem(None, None, f"cannot be read: {exc}")
        return Validation(dataset, path, sha256, 0, pd.DataFrame(), [problem])
    if table.frame.empty:
        first = table.frame.index.start + 2  # the row under the header
        problem = Problem(first, None, "the file has no data rows under its header")
        return Validation(dataset, path, sha256, 0, pd.DataFrame(), [problem], table.notes)
    frame, problems = _checked(engine, dataset, table.frame, caller)
    return Validation(dataset, path, sha256, len(table.frame), frame, problems, table.notes, caller)


def ingest(
    engine: Engine,
    name: str,
    path: Path,
    *,
    dry_run: bool = False,
    username: str = "cli",
    source_system: str = "file",
    limits: FileLimits | None = None,
    role: str = "ingest",
    filename: str | None = None,
    caller: Caller | None = None,
) -> IngestReport:
    """Load ``path`` into dataset ``name``.

    Parameters
    ----------
    engine
        The warehouse.
    name
        The dataset (a key of ``DATASETS``).
    path
        A CSV or XLSX file in the dataset's load format (see ``template``).
    dry_run
        Check only: write nothing, not even the rejected batch.
    username, source_system, role
        Who loads the file and where it came from, for the batch and the audit log.
    limits
        Size limits checked before the file is parsed; ``FileLimits()`` when not given.
    filename
        The file's name as its sender knows it (an upload's), when ``path`` is a copy.
    caller
        Who loads it, for a dataset whose rules depend on it (see :func:`validate`).

    Raises
    ------
    IngestError
        When the file has any problem; the rejected batch is recorded with its error report.
    """
    checked = validate(engine, name, path, limits=limits, caller=caller)
    return commit(
        engine,
        checked,
        dry_run=dry_run,
        username=username,
        source_system=source_system,
        role=role,
        filename=filename,
    )


def commit(
    engine: Engine,
    checked: Validation,
    *,
    dry_run: bool = False,
    username: str = "cli",
    source_system: str = "file",
    role: str = "ingest",
    filename: str | None = None,
) -> IngestReport:
    """Write a validated file in one transaction, with its ledger and an audit entry.

    A file with problems is refused whole (:class:`IngestError`) and kept as a rejected batch,
    unless ``dry_run``. Rows equal to the stored ones are left untouched, so committing the
    same file twice changes nothing.
    """
    shown = filename or checked.path.name
    if checked.problems:
        if not dry_run:
            _record_rejection(engine, checked, shown, username, source_system)
        raise IngestError(Path(shown), checked.problems)
    if dry_run:
        return IngestReport(checked.dataset.name, len(checked.frame), 0, None, True)
    return _write(engine, checked, shown, username, source_system, role)


def _checked(
    engine: Engine, dataset: Dataset, raw: pd.DataFrame, caller: Caller | None
) -> tuple[pd.DataFrame, list[Problem]]:
    """The rows of ``raw`` with their institution and unit, and every problem found."""
    if dataset.checker is not None and dataset.acts_for_caller:
        return dataset.checker(engine, raw, caller)
    if dataset.checker is not None:
        return dataset.checker(engine, raw)
    registry = _registry(engine)
    checked = check(dataset, raw, set(registry.index))
    frame = checked.frame
    problems = checked.problems
    if not problems:
        frame = frame.join(registry, on="institution_code")
        frame["unit_id"] = frame["ward_id"].where(
            frame["school_year"] >= MERGER_DATE.year, frame["old_ward_id"]
        )
        for index in frame.index[frame["unit_id"].isna()]:
            problems.append(
                Problem(int(index) + 2, "school_year", "the institution has no unit for that year")
            )
    return frame, problems


def _registry(engine: Engine) -> pd.DataFrame:
    query = select(
        Institution.code,
        Institution.id.label("institution_id"),
        Institution.ward_id,
        Institution.old_ward_id,
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(
            connection.execute(query).all(),
            columns=["code", "institution_id", "ward_id", "old_ward_id"],
        )
    return frame.set_index("code")


def _fact_rows(dataset: Dataset, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The fact rows of a checked frame, with Python ints where the table holds integers."""
    columns = ["school_year", "institution_id", "unit_id", *[c.name for c in dataset.columns]]
    records = frame[columns].astype(object).where(frame[columns].notna(), None)
    rows = [{**row, "generated": False} for row in records.to_dict("records")]
    for row in rows:
        for column in dataset.columns:
            if column.kind == "int":
                row[column.name] = int(row[column.name])
            elif column.kind == "float":
                row[column.name] = None if row[column.name] is None else float(row[column.name])
        row["school_year"] = int(row["school_year"])
        row["institution_id"] = int(row["institution_id"])
    return rows


def _existing_facts(connection: Any, table: Any, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The stored rows of every (school year, institution) pair the file contains."""
    rows: list[dict[str, Any]] = []
    for year, group in frame.groupby("school_year"):
        ids = [int(i) for i in group["institution_id"].unique()]
        for start in range(0, len(ids), 500):
            query = select(table).where(
                table.c.school_year == int(year),
                table.c.institution_id.in_(ids[start : start + 500]),
            )
            rows += [dict(r) for r in connection.execute(query).mappings()]
    return rows


def _write(
    engine: Engine,
    checked: Validation,
    filename: str,
    username: str,
    source_system: str,
    role: str,
) -> IngestReport:
    dataset = checked.dataset
    frame = checked.frame
    started = now()
    with engine.begin() as connection:
        batch_id = connection.execute(
            insert(IngestionBatch)
            .values(
                dataset=dataset.name,
                domain_id=dataset.domain_id,
                source_system=source_system,
                filename=filename,
                started_at=started,
                status="running",
                rows_in=checked.rows_in,
                generated=False,
                username=username,
            )
            .returning(IngestionBatch.id)
        ).scalar_one()
        if dataset.writer is not None and dataset.acts_for_caller:
            table, key, changes = dataset.writer(
                connection, frame, batch_id, username, checked.caller
            )
        elif dataset.writer is not None:
            table, key, changes = dataset.writer(connection, frame, batch_id, username)
        else:
            table = dataset.model.__table__
            key = ["school_year", "institution_id", *dataset.key]
            changes = apply_rows(
                connection,
                table,
                key,
                _fact_rows(dataset, frame),
                _existing_facts(connection, table, frame),
                batch_id=batch_id,
                remove_missing=True,
                written_not_compared=("generated",),
            )
        counts = changes.counts()
        connection.execute(
            IngestionBatch.__table__.update()
            .where(IngestionBatch.id == batch_id)
            .values(
                status=COMMITTED,
                finished_at=now(),
                rows_loaded=counts["inserted"] + counts["updated"],
                errors=ledger_json(
                    sha256=checked.sha256,
                    table=table.name,
                    key=key,
                    changes=changes,
                    extra={"notes": list(checked.notes)},
                ),
            )
        )
        connection.execute(
            insert(AuditLog).values(
                at=now(),
                username=username,
                role=role,
                action="ingest",
                target=f"{dataset.name}:{filename}",
                detail=f"batch {batch_id}: {counts['inserted']} inserted, "
                f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
                f"{counts['removed']} removed; sha256 {checked.sha256}",
            )
        )
    return IngestReport(
        dataset.name,
        len(frame),
        counts["updated"] + counts["removed"],
        batch_id,
        False,
        inserted=counts["inserted"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        removed=counts["removed"],
        sha256=checked.sha256,
    )


def _record_rejection(
    engine: Engine,
    checked: Validation,
    filename: str,
    username: str,
    source_system: str,
) -> None:
    at = now()
    errors = json.dumps([p.as_dict() for p in checked.problems], ensure_ascii=False)
    with engine.begin() as connection:
        connection.execute(
            insert(IngestionBatch).values(
                dataset=checked.dataset.name,
                domain_id=checked.dataset.domain_id,
                source_system=source_system,
                filename=filename,
                started_at=at,
                finished_at=at,
                status="rejected",
                rows_in=checked.rows_in,
                rows_loaded=0,
                errors=errors,
                generated=False,
                username=username,
            )
        )


def template(name: str) -> str:
    """The CSV header of dataset ``name`` (what `ingest --template` prints)."""
    return ",".join(dataset_named(name).header) + "\n"


def export(engine: Engine, name: str, path: Path, *, school_year: int | None = None) -> int:
    """Write dataset ``name`` in its load format (CSV or XLSX by suffix); returns the rows.

    Text that a spreadsheet would run as a formula is written after an apostrophe
    (``data_access.spreadsheet.neutralise``); ``ingest`` removes it again. Decimal numbers
    are written so that they read back as the same value (``formats.written_number``).
    """
    dataset = dataset_named(name)
    if dataset.exporter is not None:
        frame = dataset.exporter(engine, school_year)
    else:
        frame = _facts_frame(engine, dataset, school_year)
    for column in dataset.columns:  # "6.125" would read back as ambiguous thousands
        if column.kind == "float":
            frame[column.name] = frame[column.name].map(written_number)
    frame = neutralise_frame(frame)  # an institution code "=HYPERLINK(…)" must not run
    if path.suffix.lower() == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return len(frame)


def _facts_frame(engine: Engine, dataset: Dataset, school_year: int | None) -> pd.DataFrame:
    table = dataset.model.__table__
    query = (
        select(
            table.c.school_year,
            Institution.code.label("institution_code"),
            *[table.c[c.name] for c in dataset.columns],
        )
        .join(Institution, Institution.id == table.c.institution_id)
        .order_by(table.c.school_year, Institution.code)
    )
    if school_year is not None:
        query = query.where(table.c.school_year == school_year)
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).all(), columns=dataset.header)
