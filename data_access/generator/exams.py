"""Domain 4: grade-10 entrance and graduation exam results per school."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from data_access.generator.common import FactContext, fact_keys, reporting
from data_access.generator.rng import stream

SUBJECTS = (
    "toan",
    "ngu_van",
    "vat_li",
    "hoa_hoc",
    "ngoai_ngu",
    "lich_su",
    "dia_li",
    "sinh_hoc",
    "gdktpl",
    "tin_hoc",
)
#: Share of grade-9 pupils who sit the public grade-10 entrance exam (press 2024-25:
#: 109,720 registered of 129,382 graduates ≈ 0.85).
GRADE10_SITTING = (0.80, 0.92)
#: Share of grade-10 candidates admitted to a public high school (assumed, ≈ HCMC's 70%).
GRADE10_ADMITTED = 0.70
#: A candidate graduates when half exam average + half transcript average reaches 5.
PASS_MARK = 5.0


def read_exam_sample(shared: Path) -> np.ndarray:
    """Average subject score of each candidate of the Hà Nội 2025 sample (≥ 3 subjects)."""
    scores = pd.read_csv(
        shared / "exams/exam_thpt2025_hanoi_sample_scores.csv", usecols=list(SUBJECTS)
    )
    counted = scores.notna().sum(axis=1)
    averages = scores.mean(axis=1)[counted >= 3]
    return averages.to_numpy(float)


def exam_frame(ctx: FactContext, grades: pd.DataFrame, sample: np.ndarray) -> pd.DataFrame:
    """FactExam rows: ``grade10`` for schools with grade 9, ``graduation`` for grade 12.

    Graduation candidates' exam averages are drawn from the real Hà Nội score distribution,
    shifted by the school's quality (real schools: their cut-off rank); the graduation rate
    blends exam and transcript. Grade-10 scores are normal around 6 (no real distribution);
    the admitted share uses the region-year cut-off that admits :data:`GRADE10_ADMITTED`.
    """
    rng = stream(ctx.seed, ctx.name("exams"))
    reg = ctx.registry
    kind = reg["kind"].to_numpy()
    rows = grades[
        (grades["grade"].isin((9, 12)))
        & (kind[grades["inst"].to_numpy()] != "international_school")
    ]
    rows = rows[reporting(rng, rows, 4)].reset_index(drop=True)
    inst = rows["inst"].to_numpy()
    quality = reg["quality"].to_numpy()[inst]
    year_shift = {y: rng.normal(0, 0.15) for y in sorted(rows["year"].unique())}
    shift = rows["year"].map(year_shift).to_numpy() + 0.45 * quality
    shift = np.where(kind[inst] == "continuing_education", shift - 0.8, shift)
    grade10 = rows["grade"].to_numpy() == 9
    sitting = rng.uniform(*GRADE10_SITTING, len(rows))
    candidates = np.where(
        grade10, np.rint(rows["pupils"] * sitting), np.rint(rows["pupils"] * 0.985)
    ).astype(np.int64)
    candidates = np.maximum(candidates, 1)
    owner = np.repeat(np.arange(len(rows)), candidates)
    draws = np.where(
        np.repeat(grade10, candidates),
        rng.normal(6.0, 1.5, owner.size),
        rng.choice(sample, owner.size),
    )
    scores = np.clip(draws + shift[owner], 0.0, 10.0)
    transcript = np.clip(rng.normal(7.6 + 0.3 * quality[owner], 0.7), 0.0, 10.0)
    passed_grad = (0.5 * scores + 0.5 * transcript) >= PASS_MARK
    region_year = rows["region"].astype(str) + "/" + rows["year"].astype(str)
    key = region_year.to_numpy()[owner]
    cutoffs = (
        pd.Series(scores[np.repeat(grade10, candidates)])
        .groupby(key[np.repeat(grade10, candidates)])
        .quantile(1 - GRADE10_ADMITTED)
    )
    admitted = scores >= pd.Series(key).map(cutoffs).fillna(0.0).to_numpy()
    passed = np.where(np.repeat(grade10, candidates), admitted, passed_grad)
    mean = np.bincount(owner, scores, len(rows)) / candidates
    rate = np.bincount(owner, passed, len(rows)) / candidates
    frame = pd.DataFrame(
        {
            "inst": inst,
            "year": rows["year"].to_numpy(),
            "exam": np.where(grade10, "grade10", "graduation"),
            "candidates": candidates,
            "mean_score": np.round(mean, 2),
            "pass_rate": np.round(rate, 4),
        }
    )
    keys = fact_keys(ctx, frame, 4)
    return pd.concat([keys, frame.drop(columns=["inst", "year"])], axis=1)
