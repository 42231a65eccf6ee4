"""Domain 1: pupils by grade and sex, classes, year-end outcomes — calibrated to the targets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.generator import cohorts
from data_access.generator.common import FactContext, binomial, fact_keys, open_years, reporting
from data_access.generator.rng import stream

#: Class size (mean, sd, min, max) per stage; private schools −6, international ~18.
CLASS_SIZE = {
    "preschool": (27, 3, 15, 40),
    "primary": (37, 3.5, 22, 50),
    "lower_secondary": (41, 3, 28, 52),
    "upper_secondary": (40, 3, 28, 50),
}
OVERCROWDED_EXTRA = 11.0
#: Share of girls per stage (upper secondary has more girls than boys in Vietnam).
GIRLS = {"preschool": 0.475, "primary": 0.474, "lower_secondary": 0.482, "upper_secondary": 0.515}
#: Yearly retention and dropout rates (2015 → 2025 they fall by a third), and the share
#: of final-grade pupils who do not graduate.
RETAINED = {"primary": 0.006, "lower_secondary": 0.015, "upper_secondary": 0.02}
DROPOUT = {"primary": 0.0015, "lower_secondary": 0.008, "upper_secondary": 0.015}
NOT_GRADUATING = {5: 0.002, 9: 0.012, 12: 0.01}


def stage_pupils(ctx: FactContext, targets: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pupils per institution, stage and year from the cohort model, and per grade.

    Returns the stage frame (``inst, year, stage, region, pupils, reports``; all open
    institution-years, so other domains can use the sizes of schools that did not report)
    and the grade frame (the same columns plus ``grade``). The targets hold for the sums over
    every open institution, reporting or not: the published totals count every school.
    """
    reg = ctx.registry
    rng = stream(ctx.seed, ctx.name("enrolment"))
    iy = open_years(reg, ctx.years, reg["stages"].map(len).gt(0).to_numpy())
    iy["reports"] = reporting(rng, iy, 1)
    grades = cohorts.simulate(ctx, targets).grades.merge(iy, on=["inst", "year"])
    grades["pupils"] = np.rint(grades["pupils"].to_numpy())
    keys = ["inst", "year", "stage", "region", "reports"]
    stages = grades.groupby(keys, as_index=False, sort=False)["pupils"].sum()
    stages = stages.sort_values(["inst", "year"], kind="stable", ignore_index=True)
    return stages[["inst", "year", "stage", "region", "pupils", "reports"]], grades


def grade_rows(ctx: FactContext, grades: pd.DataFrame) -> pd.DataFrame:
    """The reported grade rows with girls and classes."""
    reg = ctx.registry
    rng = stream(ctx.seed, ctx.name("grades"))
    rows = grades[grades["reports"]].reset_index(drop=True).copy()
    rows["pupils"] = rows["pupils"].astype(np.int64)
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
