"""Loading a dataset file: validate → one transaction → ingestion batch and audit entry.

A file replaces, for each (school year, institution) it contains, the rows already stored for
that pair. Any problem rejects the whole file: nothing already stored changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, select

from data_access.ingest import dx
from data_access.ingest.datasets import DATASETS, DX_ASSESSMENTS, Dataset
from data_access.ingest.reading import FileLimits, FileRefusedError, read_table
from data_access.ingest.validate import Problem, check
from data_access.models import MERGER_DATE, AuditLog, IngestionBatch, Institution
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
    replaced: int
    batch_id: int | None
    dry_run: bool


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def dataset_named(name: str) -> Dataset:
    """The dataset called ``name``, or a ValueError listing the known ones."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(sorted(DATASETS))}")
    return DATASETS[name]


def ingest(
    engine: Engine,
    name: str,
    path: Path,
    *,
    dry_run: bool = False,
    username: str = "cli",
    source_system: str = "file",
    limits: FileLimits | None = None,
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
    username, source_system
        Who loads the file and where it came from, for the batch and the audit log.
    limits
        Size limits checked before the file is parsed; ``FileLimits()`` when not given.

    Raises
    ------
    IngestError
        When the file has any problem; the rejected batch is recorded with its error report.
    """
    dataset = dataset_named(name)
    try:
        raw = read_table(path, limits)
    except FileRefusedError as exc:
        frame = raw = pd.DataFrame()
        problems = [Problem(None, None, str(exc))]
    except (ValueError, OSError) as exc:  # a CSV pandas cannot parse, an unreadable file
        frame = raw = pd.DataFrame()
        problems = [Problem(None, None, f"cannot be read: {exc}")]
    else:
        frame, problems = _checked(engine, dataset, raw)
    if problems:
        if not dry_run:
            _record_rejection(engine, dataset, path, len(raw), problems, username, source_system)
        raise IngestError(path, problems)
    if dry_run:
        return IngestReport(dataset.name, len(frame), 0, None, True)
    return _write(engine, dataset, path, frame, username, source_system)


def _checked(
    engine: Engine, dataset: Dataset, raw: pd.DataFrame
) -> tuple[pd.DataFrame, list[Problem]]:
    """The rows of ``raw`` with their institution and unit, and every problem found."""
    registry = _registry(engine)
    checked = check(dataset, raw, set(registry.index))
    frame = checked.frame
    problems = checked.problems
    if dataset.name == DX_ASSESSMENTS:
        if set(dataset.header) <= set(frame.columns):
            frame, more = dx.check(engine, frame)
            problems += more
        if not problems:
            frame = frame.join(registry, on="institution_code")
        return frame, problems
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


def _write(
    engine: Engine,
    dataset: Dataset,
    path: Path,
    frame: pd.DataFrame,
    username: str,
    source_system: str,
) -> IngestReport:
    started = _now()
    with engine.begin() as connection:
        batch_id = connection.execute(
            insert(IngestionBatch)
            .values(
                dataset=dataset.name,
                domain_id=dataset.domain_id,
                source_system=source_system,
                filename=path.name,
                started_at=started,
                status="running",
                rows_in=len(frame),
                generated=False,
                username=username,
            )
            .returning(IngestionBatch.id)
        ).scalar_one()
        if dataset.name == DX_ASSESSMENTS:
            loaded, replaced = dx.write(connection, frame)
        else:
            loaded, replaced = _replace_facts(connection, dataset, frame, batch_id)
        connection.execute(
            IngestionBatch.__table__.update()
            .where(IngestionBatch.id == batch_id)
            .values(status="done", finished_at=_now(), rows_loaded=loaded)
        )
        connection.execute(
            insert(AuditLog).values(
                at=_now(),
                username=username,
                role="ingest",
                action="ingest",
                target=f"{dataset.name}:{path.name}",
                detail=f"{loaded} rows, {replaced} replaced",
            )
        )
    return IngestReport(dataset.name, loaded, replaced, batch_id, False)


def _replace_facts(
    connection: Connection, dataset: Dataset, frame: pd.DataFrame, batch_id: int
) -> tuple[int, int]:
    """Replace the fact rows of each (school year, institution) in ``frame``; returns (rows
    written, rows replaced)."""
    table = dataset.model.__table__
    replaced = 0
    for year, group in frame.groupby("school_year"):
        ids = [int(i) for i in group["institution_id"].unique()]
        for start in range(0, len(ids), 500):
            replaced += connection.execute(
                delete(table).where(
                    table.c.school_year == int(year),
                    table.c.institution_id.in_(ids[start : start + 500]),
                )
            ).rowcount
    columns = ["school_year", "institution_id", "unit_id", *[c.name for c in dataset.columns]]
    records = frame[columns].astype(object).where(frame[columns].notna(), None)
    rows = [{**row, "generated": False, "batch_id": batch_id} for row in records.to_dict("records")]
    for row in rows:
        for column in dataset.columns:
            if column.kind == "int":
                row[column.name] = int(row[column.name])
        row["school_year"] = int(row["school_year"])
        row["institution_id"] = int(row["institution_id"])
    connection.execute(insert(table), rows)
    return len(rows), replaced


def _record_rejection(
    engine: Engine,
    dataset: Dataset,
    path: Path,
    rows_in: int,
    problems: list[Problem],
    username: str,
    source_system: str,
) -> None:
    now = _now()
    errors = json.dumps(
        [{"row": p.row, "column": p.column, "message": p.message} for p in problems],
        ensure_ascii=False,
    )
    with engine.begin() as connection:
        connection.execute(
            insert(IngestionBatch).values(
                dataset=dataset.name,
                domain_id=dataset.domain_id,
                source_system=source_system,
                filename=path.name,
                started_at=now,
                finished_at=now,
                status="rejected",
                rows_in=rows_in,
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
    (``data_access.spreadsheet.neutralise``); ``ingest`` removes it again.
    """
    dataset = dataset_named(name)
    if dataset.name == DX_ASSESSMENTS:
        frame = dx.export_frame(engine, school_year)
    else:
        frame = _facts_frame(engine, dataset, school_year)
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
