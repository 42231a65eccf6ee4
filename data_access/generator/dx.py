"""DX index assessments 2022–2025 with the QĐ 4725 criteria (levels by group bands)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from data_access.generator.common import FactContext, open_years
from data_access.generator.rng import stream

DX_YEARS = (2022, 2023, 2024, 2025)
#: Mean share of points reached per group and school year (assumed steady progress).
BASE_SHARE = {
    1: {2022: 0.50, 2023: 0.57, 2024: 0.64, 2025: 0.70},
    2: {2022: 0.55, 2023: 0.62, 2024: 0.68, 2025: 0.74},
}
MISSING = 0.03
RETURNED_LATEST = 0.02
DOCUMENTS = (
    "Kế hoạch",
    "Quyết định",
    "Báo cáo",
    "Biên bản",
    "Ảnh chụp màn hình hệ thống",
    "Danh sách tài khoản",
    "Thống kê truy cập",
)


def band(total: np.ndarray) -> np.ndarray:
    """Level of a group total (0–100): <50 → 1, 50–75 → 2, >75 → 3."""
    return np.where(total < 50, 1, np.where(total <= 75, 2, 3))


def _half(values: np.ndarray) -> np.ndarray:
    return np.round(values * 2) / 2


def dx_frames(
    ctx: FactContext, criteria: pd.DataFrame, detail_years: tuple[int, ...], first_id: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """DxAssessment and DxScore rows for general and continuing education schools.

    Per-criterion scores exist for ``detail_years``; other years carry group totals only.
    Group 2 totals are a share of its 90 listed points on a 0–100 scale.
    """
    rng = stream(ctx.seed, ctx.name("dx"))
    reg = ctx.registry
    eligible = (
        ((reg["kind"] == "school") & (reg["level"] != "preschool"))
        | (reg["kind"] == "continuing_education")
    ).to_numpy()
    years = [y for y in DX_YEARS if y in ctx.years]
    iy = open_years(reg, years, eligible)
    iy = iy[rng.random(len(iy)) >= MISSING].reset_index(drop=True)
    n = len(iy)
    inst = iy["inst"].to_numpy()
    year = iy["year"].to_numpy()
    quality = reg["quality"].to_numpy()[inst]
    public = reg["ownership"].to_numpy()[inst] == "public"
    share = {
        g: np.clip(
            np.array([BASE_SHARE[g][y] for y in year])
            + 0.08 * quality
            + 0.03 * public
            + rng.normal(0, 0.1, n),
            0.05,
            1.0,
        )
        for g in (1, 2)
    }
    ids = np.arange(first_id, first_id + n)
    crit = criteria.reset_index(drop=True)
    maxp = crit["max_points"].to_numpy()
    mandatory = crit["mandatory"].to_numpy()
    group = crit["group"].to_numpy()
    totals = {g: float(maxp[group == g].sum()) for g in (1, 2)}
    detail = np.isin(year, detail_years)
    self_g = {g: _half(100 * share[g]) for g in (1, 2)}
    rev_g = {g: np.maximum(0, self_g[g] - _half(np.abs(rng.normal(0, 3, n)))) for g in (1, 2)}
    met = rng.random((n, len(crit))) < np.clip(0.96 + 0.02 * quality, 0.7, 1.0)[:, None]
    score_rows = pd.DataFrame(
        columns=["assessment_id", "criterion_id", "self_score", "reviewed_score", "evidence"]
    )
    rows_idx = np.flatnonzero(detail)
    if len(rows_idx):
        frac = np.stack([share[g][rows_idx] for g in group], axis=1)
        frac = np.clip(frac + rng.normal(0, 0.15, frac.shape), 0, 1)
        self_s = np.where(
            mandatory, met[rows_idx].astype(float), np.minimum(_half(frac * maxp), maxp)
        )
        cut = rng.random(self_s.shape) < 0.15
        rev_s = np.where(
            cut & ~mandatory, np.maximum(0, self_s - 0.5 * rng.integers(1, 5, self_s.shape)), self_s
        )
        for g in (1, 2):
            cols = (group == g) & ~mandatory
            self_g[g][rows_idx] = _half(self_s[:, cols].sum(axis=1) / totals[g] * 100)
            rev_g[g][rows_idx] = _half(rev_s[:, cols].sum(axis=1) / totals[g] * 100)
        doc = rng.integers(len(DOCUMENTS), size=self_s.shape).ravel()
        num = rng.integers(1, 300, size=self_s.shape).ravel()
        yrs = np.repeat(year[rows_idx], len(crit))
        flat = self_s.ravel()
        evidence = [
            f"{DOCUMENTS[d]} số {m}/{y}" if v > 0 else None
            for d, m, y, v in zip(doc, num, yrs, flat, strict=True)
        ]
        score_rows = pd.DataFrame(
            {
                "assessment_id": np.repeat(ids[rows_idx], len(crit)),
                "criterion_id": np.tile(crit["id"].to_numpy(), len(rows_idx)),
                "self_score": flat,
                "reviewed_score": rev_s.ravel(),
                "evidence": evidence,
            }
        )
    mandatory_met = np.ones(n, dtype=bool)
    mandatory_met[:] = met[:, mandatory].all(axis=1)
    returned = (year == max(years)) & (rng.random(n) < RETURNED_LATEST)
    level = np.minimum(band(rev_g[1]), band(rev_g[2])).astype(float)
    submitted = [
        date(int(y) + 1, 5, 1) + timedelta(days=int(d))
        for y, d in zip(year, rng.integers(0, 45, n), strict=True)
    ]
    published = [
        None if r else date(int(y) + 1, 6, 20) - timedelta(days=int(d))
        for y, r, d in zip(year, returned, rng.integers(0, 10, n), strict=True)
    ]
    assessments = pd.DataFrame(
        {
            "id": ids,
            "institution_id": reg["id"].to_numpy()[inst],
            "set_id": 1,
            "school_year": year,
            "status": np.where(returned, "returned", "published"),
            "self_group1": self_g[1],
            "self_group2": self_g[2],
            "reviewed_group1": np.where(returned, np.nan, rev_g[1]),
            "reviewed_group2": np.where(returned, np.nan, rev_g[2]),
            "mandatory_met": mandatory_met,
            "level": pd.array(np.where(returned, np.nan, level), dtype="Int64"),
            "submitted_on": submitted,
            "published_on": published,
            "generated": True,
        }
    )
    scores = score_rows
    returned_ids = set(ids[returned])
    scores.loc[scores["assessment_id"].isin(returned_ids), "reviewed_score"] = np.nan
    return assessments, scores
