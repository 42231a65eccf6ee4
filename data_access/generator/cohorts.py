"""Pupils by school, grade and year as cohorts: each grade comes from the grade below a year
earlier (progression, repetition, drop-out, movement), entry grades from births and transition.

The simulation runs year by year over every open institution at once (numpy arrays of
institution × grade). Calibration acts on flows, never on the results: one factor per
region, level and year multiplies the level's intake and its net migration so that the
level's total over *all* open schools (reporting or not) equals the target. docs/data.md
§3.2 describes every rate and its source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.generator.common import FactContext, open_years
from data_access.generator.rng import stream
from data_access.generator.targets import STAGE_GRADES, STAGES

GRADES = np.arange(13)
#: Level (stage) of each grade 0–12.
GRADE_STAGE = np.array([s for s in STAGES for _ in STAGE_GRADES[s]])
STAGE_INDEX = {s: i for i, s in enumerate(STAGES)}
#: Grades that take new pupils from outside the school: preschool (ages 1–5, one row),
#: grade 1 (births six years earlier), grade 6 and grade 10 (the district's pupils leaving
#: grade 5 / grade 9 the year before).
ENTRY_GRADES = (0, 1, 6, 10)
#: Share of each age 1–5 in preschool, relative to the births of that year (nursery ages
#: enrol less; HCMC's preschool pupils are about 3.3 birth cohorts).
PRESCHOOL_AGE_WEIGHT = np.array([0.15, 0.45, 0.85, 0.95, 0.95])
#: Repetition and drop-out per grade, 2015 (they fall by a third over 2015–25, as in the
#: year-end outcomes of enrolment.outcome_frame).
REPEAT = np.array([0, *[0.006] * 5, *[0.015] * 4, *[0.02] * 3])
DROP = np.array([0, *[0.0015] * 5, *[0.008] * 4, *[0.015] * 3])
#: Movement between schools of a catchment each year (transfers, beyond net migration).
MOBILITY = 0.05
#: Size of a school in its first years of intake, and in its last year.
RAMP = (0.45, 0.7, 0.9)
WIND_DOWN = 0.8
OVERCROWDED_SIZE = 1.3
#: Noise (sd of logs): a school's yearly drift of attractiveness; its entry intake; its
#: continuing grades (transfers, a grade more or less); a catchment's yearly migration
#: shock (AR(1) with this persistence); a catchment's migration and birth trends.
SCHOOL_DRIFT = 0.04
ENTRY_NOISE = 0.07
CONTINUING_NOISE = 0.03
MIGRATION_SHOCK, MIGRATION_PERSISTENCE = 0.025, 0.5
MIGRATION_TREND = 0.015
BIRTH_TREND, BIRTH_NOISE = 0.02, 0.04
#: City-wide births: falling 1.5 %/year after 2016 (HCMC's fertility fell to ~1.4 by 2022).
BIRTH_DECLINE_FROM, BIRTH_DECLINE = 2016, 0.015


FACTOR_COLUMNS = ["region", "stage", "year", "factor"]


@dataclass
class Cohorts:
    """The simulated pupils and the factors that calibrated them."""

    #: ``inst, year, grade, stage, region, pupils`` (floats) for every open institution-year.
    grades: pd.DataFrame
    #: ``region, stage, year, factor``: intake and migration multiplier per level and year.
    factors: pd.DataFrame


def _catchments(ctx: FactContext) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Ward and district catchment codes of every institution (integers) and ward keys."""
    reg = ctx.registry
    wards = reg["pre_unit"].astype(str).to_numpy()
    district = ctx.district if ctx.district is not None else pd.Series(dtype=object)
    mapped = pd.Series(wards).map(district).astype(object)
    districts = np.where(mapped.notna(), mapped, wards).astype(str)
    ward_codes, ward_keys = pd.factorize(wards)
    district_codes, _ = pd.factorize(districts)
    return ward_codes, district_codes, list(ward_keys)


def _births(
    ctx: FactContext, rng: np.random.Generator, ward_keys: list[str], first: int, last: int
) -> np.ndarray:
    """Births per ward catchment and birth year ``first..last`` (rows: wards)."""
    base = pd.Series(ward_keys).map(ctx.births) if ctx.births is not None else None
    level = base.fillna(base.median()).to_numpy(float) if base is not None else None
    if level is None or np.isnan(level).all():
        level = np.ones(len(ward_keys))
    years = np.arange(first, last + 1)
    decline = -BIRTH_DECLINE * np.clip(years - BIRTH_DECLINE_FROM, 0, None)
    trend = rng.normal(0.0, BIRTH_TREND, len(ward_keys))[:, None] * (years - 2015)[None, :]
    noise = rng.normal(0.0, BIRTH_NOISE, (len(ward_keys), len(years)))
    return level[:, None] * np.exp(decline[None, :] + trend + noise)


def _migration(rng: np.random.Generator, n: int, years: int) -> np.ndarray:
    """Net-migration factor per ward catchment and year (a trend plus AR(1) shocks)."""
    trend = rng.normal(0.0, MIGRATION_TREND, n)
    shocks = np.zeros((n, years))
    for j in range(1, years):
        shocks[:, j] = MIGRATION_PERSISTENCE * shocks[:, j - 1] + rng.normal(
            0.0, MIGRATION_SHOCK, n
        )
    return np.exp(trend[:, None] + shocks)


def _share(values: np.ndarray, weights: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Spread ``values`` summed per group over the group's members in proportion to weight;
    groups whose members all have weight 0 keep nothing (returned as the lost total)."""
    n = groups.max() + 1 if len(groups) else 0
    pool = np.bincount(groups, weights=values, minlength=n)
    total = np.bincount(groups, weights=weights, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total[groups] > 0, pool[groups] * weights / total[groups], 0.0)
    return out


def _two_level(
    pool: np.ndarray, weights: np.ndarray, ward: np.ndarray, district: np.ndarray
) -> np.ndarray:
    """Share a per-institution pool within the ward; pools of wards without an eligible
    institution go to the district's eligible institutions."""
    n_ward = ward.max() + 1
    has = np.bincount(ward, weights=weights, minlength=n_ward) > 0
    inside = _share(pool * has[ward], weights, ward)
    return inside + _share(pool * ~has[ward], weights, district)


def simulate(ctx: FactContext, targets: pd.DataFrame, *, passes: int = 12) -> Cohorts:
    """Run the cohort model for ``ctx.years`` and calibrate it to ``targets``.

    Parameters
    ----------
    ctx
        Registry (with ``stages, pre_unit, region, size, opened_year, closed_year,
        overcrowded``), years and seed; ``ctx.births`` / ``ctx.district`` give each ward's
        yearly births and its district (flat births and ward-only catchments without them).
    targets
        Pupils per ``region, stage, year`` over all open institutions; an ``anchor`` column
        (default all True) says which of them are published figures. Anchors hold exactly;
        between anchors the calibration factor is interpolated (log-linear) between the
        anchors (one constant yearly rate per stretch, so flows stay smooth and the model's
        own cohorts make the path).
    passes
        Runs used to settle the rates between anchors (the first run calibrates every
        year; the random draws are the same in every run).

    Returns
    -------
    Cohorts
    """
    setup = _setup(ctx)
    goal = targets.set_index(["region", "stage", "year"])
    anchor = goal["anchor"] if "anchor" in goal else pd.Series(True, index=goal.index)
    guess: dict[tuple[str, str], np.ndarray] | None = None  # first pass: every year exact
    tried: dict[tuple[str, str, int], list[tuple[float, float]]] = {}
    for _ in range(max(1, passes)):
        out, factors = _run(ctx, setup, goal["pupils"], anchor, guess)
        guess = _segment_rates(factors, anchor, list(ctx.years), guess, tried)
    return Cohorts(
        grades=_long(out, list(ctx.years), ctx.registry, setup["offers"]), factors=factors
    )


def _setup(ctx: FactContext) -> dict[str, np.ndarray]:
    """Everything drawn once: grades offered, catchments, births, migration, school drift."""
    reg = ctx.registry
    rng = stream(ctx.seed, ctx.name("cohorts"))
    years = list(ctx.years)
    n = len(reg)
    offers = np.zeros((n, len(GRADES)), dtype=bool)
    for i, stages in enumerate(reg["stages"]):
        for stage in stages:
            offers[i, list(STAGE_GRADES[stage])] = True
    ward, district, ward_keys = _catchments(ctx)
    first_birth = years[0] - 17
    regions, region = np.unique(reg["region"].astype(str).to_numpy(), return_inverse=True)
    size = reg["size"].to_numpy(float) * np.where(reg["overcrowded"], OVERCROWDED_SIZE, 1.0)
    return {
        "offers": offers,
        "ward": ward,
        "district": district,
        "first_birth": np.array(first_birth),
        "births": _births(ctx, rng, ward_keys, first_birth, years[-1]),
        "migration": _migration(rng, len(ward_keys), len(years)),
        "drift": np.exp(np.cumsum(rng.normal(0.0, SCHOOL_DRIFT, (n, len(years))), axis=1)),
        "regions": regions,
        "region": region,
        "size": size,
        "opened": reg["opened_year"].to_numpy(float),
        "closed": reg["closed_year"].to_numpy(float),
    }


def _run(
    ctx: FactContext,
    setup: dict[str, np.ndarray],
    goal: pd.Series,
    anchor: pd.Series,
    guess: dict[tuple[str, str], np.ndarray] | None,
) -> tuple[list[np.ndarray], pd.DataFrame]:
    """One pass over the years: flows, then one calibration factor per region and level."""
    rng = stream(ctx.seed, ctx.name("cohorts:flows"))
    years = list(ctx.years)
    opened, closed = setup["opened"], setup["closed"]
    secondary = np.isin(GRADE_STAGE, ("lower_secondary", "upper_secondary"))
    pupils = np.zeros((len(opened), len(GRADES)))
    out, factors = [], []
    entry_rate = np.ones((len(setup["regions"]), len(GRADES)))
    for j, year in enumerate(years):
        age = year - opened
        is_open = (opened <= year) & (np.isnan(closed) | (closed > year))
        ramp = np.where(age < len(RAMP), np.take(RAMP, np.clip(age, 0, 2).astype(int)), 1.0)
        weight = setup["size"] * setup["drift"][:, j] * ramp
        weight = np.where(is_open, weight * np.where(closed == year + 1, WIND_DOWN, 1.0), 0.0)
        trend = 1.0 - (year - years[0]) / 30.0
        pupils = _step(
            pupils if j else None,
            cohort=_cohort_sizes(setup["births"], int(setup["first_birth"]), year),
            offers=setup["offers"],
            weight=weight,
            migration=setup["migration"][setup["ward"], j],
            ward=setup["ward"],
            district=setup["district"],
            secondary=secondary,
            promote=1.0 - trend * (REPEAT + DROP),
            repeat=trend * REPEAT,
            entry_rate=entry_rate[setup["region"]],
            rng=rng,
        )
        pupils[~is_open] = 0.0
        pupils[~setup["offers"]] = 0.0
        for r, code in enumerate(setup["regions"]):
            rows = setup["region"] == r
            for stage in STAGES:
                block = np.ix_(rows, stage == GRADE_STAGE)
                have = pupils[block].sum()
                key = (code, stage, year)
                if j == 0 or guess is None or bool(anchor.get(key, True)):
                    want = float(goal.get(key, 0.0))
                    factor = want / have if have > 0 else 0.0
                else:
                    factor = float(guess[(code, stage)][j])
                pupils[block] *= factor
                factors.append((code, stage, year, factor))
        if j == 0:
            entry_rate = _entry_rates(pd.DataFrame(factors, columns=FACTOR_COLUMNS), setup)
        out.append(pupils.copy())
    return out, pd.DataFrame(factors, columns=FACTOR_COLUMNS)


def _entry_rates(first: pd.DataFrame, setup: dict[str, np.ndarray]) -> np.ndarray:
    """Intake and transition rates per region and entry grade implied by the first year.

    The first year shares each birth cohort over the schools and scales every level to its
    target; the scale of a level is its enrolment rate per birth cohort. Entry into
    preschool and grade 1 keeps that rate, entry into grade 6 (10) the ratio of the lower
    (upper) secondary rate to the primary (lower secondary) one.
    """
    rate = first.set_index(["region", "stage"])["factor"]
    out = np.ones((len(setup["regions"]), len(GRADES)))
    for r, code in enumerate(setup["regions"]):
        level = {s: float(rate.get((code, s), 1.0)) or 1.0 for s in STAGES}
        out[r, 0] = level["preschool"]
        out[r, 1] = level["primary"]
        out[r, 6] = level["lower_secondary"] / level["primary"]
        out[r, 10] = level["upper_secondary"] / level["lower_secondary"]
    return out


def _segment_rates(
    factors: pd.DataFrame,
    anchor: pd.Series,
    years: list[int],
    guess: dict[tuple[str, str], np.ndarray] | None,
    tried: dict[tuple[str, str, int], list[tuple[float, float]]],
) -> dict[tuple[str, str], np.ndarray]:
    """Per region and level, one constant yearly rate between consecutive anchors.

    The first guess is the geometric mean of the factors a run calibrated every year; then
    the rate ``c`` of the years after anchor ``a`` up to anchor ``b`` is moved (secant steps
    on logs) until the factor that anchor ``b`` needs equals ``c``. Years after the last
    anchor keep its rate. ``tried`` keeps each stretch's (log c, log need) pairs.
    """
    out = {}
    for (code, stage), rows in factors.groupby(["region", "stage"]):
        need = np.log(
            np.clip(rows.set_index("year")["factor"].reindex(years).to_numpy(), 1e-9, None)
        )
        rate = np.zeros(len(years)) if guess is None else np.log(guess[(code, stage)])
        ends = [j for j, y in enumerate(years) if j and bool(anchor.get((code, stage, y), True))]
        start = 0
        for end in ends:
            span = np.arange(start + 1, end + 1)
            if stage == "preschool":
                # No pupil stays in preschool from one year to the next: its factor is a
                # level (the enrolment rate), interpolated between the anchors.
                rate[span] = np.interp(span, [start, end], [rate[start] * (start > 0), need[end]])
            elif guess is None:
                rate[span] = need[span].mean()
            else:
                points = tried.setdefault((code, stage, end), [])
                points.append((rate[end], need[end]))
                rate[span] = _secant(points, len(span))
            start = end
        if ends:
            rate[start + 1 :] = rate[start]
        out[(code, stage)] = np.exp(rate)
    return out


def _secant(points: list[tuple[float, float]], span: int) -> float:
    """Next log rate c with need(c) = c, from the (c, need) pairs tried so far."""
    c, need = points[-1]
    if len(points) < 2 or abs(points[-1][0] - points[-2][0]) < 1e-12:
        return c + (need - c) / span
    (c0, n0), (c1, n1) = points[-2], points[-1]
    slope = (n1 - n0) / (c1 - c0)
    if abs(slope - 1.0) < 1e-6:
        return c1
    return c1 + (n1 - c1) / (1.0 - slope)


def _step(
    previous: np.ndarray | None,
    *,
    cohort: np.ndarray,
    offers: np.ndarray,
    weight: np.ndarray,
    migration: np.ndarray,
    ward: np.ndarray,
    district: np.ndarray,
    secondary: np.ndarray,
    promote: np.ndarray,
    repeat: np.ndarray,
    entry_rate: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Uncalibrated pupils of one year per institution and grade.

    ``cohort`` holds, per ward catchment, the preschool-age children (column 0) and the
    births of each grade's cohort (columns 1–12).
    """
    n = len(weight)
    pupils = np.zeros((n, len(GRADES)))
    first_of_ward = _first_of_ward(ward)
    entry_noise = rng.lognormal(0.0, ENTRY_NOISE, n)
    # Entry from the ward's children: preschool and grade 1 (every grade in the first year).
    from_births = (0, 1) if previous is not None else tuple(GRADES)
    for g in from_births:
        pool = np.where(first_of_ward, cohort[ward, g], 0.0)
        shared = _two_level(pool, weight * offers[:, g], ward, district)
        pupils[:, g] = shared * (entry_noise * entry_rate[:, g] if previous is not None else 1.0)
    if previous is None:
        return pupils * rng.lognormal(0.0, ENTRY_NOISE, pupils.shape)
    # Entry from the district's leavers of grade 5 and grade 9.
    for entry in (6, 10):
        leaving = previous[:, entry - 1] * promote[entry - 1] * entry_rate[:, entry] * migration
        pupils[:, entry] = _share(leaving, weight * offers[:, entry], district) * entry_noise
    # Continuing grades: last year's grade below (promoted) and this grade (repeaters),
    # moved by net migration, transfers between schools and closures.
    flow = np.zeros((n, len(GRADES)))
    flow[:, 1:] = previous[:, :-1] * promote[:-1] + previous[:, 1:] * repeat[1:]
    flow *= migration[:, None] * rng.lognormal(0.0, CONTINUING_NOISE, flow.shape)
    for g in GRADES:
        if g in ENTRY_GRADES:
            continue
        w = weight * offers[:, g]
        stays = np.where(w > 0, (1.0 - MOBILITY) * flow[:, g], 0.0)
        group = district if secondary[g] else ward
        pupils[:, g] = stays + _share(flow[:, g] - stays, w, group)
    return pupils


def _first_of_ward(ward: np.ndarray) -> np.ndarray:
    """True on one institution per ward (so a ward's pool is counted once when shared)."""
    first = np.zeros(len(ward), dtype=bool)
    first[np.unique(ward, return_index=True)[1]] = True
    return first


def _cohort_sizes(births: np.ndarray, first_birth: int, year: int) -> np.ndarray:
    """Per ward: children of preschool age (ages 1–5) and births of grades 1–12's cohorts."""
    out = np.zeros((births.shape[0], len(GRADES)))
    ages = year - np.arange(1, 6) - first_birth
    out[:, 0] = births[:, ages] @ PRESCHOOL_AGE_WEIGHT
    out[:, 1:] = births[:, year - 5 - GRADES[1:] - first_birth]
    return out


def _long(
    frames: list[np.ndarray], years: list[int], reg: pd.DataFrame, offers: np.ndarray
) -> pd.DataFrame:
    """Institution × grade arrays per year → long rows of the open institutions' grades."""
    parts = []
    for year, pupils in zip(years, frames, strict=True):
        inst, grade = np.nonzero(offers)
        parts.append(
            pd.DataFrame(
                {"inst": inst, "year": year, "grade": grade, "pupils": pupils[inst, grade]}
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    keep = open_years(reg, years)
    frame = frame.merge(keep, on=["inst", "year"])
    frame["stage"] = GRADE_STAGE[frame["grade"].to_numpy()]
    frame["region"] = reg["region"].astype(str).to_numpy()[frame["inst"].to_numpy()]
    return frame
