"""Seed the warehouse: real reference data plus the calibrated synthetic generator."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, inspect, select

from data_access.generator import national
from data_access.generator.batches import batch_frame, batch_ids
from data_access.generator.city import Generated, generate_city
from data_access.generator.common import FactContext
from data_access.generator.pipeline import batch_counts, write_facts, write_institutions
from data_access.generator.targets import YEARS
from data_access.models import (
    Base,
    DxAssessment,
    DxScore,
    IngestionBatch,
    Institution,
    QuarterlyReport,
    ReportVersion,
    TaskProgress,
)
from data_access.reference import Reference, load_reference, missing_files
from data_access.reference.admissions import write_cutoffs
from data_access.reference.bulk import (
    bulk_load,
    frame_records,
    insert_frame,
    insert_records,
    reset_sequences,
)
from data_access.reference.sources import write_sources
from data_access.summary import row_counts

ProgressFn = Callable[[str, float], None]
SCALES = ("city", "national")
#: Tables a re-seed keeps: accounts, the audit log, and plan units (accounts refer to them).
KEPT_TABLES = ("app_user", "user_unit", "api_token", "audit_log", "plan_unit")
#: Reference date of licence statuses (data "as of"); pass ``as_of`` to move it.
DEFAULT_AS_OF = date(2026, 11, 15)


class SeedError(RuntimeError):
    """The warehouse cannot be seeded as asked (data present, bad scale, missing files)."""


@dataclass
class SeedReport:
    """What a seed run did: scale, seed, wall time and rows per table afterwards."""

    scale: str
    seed: int
    seconds: float
    rows: dict[str, int]


def _default_shared() -> Path:
    from data_access.paths import shared_data_dir

    return shared_data_dir()


def _data_tables() -> list:
    return [t for t in Base.metadata.sorted_tables if t.name not in KEPT_TABLES]


def _check_empty(conn: Connection, replace: bool) -> None:
    institutions = conn.execute(select(func.count()).select_from(Institution)).scalar_one()
    if institutions and not replace:
        raise SeedError(
            f"the warehouse already holds {institutions:,} institutions; "
            "seed again with replace=True (CLI: --replace) to delete all data "
            "rows first (users and the audit log are kept)"
        )
    if replace:
        for table in reversed(_data_tables()):
            conn.execute(delete(table))
        return
    busy = [
        t.name
        for t in _data_tables()
        if conn.execute(select(func.count()).select_from(t)).scalar_one()
    ]
    if busy:
        raise SeedError(
            f"the warehouse already holds data in {', '.join(busy)}; "
            "seed with replace=True to delete it first"
        )


def seed_warehouse(
    engine: Engine,
    *,
    scale: str = "city",
    seed: int = 0,
    shared_dir: Path | None = None,
    progress: ProgressFn | None = None,
    replace: bool = False,
    as_of: date | None = None,
) -> SeedReport:
    """Load the real reference data and generate the calibrated warehouse in one transaction.

    Parameters
    ----------
    engine
        A warehouse whose schema is current (run ``migrate.upgrade`` first).
    scale
        ``"city"`` (the merged HCMC) or ``"national"`` (plus the other 33 provinces).
    seed
        Non-negative seed; the same seed gives identical rows.
    shared_dir
        The reference data folder (default ``data_access.paths.shared_data_dir()``).
    progress
        Called as ``progress(step, fraction)`` while seeding.
    replace
        Delete all data rows first (users, API tokens, audit log, plan units are kept).
    as_of
        Reference date of licence statuses (default 15 November 2026).

    Returns
    -------
    SeedReport
        Scale, seed, seconds and rows per table.

    Raises
    ------
    SeedError
        The warehouse holds data and ``replace`` is false, the scale or seed is invalid,
        the schema is missing or reference files are missing. Nothing is written then,
        and nothing stays half-written after any other error either.
    """
    started = time.perf_counter()
    if scale not in SCALES:
        raise SeedError(f"unknown scale {scale!r}; use one of {', '.join(SCALES)}")
    if not isinstance(seed, int) or seed < 0:
        raise SeedError("the seed must be a non-negative integer")
    shared = Path(shared_dir) if shared_dir is not None else _default_shared()
    missing = missing_files(shared)
    if missing:
        raise SeedError(f"reference data missing in {shared}: {', '.join(missing[:5])}")
    if "institution" not in inspect(engine).get_table_names():
        raise SeedError("the schema is missing: run `python -m ioc_app db upgrade` first")
    as_of = as_of or DEFAULT_AS_OF
    national_scale = scale == "national"
    weights = [
        ("check", 0.02),
        ("reference", 0.13),
        ("city", 0.35),
        ("national", 0.0),
        ("write", 0.45),
        ("finish", 0.05),
    ]
    if national_scale:
        weights = [
            ("check", 0.01),
            ("reference", 0.05),
            ("city", 0.14),
            ("national", 0.3),
            ("write", 0.47),
            ("finish", 0.03),
        ]
    starts, acc = {}, 0.0
    for name, share in weights:
        starts[name] = (acc, share)
        acc += share
    last = [0.0]

    def report(phase: str, text: str, within: float = 0.0) -> None:
        begin, share = starts[phase]
        last[0] = max(last[0], min(begin + share * within, 1.0))
        if progress is not None:
            progress(text, last[0])

    def stepper(phase: str, total: int) -> Callable[[str], None]:
        count = [0]

        def step(text: str) -> None:
            report(phase, text, min(count[0] / total, 1.0))
            count[0] += 1

        return step

    report("check", "checking the warehouse")
    with engine.begin() as conn:
        _check_empty(conn, replace)
        report("reference", "loading reference data (boundaries, crosswalk, census, plan)")
        ref = load_reference(conn, shared)
        batches = batch_ids(list(YEARS))
        city = generate_city(ref, seed, as_of, batches, stepper("city", 13))
        parts: list[Generated] = [city]
        if national_scale:
            parts.append(
                national.generate(conn, ref, seed, as_of, city, batches, stepper("national", 10))
            )
        _write(conn, ref, parts, batches, stepper("write", 9 + 2 * len(parts)))
        report("finish", "recording data sources")
        rows = dict(ref.rows)
        rows["generator"] = sum(len(p.registry) for p in parts)
        rows["cutoffs"] = len(ref.cutoff_rows)
        write_sources(conn, shared, rows, datetime.now().replace(microsecond=0))
        reset_sequences(conn)
        report("finish", "committing", 0.5)
    # Fresh tables have no planner statistics; without them PostgreSQL picks nested-loop
    # plans that make the first dashboard queries take seconds.
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    counts = row_counts(engine)
    if progress is not None:
        progress("done", 1.0)
    return SeedReport(scale=scale, seed=seed, seconds=time.perf_counter() - started, rows=counts)


def _write(
    conn: Connection,
    ref: Reference,
    parts: list[Generated],
    batches: dict[tuple[int, int], int],
    step: Callable[[str], None],
) -> None:
    """Write registries, cut-offs, batches, facts, DX and plan rows of every part."""
    for part in parts:
        step("writing institutions")
        write_institutions(conn, part.registry)
    real = parts[0].registry.dropna(subset=["canonical"])
    write_cutoffs(conn, ref.cutoff_rows, dict(zip(real["canonical"], real["id"], strict=True)))
    totals: tuple[dict[tuple[int, int], int], ...] = ({}, {}, {})
    for part in parts:
        for total, counts in zip(totals, batch_counts(_context(part), part.facts), strict=True):
            for key, value in counts.items():
                total[key] = total.get(key, 0) + value
    insert_records(conn, IngestionBatch, frame_records(batch_frame(batches, *totals)))
    models = sorted({m for p in parts for m in p.facts} | {DxScore}, key=lambda m: m.__tablename__)
    with bulk_load(conn, models):
        for part in parts:
            for model, frame in part.facts.items():
                step(f"writing {model.__tablename__} ({len(frame):,} rows)")
                write_facts(conn, {model: frame})
            step("writing DX assessments")
            insert_records(conn, DxAssessment, frame_records(part.assessments))
            insert_frame(conn, DxScore, part.scores)
    step("writing plan reports")
    city = parts[0]
    insert_records(conn, QuarterlyReport, frame_records(city.reports))
    insert_frame(conn, TaskProgress, city.progress)
    step(f"writing report versions ({len(city.versions):,} rows)")
    insert_records(conn, ReportVersion, frame_records(city.versions))


def _context(part: Generated) -> FactContext:
    years = sorted({int(y) for f in part.facts.values() for y in pd.unique(f["school_year"])})
    return FactContext(seed=0, registry=part.registry, years=years)
