"""Domains 5, 6 and 7: non-public units' activity, pupils' health, administration."""

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

#: Health-check findings per stage (HCMC school health reports show high overweight rates).
OVERWEIGHT = {"preschool": 0.12, "primary": 0.27, "lower_secondary": 0.20, "upper_secondary": 0.12}
UNDERWEIGHT = {"preschool": 0.05, "primary": 0.04, "lower_secondary": 0.05, "upper_secondary": 0.07}
MYOPIA = {"preschool": 0.02, "primary": 0.14, "lower_secondary": 0.30, "upper_secondary": 0.42}
#: Learners, staff and courses of a typical unit of each licensed kind (medians).
NONPUBLIC = {
    "language_it_centre": (600, 18, 25),
    "study_abroad": (150, 8, 4),
    "life_skills": (400, 12, 15),
    "representative_office": (0, 4, 0),
}


def health_frame(ctx: FactContext, stages: pd.DataFrame) -> pd.DataFrame:
    """FactHealth rows of schools: health checks, insurance, conduct, life skills."""
    rng = stream(ctx.seed, ctx.name("health"))
    reg = ctx.registry
    rows = stages[reg["kind"].to_numpy()[stages["inst"].to_numpy()] != "continuing_education"]
    iy = rows[["inst", "year"]].drop_duplicates().reset_index(drop=True)
    iy = iy[reporting(rng, iy, 6)]
    rows = rows.merge(iy, on=["inst", "year"])
    pupils = np.rint(rows["pupils"].to_numpy()).astype(np.int64)
    examined = binomial(rng, pupils, rng.uniform(0.9, 1.0, len(rows)))
    year = rows["year"].to_numpy()
    trend = 1 + 0.015 * (year - 2015)
    part = pd.DataFrame(
        {
            "inst": rows["inst"].to_numpy(),
            "year": year,
            "pupils_examined": examined,
            "overweight": binomial(rng, examined, rows["stage"].map(OVERWEIGHT).to_numpy() * trend),
            "underweight": binomial(rng, examined, rows["stage"].map(UNDERWEIGHT).to_numpy()),
            "myopia": binomial(rng, examined, rows["stage"].map(MYOPIA).to_numpy() * trend),
            "insured": binomial(rng, pupils, np.where(rows["stage"] == "preschool", 0.9, 0.975)),
            "conduct_good": binomial(rng, pupils, rng.uniform(0.82, 0.96, len(rows))),
            "life_skills_participants": binomial(rng, pupils, rng.uniform(0.3, 0.85, len(rows))),
        }
    )
    frame = part.groupby(["inst", "year"], as_index=False).sum()
    return pd.concat([fact_keys(ctx, frame, 6), frame.drop(columns=["inst", "year"])], axis=1)


def admin_frame(ctx: FactContext, stages: pd.DataFrame) -> pd.DataFrame:
    """FactAdmin rows of schools and centres for continuing education: awards, inspections,
    documents (more of them online every year) and IT incidents."""
    rng = stream(ctx.seed, ctx.name("admin"))
    reg = ctx.registry
    size = stages.groupby(["inst", "year"], as_index=False)["pupils"].sum()
    size = size[reporting(rng, size, 7)].reset_index(drop=True)
    n = len(size)
    year = size["year"].to_numpy()
    pupils = size["pupils"].to_numpy()
    quality = reg["quality"].to_numpy()[size["inst"].to_numpy()]
    documents = np.rint(150 + pupils * 0.25 * lognormal_noise(rng, n, 0.3)).astype(np.int64)
    online = np.clip(0.2 + 0.08 * (year - 2015) + rng.normal(0, 0.05, n), 0.05, 0.99)
    inspections = rng.poisson(0.6, n)
    values = pd.DataFrame(
        {
            "awards": rng.poisson(np.clip(3 + 2 * quality + pupils / 500, 0.2, None)),
            "disciplinary_cases": rng.poisson(np.clip(0.3 - 0.1 * quality, 0.02, None)),
            "inspections": inspections,
            "inspection_findings": binomial(rng, inspections * 3, 0.2),
            "documents_processed": documents,
            "documents_online": binomial(rng, documents, online),
            "it_incidents": rng.poisson(np.clip(1.5 - 0.1 * (year - 2015), 0.3, None)),
        }
    )
    return pd.concat([fact_keys(ctx, size, 7), values], axis=1)


def nonpublic_frame(ctx: FactContext) -> pd.DataFrame:
    """FactNonPublic rows of licensed units (centres, consultancies, offices) per open year.

    Suspended units had at least one violation found in the latest year.
    """
    rng = stream(ctx.seed, ctx.name("nonpublic"))
    reg = ctx.registry
    licensed = reg["kind"].isin(list(NONPUBLIC)).to_numpy()
    iy = open_years(reg, ctx.years, licensed)
    iy = iy[reporting(rng, iy, 5)].reset_index(drop=True)
    inst = iy["inst"].to_numpy()
    n = len(iy)
    medians = np.array([NONPUBLIC[k] for k in reg["kind"].to_numpy()[inst]], dtype=float)
    scale = lognormal_noise(rng, n, 0.6)
    covid = np.where(np.isin(iy["year"].to_numpy(), (2020, 2021)), 0.6, 1.0)
    staff = np.maximum(1, np.rint(medians[:, 1] * scale)).astype(np.int64)
    inspections = rng.poisson(0.5, n)
    suspended = (reg["licence_status"].to_numpy()[inst] == "suspended") & (
        iy["year"].to_numpy() == max(ctx.years)
    )
    inspections = np.where(suspended, np.maximum(inspections, 1), inspections)
    violations = binomial(rng, inspections, 0.15)
    violations = np.where(suspended, np.maximum(violations, 1), violations)
    values = pd.DataFrame(
        {
            "learners": np.rint(medians[:, 0] * scale * covid).astype(np.int64),
            "staff": staff,
            "foreign_staff": binomial(rng, staff, 0.15),
            "courses": np.rint(medians[:, 2] * scale).astype(np.int64),
            "inspections": inspections.astype(np.int64),
            "violations": violations.astype(np.int64),
        }
    )
    return pd.concat([fact_keys(ctx, iy, 5), values], axis=1)
