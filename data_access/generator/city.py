"""The merged city: registry, calibrated facts, DX assessments and plan reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from data_access.generator import dx, plan, school_reports
from data_access.generator.common import FactContext
from data_access.generator.exams import read_exam_sample
from data_access.generator.institutions import build_registry
from data_access.generator.pipeline import Step, fact_tables
from data_access.generator.targets import (
    YEARS,
    pupil_targets,
    teacher_ratios,
    teacher_targets_2024,
)
from data_access.reference import Reference

#: Years with per-criterion DX scores at city scale (the latest two).
DX_DETAIL_YEARS = (2024, 2025)


@dataclass
class Generated:
    """Everything generated for one part of the warehouse (the city, or the rest of Vietnam)."""

    registry: pd.DataFrame
    facts: dict[type, pd.DataFrame]
    assessments: pd.DataFrame
    scores: pd.DataFrame
    reports: pd.DataFrame = field(default_factory=pd.DataFrame)
    progress: pd.DataFrame = field(default_factory=pd.DataFrame)
    versions: pd.DataFrame = field(default_factory=pd.DataFrame)


def urban_flags(ref: Reference, registry: pd.DataFrame) -> pd.Series:
    """Whether each institution lies in a phường (2025 ward type)."""
    types = ref.geo.wards.set_index("id")["unit_type"]
    return registry["ward_id"].map(types).eq("phuong").reset_index(drop=True)


def ward_births(ref: Reference) -> tuple[pd.Series, pd.Series]:
    """Yearly births (around 2019) and district of each old ward, keyed like ``pre_unit``.

    The census gives each old ward's population; its births are that population times its
    province's share of children aged 0–4, divided by five.
    """
    old = ref.geo.old_wards
    ages = ref.geo.province_age
    share = ages["00-04"] / ages.sum(axis=1)
    key = "OW" + old.index.astype(str)
    births = old["population"].to_numpy() * old["region"].astype(str).map(share).to_numpy() / 5
    return (
        pd.Series(births, index=key, dtype=float),
        pd.Series(old["district_code"].astype(str).to_numpy(), index=key),
    )


def generate_city(
    ref: Reference, seed: int, as_of: date, batches: dict[tuple[int, int], int], step: Step
) -> Generated:
    """Generate the merged city's registry and facts (nothing is written here).

    Parameters
    ----------
    ref
        The loaded reference data.
    seed
        The seed (same seed, same rows).
    as_of
        Reference date of licence statuses.
    batches
        Ingestion batch id per (domain, year).
    step
        Progress hook, called with a description before each part.
    """
    step("institutions of the merged city")
    registry = build_registry(seed, ref.geo, ref.real_schools, as_of)
    targets = pupil_targets(ref.press, ref.geo.province_age)
    ratios = teacher_ratios(targets)
    births, district = ward_births(ref)
    ctx = FactContext(
        seed=seed,
        registry=registry,
        years=YEARS,
        batches=batches,
        births=births,
        district=district,
    )
    sample = read_exam_sample(ref.shared)
    facts = fact_tables(
        ctx,
        targets,
        ratios,
        {("79", 2024): teacher_targets_2024()},
        urban_flags(ref, registry),
        sample,
        step,
    )
    step("DX assessments")
    assessments, scores = dx.dx_frames(ctx, ref.criteria, DX_DETAIL_YEARS)
    step("plan reports")
    reports, progress, versions = plan.plan_frames(seed, ref.tasks)
    step("school reports")
    schools = school_reports.school_frames(
        seed, registry, ref.tasks, plan.quarters(), first_id=int(reports["id"].max()) + 1
    )
    return Generated(
        registry=registry,
        facts=facts,
        assessments=assessments,
        scores=scores,
        reports=pd.concat([reports, schools[0]], ignore_index=True),
        progress=pd.concat([progress, schools[1]], ignore_index=True),
        versions=pd.concat([versions, schools[2]], ignore_index=True),
    )
