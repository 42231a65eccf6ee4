"""Generate every fact table of a registry and write them in bulk."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from data_access.generator import activity, enrolment, exams, staff
from data_access.generator.common import FactContext, open_years
from data_access.generator.institutions import OUTPUT_COLUMNS
from data_access.models import (
    DOMAIN_FACTS,
    FactAdmin,
    FactEnrolment,
    FactExam,
    FactFacility,
    FactHealth,
    FactNonPublic,
    FactOutcome,
    FactStaff,
    Institution,
)
from data_access.reference.bulk import frame_records, insert_frame, insert_records

Step = Callable[[str], None]
#: Which registry rows each domain expects a report from (to count reporting gaps).
SCHOOLS = ("school", "international_school", "continuing_education")
LICENSED = ("language_it_centre", "study_abroad", "life_skills", "representative_office")


def fact_tables(
    ctx: FactContext,
    targets: pd.DataFrame,
    ratios: pd.DataFrame,
    calibrate: dict[tuple[str, int], dict[str, float]] | None,
    urban: pd.Series,
    exam_sample: np.ndarray | None,
    step: Step,
    domains: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7),
) -> dict[type, pd.DataFrame]:
    """All fact frames of ``ctx.registry`` for ``ctx.years``, calibrated to ``targets``.

    Parameters
    ----------
    ctx
        Registry, years, seed and batch ids.
    targets
        Pupils per region, stage and year.
    ratios
        Pupils per teacher per region, stage and year.
    calibrate
        Reported teachers per (region, year) and stage, or None.
    urban
        Per registry row: whether it lies in an urban unit (phường).
    exam_sample
        Real candidate averages for graduation scores (None: no exam facts).
    step
        Called with a description before each table.
    domains
        The domains to generate (national scale generates fewer).
    """
    frames: dict[type, pd.DataFrame] = {}
    step("enrolment by grade")
    stages, by_grade = enrolment.stage_pupils(ctx, targets)
    grades = enrolment.grade_rows(ctx, by_grade)
    frames[FactEnrolment] = enrolment.enrolment_frame(ctx, grades)
    if 1 in domains:
        frames[FactOutcome] = enrolment.outcome_frame(ctx, grades)
    if 2 in domains:
        step("staff")
        frames[FactStaff] = staff.staff_frame(ctx, stages, ratios, calibrate)
    if 3 in domains:
        step("facilities")
        frames[FactFacility] = staff.facility_frame(ctx, stages, urban)
    if 4 in domains and exam_sample is not None:
        step("exams")
        frames[FactExam] = exams.exam_frame(ctx, grades, exam_sample)
    if 5 in domains:
        step("non-public units")
        frames[FactNonPublic] = activity.nonpublic_frame(ctx)
    if 6 in domains:
        step("health")
        frames[FactHealth] = activity.health_frame(ctx, stages)
    if 7 in domains:
        step("administration")
        frames[FactAdmin] = activity.admin_frame(ctx, stages)
    return frames


def batch_counts(
    ctx: FactContext, frames: dict[type, pd.DataFrame]
) -> tuple[dict[tuple[int, int], int], ...]:
    """Per (domain, year): rows, institutions that did not report, institutions expected."""
    rows: dict[tuple[int, int], int] = {}
    missing: dict[tuple[int, int], int] = {}
    expected_count: dict[tuple[int, int], int] = {}
    reg = ctx.registry
    expected = {
        "schools": open_years(reg, ctx.years, reg["kind"].isin(SCHOOLS).to_numpy()),
        "licensed": open_years(reg, ctx.years, reg["kind"].isin(LICENSED).to_numpy()),
    }
    for domain, models in DOMAIN_FACTS.items():
        base = expected["licensed" if domain == 5 else "schools"]
        open_count = base.groupby("year").size()
        for model in models:
            frame = frames.get(model)
            if frame is None:
                continue
            for year, count in frame.groupby("school_year").size().items():
                rows[(domain, int(year))] = rows.get((domain, int(year)), 0) + int(count)
            if model is models[0]:
                reported = frame.groupby("school_year")["institution_id"].nunique()
                for year in ctx.years:
                    gap = int(open_count.get(year, 0)) - int(reported.get(year, 0))
                    missing[(domain, year)] = max(gap, 0) if domain != 4 else 0
                    expected_count[(domain, year)] = int(open_count.get(year, 0))
    return rows, missing, expected_count


def write_institutions(conn: Connection, registry: pd.DataFrame) -> int:
    """Insert the registry with Core ``insert()`` (shapely points → PostGIS/WKB)."""
    frame = registry[list(OUTPUT_COLUMNS)].copy()
    for column in ("grade_from", "grade_to", "opened_year", "closed_year"):
        frame[column] = pd.array(frame[column], dtype="Int64")
    records = frame_records(frame)
    return insert_records(conn, Institution, records)


def write_facts(conn: Connection, frames: dict[type, pd.DataFrame]) -> dict[str, int]:
    """Bulk-insert the fact frames; rows written per table."""
    written: dict[str, int] = {}
    for model, frame in frames.items():
        written[model.__tablename__] = insert_frame(conn, model, frame)
    return written
