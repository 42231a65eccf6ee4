"""Turn tidy history and population frames into dense (series × year) numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.forecast.levels import LEVEL_GRADES, LEVELS, N_GRADES

#: Single-year ages kept from age bands (entry ages are 6–17).
N_AGES = 18
#: Years of population/births kept before the first history year (births reach grade 1 at 6).
LEAD_YEARS = 11


@dataclass(frozen=True)
class Panel:
    """Dense arrays of one data set; ``S`` strata (area × ownership), ``A`` areas, ``Y`` years.

    Attributes
    ----------
    areas, area_names : numpy.ndarray
        Area codes and names, sorted by code (``A``).
    strata_area : numpy.ndarray
        Index into ``areas`` of every stratum (``S``).
    strata_owner : numpy.ndarray or None
        Ownership label of every stratum when the history has an ``ownership`` column.
    years : numpy.ndarray
        Contiguous year axis covering population lead years, history and the horizon.
    first_year, last_year : int
        First and last year of the enrolment history.
    pupils : numpy.ndarray
        ``(3, S, Y)`` pupils per level (sum of grades for grade-level data); NaN = unknown.
    grades : numpy.ndarray or None
        ``(12, S, Y)`` pupils per grade for grade-level histories.
    pop_total, births, net_migration : numpy.ndarray or None
        ``(A, Y)`` as given (NaN where not given); None without a population table.
    pop_age : numpy.ndarray or None
        ``(A, 18, Y)`` single-year population of ages 0–17 split evenly from age bands;
        NaN where no band covers the age.
    """

    areas: np.ndarray
    area_names: np.ndarray
    strata_area: np.ndarray
    strata_owner: np.ndarray | None
    years: np.ndarray
    first_year: int
    last_year: int
    pupils: np.ndarray
    grades: np.ndarray | None
    pop_total: np.ndarray | None
    pop_age: np.ndarray | None
    births: np.ndarray | None
    net_migration: np.ndarray | None

    @property
    def grade_level(self) -> bool:
        """True when the history is per grade (the grade-progression model applies)."""
        return self.grades is not None

    def col(self, year: int) -> int:
        """Column of ``year`` on the year axis."""
        return int(year - self.years[0])

    def area_totals(self, values: np.ndarray) -> np.ndarray:
        """Sum a ``(..., S, Y)`` array over the strata of each area -> ``(..., A, Y)``.

        A cell is NaN when every stratum of the area is NaN there.
        """
        if np.array_equal(self.strata_area, np.arange(len(self.areas))):
            return values
        onehot = (self.strata_area[None, :] == np.arange(len(self.areas))[:, None]).astype(float)
        ok = ~np.isnan(values)
        total = np.einsum("as,...sy->...ay", onehot, np.where(ok, values, 0.0))
        count = np.einsum("as,...sy->...ay", onehot, ok.astype(float))
        return np.where(count > 0, total, np.nan)


def _dense(
    frame: pd.DataFrame, row_index: pd.Index, row_keys: list[str], years: np.ndarray, value: str
) -> np.ndarray:
    """Pivot ``frame`` to ``(rows, years)`` following ``row_index``; NaN where absent."""
    if frame.empty:
        return np.full((len(row_index), len(years)), np.nan)
    wide = frame.groupby([*row_keys, "year"])[value].sum(min_count=1).unstack("year")
    wide = wide.reindex(index=row_index, columns=years)
    return wide.to_numpy(dtype=float)


def build_panel(history: pd.DataFrame, population: pd.DataFrame | None, *, horizon: int) -> Panel:
    """Build a :class:`Panel` from validated frames (see :mod:`analytics.forecast.inputs`).

    Parameters
    ----------
    history : pandas.DataFrame
        Output of :func:`~analytics.forecast.inputs.validate_history`.
    population : pandas.DataFrame or None
        Output of :func:`~analytics.forecast.inputs.validate_population`.
    horizon : int, keyword-only
        Years after the last history year that the year axis must cover.

    Returns
    -------
    Panel
    """
    names = history.drop_duplicates("area_code").set_index("area_code")["area_name"]
    areas = np.array(sorted(names.index))
    area_pos = {code: i for i, code in enumerate(areas)}
    first_year, last_year = int(history["year"].min()), int(history["year"].max())
    start = first_year - LEAD_YEARS
    if population is not None and len(population):
        start = min(start, int(population["year"].min()))
    end = last_year + max(int(horizon), 1)
    years = np.arange(start, end + 1)

    owned = "ownership" in history.columns
    strata_keys = ["area_code", "ownership"] if owned else ["area_code"]
    strata = history[strata_keys].drop_duplicates().sort_values(strata_keys)
    strata_index = (
        pd.MultiIndex.from_frame(strata)
        if owned
        else pd.Index(strata["area_code"], name="area_code")
    )
    strata_area = np.array([area_pos[c] for c in strata["area_code"]], dtype=int)
    strata_owner = strata["ownership"].to_numpy() if owned else None

    grades = None
    if "grade" in history.columns:
        grades = np.full((N_GRADES, len(strata), len(years)), np.nan)
        for g in range(1, N_GRADES + 1):
            part = history[history["grade"] == g]
            if len(part):
                grades[g - 1] = _dense(part, strata_index, strata_keys, years, "pupils")
        pupils = np.full((len(LEVELS), len(strata), len(years)), np.nan)
        for i, level in enumerate(LEVELS):
            lo, hi = LEVEL_GRADES[level]
            block = grades[lo - 1 : hi]
            any_ok = (~np.isnan(block)).any(axis=0)
            pupils[i] = np.where(
                any_ok, np.nansum(np.where(np.isnan(block), 0, block), axis=0), np.nan
            )
    else:
        pupils = np.stack(
            [
                _dense(
                    history[history["level"] == level], strata_index, strata_keys, years, "pupils"
                )
                for level in LEVELS
            ]
        )

    pop_total = pop_age = births = migration = None
    if population is not None:
        pop = population[population["area_code"].isin(area_pos)]
        area_index = pd.Index(areas, name="area_code")
        totals = pop[pop["age_lo"] < 0]
        pop_total = _dense(totals, area_index, ["area_code"], years, "population")
        bands = pop[pop["age_lo"] >= 0]
        if len(bands):
            band_sum = _dense(bands, area_index, ["area_code"], years, "population")
            pop_total = np.where(np.isnan(pop_total), band_sum, pop_total)
            pop_age = np.full((len(areas), N_AGES, len(years)), np.nan)
            for (lo, hi), part in bands.groupby(["age_lo", "age_hi"]):
                if lo >= N_AGES:
                    continue
                per_age = _dense(part, area_index, ["area_code"], years, "population")
                per_age = per_age / (hi - lo + 1)
                for age in range(lo, min(hi, N_AGES - 1) + 1):
                    pop_age[:, age] = np.where(
                        np.isnan(pop_age[:, age]), per_age, pop_age[:, age] + np.nan_to_num(per_age)
                    )
        per_year = pop.groupby(["area_code", "year"], as_index=False)[
            ["births", "net_migration"]
        ].max()
        births = _dense(
            per_year.dropna(subset=["births"]), area_index, ["area_code"], years, "births"
        )
        migration = _dense(
            per_year.dropna(subset=["net_migration"]),
            area_index,
            ["area_code"],
            years,
            "net_migration",
        )
        if np.isnan(births).all():
            births = None
        if np.isnan(migration).all():
            migration = None

    return Panel(
        areas=areas,
        area_names=names.reindex(areas).to_numpy(),
        strata_area=strata_area,
        strata_owner=strata_owner,
        years=years,
        first_year=first_year,
        last_year=last_year,
        pupils=pupils,
        grades=grades,
        pop_total=pop_total,
        pop_age=pop_age,
        births=births,
        net_migration=migration,
    )
