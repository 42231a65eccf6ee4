"""Domains 2 and 3: staff (calibrated to the reported teachers) and facilities."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.generator.common import (
    FactContext,
    binomial,
    fact_keys,
    lognormal_noise,
    reporting,
)
from data_access.generator.rng import stream

#: Share of women among teachers per stage.
FEMALE = {"preschool": 0.98, "primary": 0.83, "lower_secondary": 0.72, "upper_secondary": 0.64}
#: Pupils per teacher relative to the region's ratio: international schools and
#: continuing-education centres differ from ordinary schools.
PTR_FACTOR = {"international_school": 0.35, "continuing_education": 1.2}
#: Typical class size per stage (to size classrooms of schools that did not report pupils).
TYPICAL_CLASS = {"preschool": 27, "primary": 37, "lower_secondary": 41, "upper_secondary": 40}


def _per_institution(
    stages: pd.DataFrame, ctx: FactContext, domain: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Stage pupils of the institution-years that reported ``domain``."""
    iy = stages[["inst", "year"]].drop_duplicates().reset_index(drop=True)
    iy["reports"] = reporting(rng, iy, domain)
    keep = iy.loc[iy["reports"], ["inst", "year"]]
    return stages.merge(keep, on=["inst", "year"])


def staff_frame(
    ctx: FactContext,
    stages: pd.DataFrame,
    ratios: pd.DataFrame,
    calibrate: dict[tuple[str, int], dict[str, float]] | None = None,
) -> pd.DataFrame:
    """FactStaff rows: teachers from pupils and pupils-per-teacher ratios.

    ``calibrate`` maps (region, year) to reported teachers per stage: ordinary and
    international schools of that region and year (not continuing-education centres) are
    scaled so that their teachers per stage add up to the reported figures.
    """
    rng = stream(ctx.seed, ctx.name("staff"))
    reg = ctx.registry
    rows = _per_institution(stages, ctx, 2, rng)
    inst = rows["inst"].to_numpy()
    ptr = (
        ratios.set_index(["region", "stage", "year"])["ptr"]
        .reindex(pd.MultiIndex.from_arrays([rows["region"], rows["stage"], rows["year"]]))
        .to_numpy()
    )
    kind = reg["kind"].to_numpy()[inst]
    factor = np.array([PTR_FACTOR.get(k, 1.0) for k in kind])
    teachers = rows["pupils"].to_numpy() / (ptr * factor) * lognormal_noise(rng, len(rows), 0.12)
    for (region, year), goal in (calibrate or {}).items():
        for stage, target in goal.items():
            mask = (
                (rows["region"] == region) & (rows["year"] == year) & (rows["stage"] == stage)
            ).to_numpy() & (kind != "continuing_education")
            teachers[mask] *= target / teachers[mask].sum()
    rows["teachers"] = teachers
    rows["female"] = teachers * rows["stage"].map(FEMALE).to_numpy()
    per = rows.groupby(["inst", "year"], as_index=False)[["teachers", "female"]].sum()
    count = np.maximum(1, np.rint(per["teachers"].to_numpy())).astype(np.int64)
    year = per["year"].to_numpy()
    share_female = np.clip(per["female"] / per["teachers"], 0, 1).to_numpy()
    above = np.clip(0.55 + 0.03 * (year - 2015) + rng.normal(0, 0.06, len(per)), 0.2, 0.99)
    first_stage = np.array([s[0] for s in reg["stages"].to_numpy()[per["inst"].to_numpy()]])
    preschool = first_stage == "preschool"
    managers = np.where(preschool, rng.integers(2, 4, len(per)), 3) + (count > 80)
    support = np.rint(count * np.where(preschool, 0.35, 0.12) + rng.integers(2, 7, len(per)))
    values = pd.DataFrame(
        {
            "teachers": count,
            "teachers_female": binomial(rng, count, share_female),
            "teachers_above_standard": binomial(rng, count, above),
            "managers": managers.astype(np.int64),
            "support_staff": support.astype(np.int64),
        }
    )
    return pd.concat([fact_keys(ctx, per, 2), values], axis=1)


def facility_frame(ctx: FactContext, stages: pd.DataFrame, urban: pd.Series) -> pd.DataFrame:
    """FactFacility rows: rooms sized to classes, computers, smart rooms, site, Internet.

    ``urban`` says per registry row whether the school is in a phường (smaller sites).
    """
    rng = stream(ctx.seed, ctx.name("facilities"))
    reg = ctx.registry
    rows = _per_institution(stages, ctx, 3, rng)
    rows["classes"] = rows["pupils"] / rows["stage"].map(TYPICAL_CLASS)
    rooms = rows.groupby(["inst", "year"], as_index=False).agg(
        classes=("classes", "sum"), pupils=("pupils", "sum"), stages=("stage", "size")
    )
    inst = rooms["inst"].to_numpy()
    year = rooms["year"].to_numpy()
    n = len(rooms)
    crowded = reg["overcrowded"].to_numpy()[inst]
    classrooms = np.maximum(
        1, np.ceil(rooms["classes"] * rng.uniform(0.85, 1.1, n) * np.where(crowded, 0.85, 1.0))
    ).astype(np.int64)
    solid = binomial(rng, classrooms, np.clip(0.9 + 0.009 * (year - 2015), 0, 0.995))
    first = np.array([s[0] for s in reg["stages"].to_numpy()[inst]])
    base_rooms = np.select(
        [first == "preschool", first == "primary", first == "lower_secondary"], [4, 6, 8], 10
    )
    functional = rng.poisson(base_rooms + 2 * (rooms["stages"].to_numpy() - 1)) + 1
    computer_rooms = np.where(
        first == "preschool",
        rng.integers(0, 2, n),
        rng.integers(1, 4, n) + (first == "upper_secondary"),
    )
    computers = (computer_rooms * rng.integers(22, 46, n) + rng.integers(5, 16, n)).astype(np.int64)
    quality = reg["quality"].to_numpy()[inst]
    smart_share = np.clip((year - 2015) * 0.025 * np.exp(0.3 * quality), 0, 0.9)
    smart = binomial(rng, classrooms, smart_share)
    per_pupil = np.where(urban.to_numpy()[inst], rng.uniform(4, 9, n), rng.uniform(8, 20, n))
    site = np.round(np.maximum(rooms["pupils"].to_numpy() * per_pupil, 800) / 10) * 10
    mbps = 30 * np.exp(0.28 * (year - 2015)) * lognormal_noise(rng, n, 0.5)
    values = pd.DataFrame(
        {
            "classrooms": classrooms,
            "classrooms_solid": solid,
            "functional_rooms": functional.astype(np.int64),
            "computer_rooms": computer_rooms.astype(np.int64),
            "computers": computers,
            "smart_classrooms": smart,
            "site_area_m2": site.astype(float),
            "internet_mbps": np.round(np.clip(mbps, 10, 2000)),
        }
    )
    return pd.concat([fact_keys(ctx, rooms, 3), values], axis=1)
