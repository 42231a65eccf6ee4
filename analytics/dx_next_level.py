"""What a school needs to reach the next DX level in each criteria group (Decision 4725).

For one assessment, each group's current total (0–100), its level (:func:`dx_index.band`) and,
when the group is below level 3, the smallest set of criteria not yet met whose points lift
the group to the next level, with the group's unmet mandatory conditions first.

How points are counted (see ``data_access/reference/dx.py`` and the criteria README):

- A criterion's current score is its reviewed score once reviewed, else its self-assessed
  score; a criterion without a score counts 0. It is *met* when its score reaches its maximum;
  meeting it gains ``max_points − score``.
- A group's total is the sum of its non-mandatory scores over the sum of their maximum
  points, × 100 (group 2 lists 90 points, so each of its points is worth 100/90 on the scale).
- Mandatory conditions (``mandatory`` true in the criteria data, 0 points) score 1 when met,
  0 when not. They add no points; whether failing one caps the level is not confirmed by what
  we could read of the decision, so they never change the level here. An unmet one is listed
  first in every group's plan, since the decision requires it whatever the points.

Why taking the largest gains first gives the fewest criteria
-------------------------------------------------------------
Let the unmet criteria have gains g₁ ≥ g₂ ≥ … ≥ gₙ and let the group need a total gain that
satisfies a monotone condition (≥ 50 for level 2, > 75 for level 3). Any set S of k criteria
gains Σ_{i∈S} gᵢ ≤ g₁ + … + g_k, because the k largest gains dominate any k gains term by term.
So if some set of k criteria reaches the threshold, the prefix of the k largest does too, and
the first prefix that reaches it has the minimal count. The tests check this against brute
force over every subset on small random cases (Hypothesis).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.dx_index import GROUPS, band

#: Group totals are compared after rounding: 45/90 × 100 must be 50, not 49.999….
DECIMALS = 6
#: Level → (threshold on the 0–100 scale, whether the total must exceed it).
THRESHOLDS = {2: (50.0, False), 3: (75.0, True)}
CRITERIA_COLUMNS = ["code", "group", "title_vi", "max_points", "mandatory"]
SCORE_COLUMNS = ["code", "self_score", "reviewed_score"]


@dataclass(frozen=True)
class Step:
    """One criterion to meet: its code, title, points now and at most, and the gain on the
    group's 0–100 scale."""

    code: str
    title_vi: str
    mandatory: bool
    points: float
    max_points: float
    gain: float


@dataclass(frozen=True)
class GroupPlan:
    """One group's position and what it takes to reach its next level.

    ``target_level`` is None at level 3; ``points_needed`` is the gap to the threshold on the
    0–100 scale (for level 3 the total must *exceed* 75, see ``must_exceed``); ``reachable``
    is False when meeting every unmet criterion would still not suffice (missing scores).
    """

    group: int
    points: float
    level: int
    target_level: int | None
    threshold: float | None
    must_exceed: bool
    points_needed: float
    reachable: bool
    steps: list[Step] = field(default_factory=list)


def reaches(total: float, level: int) -> bool:
    """Whether a group total (0–100) is at ``level`` or above."""
    return int(band(round(total, DECIMALS))) >= level


def fewest(gains: np.ndarray, current: float, target: int) -> np.ndarray | None:
    """Positions in ``gains`` of the fewest items whose sum lifts ``current`` to ``target``.

    Largest gains first (ties: the earlier position), which is minimal in count (module
    docstring). Returns an empty array when ``current`` is there already, None when even
    every gain is not enough.
    """
    if reaches(current, target):
        return np.array([], dtype=int)
    order = np.argsort(-np.asarray(gains, dtype=float), kind="stable")
    totals = current + np.cumsum(np.asarray(gains, dtype=float)[order])
    for count, total in enumerate(totals, start=1):
        if reaches(float(total), target):
            return order[:count]
    return None


def _scored(criteria: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """The criteria with their current score (reviewed, else self, else 0)."""
    if "mandatory" not in criteria:  # a criteria set without flags: none is mandatory
        criteria = criteria.assign(mandatory=False)
    table = criteria[CRITERIA_COLUMNS].merge(scores[SCORE_COLUMNS], on="code", how="left")
    current = pd.to_numeric(table["reviewed_score"], errors="coerce").fillna(
        pd.to_numeric(table["self_score"], errors="coerce")
    )
    table["score"] = current.fillna(0.0).astype(float)
    table["mandatory"] = table["mandatory"].astype(bool)
    table["max_points"] = table["max_points"].astype(float)
    return table


def _group_plan(group: int, rows: pd.DataFrame) -> GroupPlan:
    mandatory = rows["mandatory"].to_numpy()
    scored = rows[~mandatory]
    most = float(scored["max_points"].sum())
    scale = 100.0 / most if most else 0.0
    points = round(float(scored["score"].clip(upper=scored["max_points"]).sum()) * scale, DECIMALS)
    level = int(band(points))
    unmet_mandatory = rows[mandatory & (rows["score"] < 1)]
    steps = [
        Step(str(r.code), str(r.title_vi), True, float(r.score), float(r.max_points), 0.0)
        for r in unmet_mandatory.itertuples()
    ]
    if level >= max(THRESHOLDS):
        return GroupPlan(group, points, level, None, None, False, 0.0, True, steps)
    target = level + 1
    threshold, must_exceed = THRESHOLDS[target]
    unmet = scored[scored["score"] < scored["max_points"]]
    gains = ((unmet["max_points"] - unmet["score"]) * scale).to_numpy()
    chosen = fewest(gains, points, target)
    picked = unmet.iloc[chosen] if chosen is not None else unmet
    picked_gains = gains[chosen] if chosen is not None else gains
    steps += [
        Step(str(r.code), str(r.title_vi), False, float(r.score), float(r.max_points), gain)
        for r, gain in zip(picked.itertuples(), picked_gains, strict=True)
    ]
    needed = round(max(threshold - points, 0.0), DECIMALS)
    return GroupPlan(
        group, points, level, target, threshold, must_exceed, needed, chosen is not None, steps
    )


def next_level(criteria: pd.DataFrame, scores: pd.DataFrame) -> list[GroupPlan]:
    """Each group's position and its plan to the next level.

    Parameters
    ----------
    criteria
        The criteria of the assessment's set: ``code, group, title_vi, max_points,
        mandatory``.
    scores
        The assessment's scores per criterion: ``code, self_score, reviewed_score``
        (reviewed missing until the review); criteria without a row count 0.

    Returns
    -------
    list of GroupPlan
        One per group of :data:`dx_index.GROUPS` that has criteria, in group order. Steps:
        unmet mandatory conditions (in criteria order), then the fewest criteria to meet,
        largest gain first.
    """
    table = _scored(criteria, scores)
    return [
        _group_plan(group, table[table["group"] == group])
        for group in GROUPS
        if (table["group"] == group).any()
    ]


def _gap(scores: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Points one group lacks to reach ``target`` (0 when there; NaN when no target)."""
    threshold = np.select([target == 2, target == 3], [50.0, 75.0], np.nan)
    return np.where(band(scores) >= target, 0.0, threshold - scores)


def closest(schools: pd.DataFrame, *, limit: int = 10) -> pd.DataFrame:
    """The schools below level 3 that lack the fewest group points to their next overall
    level (the lower of the two group bands, :func:`dx_index.overall_level`).

    Parameters
    ----------
    schools
        One school year of :func:`dx_index.school_table` (``institution_id, name,
        self_group1/2, reviewed_group1/2``).
    limit
        How many schools to keep.

    Returns
    -------
    pandas.DataFrame
        ``institution_id, name, basis`` (``reviewed`` or ``self``: reviewed totals once
        there are some), ``group1, group2, level, target_level, points_needed`` (summed over
        the groups below the target; for level 3 a group must then *exceed* 75). Fewest
        points first, ties by name. Schools without scores are left out.
    """
    columns = [
        "institution_id",
        "name",
        "basis",
        "group1",
        "group2",
        "level",
        "target_level",
        "points_needed",
    ]
    reviewed = schools["reviewed_group1"].notna() & schools["reviewed_group2"].notna()
    frame = pd.DataFrame(
        {
            "institution_id": schools["institution_id"],
            "name": schools["name"],
            "basis": np.where(reviewed, "reviewed", "self"),
            "group1": schools["reviewed_group1"].where(reviewed, schools["self_group1"]),
            "group2": schools["reviewed_group2"].where(reviewed, schools["self_group2"]),
        }
    ).dropna(subset=["group1", "group2"])
    if frame.empty:
        return pd.DataFrame(columns=columns)
    g1, g2 = frame["group1"].to_numpy(float), frame["group2"].to_numpy(float)
    frame["level"] = np.minimum(band(g1), band(g2))
    frame = frame[frame["level"] < 3].copy()
    target = frame["level"].to_numpy() + 1
    frame["target_level"] = target
    frame["points_needed"] = _gap(frame["group1"].to_numpy(float), target) + _gap(
        frame["group2"].to_numpy(float), target
    )
    frame = frame.sort_values(["points_needed", "name", "institution_id"], ignore_index=True)
    return frame.head(limit)[columns]
