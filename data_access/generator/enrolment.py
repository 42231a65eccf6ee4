"""Domain 1: pupils by grade and sex, classes, year-end outcomes — calibrated to the targets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.generator.common import (
    FactContext,
    binomial,
    fact_keys,
    lognormal_noise,
    open_years,
    reporting,
)
from data_access.generator.rng import stream
from data_access.generator.targets import STAGE_GRADES

#: Class size (mean, sd, min, max) per stage; private schools −6, international ~18.
CLASS_SIZE = {
    "preschool": (27, 3, 15, 40),
    "primary": (37, 3.5, 22, 50),
    "lower_secondary": (41, 3, 28, 52),
    "upper_secondary": (40, 3, 28, 50),
}
OVERCROWDED_EXTRA = 11.0
OVERCROWDED_SIZE = 1.3
#: Share of girls per stage (upper secondary has more girls than boys in Vietnam).
GIRLS = {"preschool": 0.475, "primary": 0.474, "lower_secondary": 0.482, "upper_secondary": 0.515}
#: Relative size of grades within a stage (older grades lose a few pupils).
GRADE_ATTRITION = {10: 1.03, 11: 1.0, 12: 0.97, 6: 1.01, 7: 1.0, 8: 0.99, 9: 0.98}
#: Size in a new school's first years, and in the year before it closes.
RAMP = (0.45, 0.7, 0.9)
WIND_DOWN = 0.8
#: Yearly retention and dropout rates (2015 → 2025 they fall by a third), and the share
#: of final-grade pupils who do not graduate.
RETAINED = {"primary": 0.006, "lower_secondary": 0.015, "upper_secondary": 0.02}
DROPOUT = {"primary": 0.0015, "lower_secondary": 0.008, "upper_secondary": 0.015}
NOT_GRADUATING = {5: 0.002, 9: 0.012, 12: 0.01}


def stage_pupils(ctx: FactContext, targets: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Pupils per institution, stage and year, scaled to the targets over reporting schools.

    Returns the frame (``inst, year, stage, pupils``; all open institution-years, so other
    domains can use the sizes of schools that did not report) and the domain-1 reporting
    mask aligned with it.
    """
    reg = ctx.registry
    rng = stream(ctx.seed, ctx.name("enrolment"))
    iy = open_years(reg, ctx.years, reg["stages"].map(len).gt(0).to_numpy())
    iy["reports"] = reporting(rng, iy, 1)
    frame = iy.assign(stage=reg["stages"].to_numpy()[iy["inst"]]).explode("stage")
    frame = frame.reset_index(drop=True)
    inst = frame["inst"].to_numpy()
    year = frame["year"].to_numpy()
    drift = {}
    walk = np.cumsum(rng.normal(0, 0.04, (len(reg), len(ctx.years))), axis=1)
    for j, y in enumerate(ctx.years):
        drift[y] = walk[:, j]
    age = year - reg["opened_year"].to_numpy()[inst]
    ramp = np.where(age < len(RAMP), np.take(RAMP, np.clip(age, 0, len(RAMP) - 1)), 1.0)
    closing = reg["closed_year"].to_numpy(float)[inst] == year + 1
    weight = (
        reg["size"].to_numpy()[inst]
        * ramp
        * np.where(closing, WIND_DOWN, 1.0)
        * np.exp([drift[y][i] for i, y in zip(inst, year, strict=True)])
        * np.where(reg["overcrowded"].to_numpy()[inst], OVERCROWDED_SIZE, 1.0)
    )
    frame["region"] = reg["region"].to_numpy()[inst]
    frame["w"] = weight
    reported = frame["w"].where(frame["reports"], 0.0)
    total = reported.groupby([frame["region"], frame["stage"], frame["year"]]).transform("sum")
    goal = targets.set_index(["region", "stage", "year"])["pupils"]
    wanted = goal.reindex(
        pd.MultiIndex.from_arrays([frame["region"], frame["stage"], frame["year"]])
    ).to_numpy()
    frame["pupils"] = frame["w"] * wanted / total.to_numpy()
    return frame[["inst", "year", "stage", "region", "pupils", "reports"]], frame[
        "reports"
    ].to_numpy()


def cohort_index(ctx: FactContext, regions: list[str]) -> dict[str, dict[int, float]]:
    """A smooth random size index per birth cohort (school year minus grade) and region."""
    rng = stream(ctx.seed, ctx.name("cohorts"))
    first, last = min(ctx.years) - 12, max(ctx.years)
    index = {}
    for region in regions:
        walk = np.exp(np.cumsum(rng.normal(0, 0.035, last - first + 1)))
        index[region] = dict(zip(range(first, last + 1), walk, strict=True))
    return index


def grade_rows(ctx: FactContext, stages: pd.DataFrame) -> pd.DataFrame:
    """Split reporting stage pupils into grades; add girls and classes."""
    reg = ctx.registry
    rng = stream(ctx.seed, ctx.name("grades"))
    rows = stages[stages["reports"]].copy()
    rows["grade"] = rows["stage"].map(STAGE_GRADES)
    rows = rows.explode("grade").reset_index(drop=True)
    rows["grade"] = rows["grade"].astype(int)
    cohorts = cohort_index(ctx, sorted(rows["region"].unique()))
    share = np.array(
        [
            cohorts[r][y - g]
            for r, y, g in zip(rows["region"], rows["year"], rows["grade"], strict=True)
        ]
    )
    share *= rows["grade"].map(GRADE_ATTRITION).fillna(1.0).to_numpy()
    share *= lognormal_noise(rng, len(rows), 0.06)
    key = [rows["inst"], rows["year"], rows["stage"]]
    share = share / pd.Series(share).groupby(key).transform("sum").to_numpy()
    rows["pupils"] = np.rint(rows["pupils"].to_numpy() * share).astype(np.int64)
    inst = rows["inst"].to_numpy()
    base = np.array([CLASS_SIZE[s] for s in rows["stage"]])
    size = rng.normal(base[:, 0], base[:, 1])
    kind = reg["kind"].to_numpy()[inst]
    private = reg["ownership"].to_numpy()[inst] != "public"
    size = np.where(private, size - 6, size)
    size = np.where(kind == "international_school", rng.normal(18, 3, len(rows)), size)
    size = np.where(reg["overcrowded"].to_numpy()[inst], size + OVERCROWDED_EXTRA, size)
    size = np.clip(size, 10, base[:, 3] + OVERCROWDED_EXTRA)
    rows["classes"] = np.maximum(1, np.rint(rows["pupils"] / size)).astype(np.int64)
    rows.loc[rows["pupils"] == 0, "classes"] = 0
    rows["girls"] = binomial(rng, rows["pupils"].to_numpy(), rows["stage"].map(GIRLS).to_numpy())
    return rows


def enrolment_frame(ctx: FactContext, rows: pd.DataFrame) -> pd.DataFrame:
    """FactEnrolment rows from :func:`grade_rows`."""
    keys = fact_keys(ctx, rows, 1)
    return pd.concat(
        [keys, rows[["grade", "pupils", "girls", "classes"]].reset_index(drop=True)], axis=1
    )


def outcome_frame(ctx: FactContext, rows: pd.DataFrame) -> pd.DataFrame:
    """FactOutcome rows: general-education pupils assessed, promoted, retained, dropouts."""
    rng = stream(ctx.seed, ctx.name("outcomes"))
    reg = ctx.registry
    rows = rows[rows["stage"] != "preschool"]
    trend = 1.0 - (rows["year"].to_numpy() - 2015) / 30.0
    pupils = rows["pupils"].to_numpy()
    quality = reg["quality"].to_numpy()[rows["inst"].to_numpy()]
    factor = trend * np.exp(-0.25 * quality)
    retained = binomial(rng, pupils, rows["stage"].map(RETAINED).to_numpy() * factor)
    dropouts = binomial(rng, pupils - retained, rows["stage"].map(DROPOUT).to_numpy() * factor)
    final = rows["grade"].to_numpy() == reg["grade_to"].to_numpy(float)[rows["inst"].to_numpy()]
    fail = rows["grade"].map(NOT_GRADUATING).fillna(0.0).to_numpy()
    ce = reg["kind"].to_numpy()[rows["inst"].to_numpy()] == "continuing_education"
    fail = np.where(ce, 0.08, fail)
    graduates = np.where(final, binomial(rng, pupils - retained - dropouts, 1 - fail), 0)
    frame = pd.DataFrame(
        {
            "inst": rows["inst"].to_numpy(),
            "year": rows["year"].to_numpy(),
            "pupils_assessed": pupils,
            "retained": retained,
            "dropouts": dropouts,
            "graduates": graduates,
        }
    )
    frame = frame.groupby(["inst", "year"], as_index=False).sum()
    frame["promoted"] = frame["pupils_assessed"] - frame["retained"] - frame["dropouts"]
    keys = fact_keys(ctx, frame, 1)
    values = frame[["pupils_assessed", "promoted", "retained", "dropouts", "graduates"]]
    return pd.concat([keys, values.reset_index(drop=True)], axis=1)
