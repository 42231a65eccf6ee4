"""The one rule for reports that did not arrive: estimate them from the school's own history.

A sum over schools must not drop because some schools report late. Every sum of pupils,
classes, teachers or classrooms (KPIs, domain pages, capacity, the forecast history, the
calibration check) therefore adds, for each school that is open in a year, did not report
it, and reported in one of the :data:`LOOKBACK` years before, an **estimate**: its last
reported figures times the change of the same figures, between those two years, over the
schools that reported both (per level, or per whatever key the caller keeps). Estimated
rows carry ``estimated = True``; completeness (who reported) is counted apart and stays
beside each sum.

A year in which fewer than :data:`MIN_REPORTING_SHARE` of the previous year's reporters
reported is not estimated: that is a domain whose data has not arrived, not late schools.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, select

from data_access.models import MERGER_DATE, Institution
from data_access.queries.registry import connect

#: Years back a school's last report may be to be carried forward.
LOOKBACK = 3
#: Below this share of last year's reporters, a year is "not arrived" and left alone.
MIN_REPORTING_SHARE = 0.5
#: The first school year whose facts use the 2025 wards.
FIRST_2025_YEAR = MERGER_DATE.year


def open_institutions(bind: Engine | Connection) -> pd.DataFrame:
    """``id, opened_year, closed_year, ward_id`` of every institution (the rule's registry)."""
    query = select(
        Institution.id, Institution.opened_year, Institution.closed_year, Institution.ward_id
    )
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame(rows, columns=["id", "opened_year", "closed_year", "ward_id"])


def first_year_needed(years: Sequence[int]) -> int:
    """The earliest school year a caller must read to estimate ``years``."""
    return min(years) - LOOKBACK


def read_estimated(
    bind: Engine | Connection,
    read: Callable[[Engine | Connection, list[int] | None], pd.DataFrame],
    years: Sequence[int] | None = None,
    *,
    values: Sequence[str],
    keys: Sequence[str] = (),
) -> pd.DataFrame:
    """Reported facts of ``years`` (all when None) plus estimates of late reports.

    The entry point of every reader that sums facts (KPIs, domain pages, capacity, the
    forecast history): ``read(bind, span)`` returns reported rows as :func:`with_estimates`
    takes them, for the years ``span`` (None: all); this reads the :data:`LOOKBACK` years
    the estimates need and keeps ``years``.
    """
    span = None
    if years is not None:
        span = list(range(first_year_needed(years), max(years) + 1))
    found = with_estimates(
        read(bind, span), open_institutions(bind), values=values, keys=keys, years=years
    )
    if years is not None:
        found = found[found["school_year"].isin(years)]
    return found.reset_index(drop=True)


def with_estimates(
    facts: pd.DataFrame,
    institutions: pd.DataFrame,
    *,
    values: Sequence[str],
    keys: Sequence[str] = (),
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """``facts`` plus an estimated row for every late report, flagged ``estimated``.

    Parameters
    ----------
    facts
        Reported rows: ``school_year, institution_id`` (and ``unit_id`` when the caller
        keeps units), the ``keys`` (e.g. ``level`` or ``grade``) and the additive
        ``values``. It must hold the :data:`LOOKBACK` years before the first year to
        estimate.
    institutions
        ``id, opened_year, closed_year, ward_id`` (:func:`open_institutions`).
    values
        Additive columns to estimate (pupils, classes, teachers, classrooms …).
    keys
        Columns that split a school's figures (kept from its last report).
    years
        Years to estimate (default: every year of ``facts`` after the first).

    Returns
    -------
    pandas.DataFrame
        The reported rows (``estimated = False``) and the estimated ones (``True``), with
        the same columns.
    """
    facts = facts.assign(estimated=False)
    if facts.empty:
        return facts
    present = sorted(int(y) for y in facts["school_year"].unique())
    wanted = [y for y in (years or present[1:]) if y > present[0]]
    reporters = facts.groupby("school_year")["institution_id"].unique().map(set).to_dict()
    parts = [facts]
    for year in wanted:
        found = _estimate_year(facts, institutions, reporters, year, list(values), list(keys))
        if found is not None:
            parts.append(found)
    out = pd.concat(parts, ignore_index=True)
    return out


def _estimate_year(
    facts: pd.DataFrame,
    institutions: pd.DataFrame,
    reporters: dict[int, set],
    year: int,
    values: list[str],
    keys: list[str],
) -> pd.DataFrame | None:
    now = reporters.get(year, set())
    before = reporters.get(year - 1, set())
    if not now or len(now) < MIN_REPORTING_SHARE * len(before):
        return None
    opened = institutions["opened_year"].isna() | (institutions["opened_year"] <= year)
    still = institutions["closed_year"].isna() | (institutions["closed_year"] > year)
    silent = set(institutions.loc[opened & still, "id"]) - now
    parts = []
    for back in range(1, LOOKBACK + 1):
        earlier = reporters.get(year - back, set())
        late = silent & earlier
        if not late:
            continue
        silent -= late
        base = facts[(facts["school_year"] == year - back) & facts["institution_id"].isin(late)]
        parts.append(_carried(facts, base, now & earlier, year, year - back, values, keys))
    if not parts:
        return None
    found = pd.concat(parts, ignore_index=True)
    if "unit_id" in found and year >= FIRST_2025_YEAR:
        ward = institutions.set_index("id")["ward_id"]
        found["unit_id"] = found["institution_id"].map(ward).fillna(found["unit_id"])
    return found.assign(school_year=year, estimated=True)


def _carried(
    facts: pd.DataFrame,
    base: pd.DataFrame,
    both: set,
    year: int,
    last: int,
    values: list[str],
    keys: list[str],
) -> pd.DataFrame:
    """Rows of ``base`` (year ``last``) times the change from ``last`` to ``year`` of the
    schools that reported both years, per key."""
    matched = facts[facts["institution_id"].isin(both)]
    then = matched[matched["school_year"] == last]
    now = matched[matched["school_year"] == year]
    if keys:
        ratio = now.groupby(keys)[values].sum() / then.groupby(keys)[values].sum()
        ratio = ratio.replace([np.inf, -np.inf], np.nan)
        factors = base[keys].merge(ratio.reset_index(), on=keys, how="left")[values]
    else:
        total = then[values].sum()
        ratio = now[values].sum() / total.where(total != 0)
        factors = pd.DataFrame([ratio.to_numpy()] * len(base), columns=values)
    factors = factors.fillna(1.0).to_numpy(float)
    out = base.copy()
    out[values] = base[values].to_numpy(float) * factors
    return out
