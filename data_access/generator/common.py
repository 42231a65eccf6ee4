"""Shared pieces of the fact generators: open institution-years, reporting gaps, fact keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access.models import MERGER_DATE

#: Share of institutions that do not report a domain in a school year (latest year: more).
MISSING_RATE = {2024: 0.02, 2025: 0.05}
MISSING_DEFAULT = 0.01
#: Domains whose latest data never arrived (the stale domain of the freshness alert).
STALE_DOMAIN_LAST_YEAR = {6: 2024}


@dataclass
class FactContext:
    """What every fact generator needs: the registry, the years, batches and unit columns."""

    seed: int
    registry: pd.DataFrame
    years: Sequence[int]
    batches: dict[tuple[int, int], int] = field(default_factory=dict)
    stream_prefix: str = ""
    #: Births per year in each ward of pre-2025 facts (``pre_unit`` → births), if known.
    births: pd.Series | None = None
    #: District of each ward of pre-2025 facts (``pre_unit`` → district), if known.
    district: pd.Series | None = None

    def name(self, stream: str) -> str:
        """The random-stream name of ``stream`` in this context (city or national part)."""
        return f"{self.stream_prefix}{stream}"


def open_years(
    registry: pd.DataFrame, years: Sequence[int], mask: np.ndarray | None = None
) -> pd.DataFrame:
    """Rows ``(inst, year)`` for every year an institution is open (``inst`` = row number)."""
    reg = registry if mask is None else registry[mask]
    inst = np.repeat(reg.index.to_numpy(), len(years))
    year = np.tile(np.asarray(years), len(reg))
    opened = np.repeat(reg["opened_year"].to_numpy(float), len(years))
    closed = np.repeat(reg["closed_year"].to_numpy(float), len(years))
    keep = (opened <= year) & (np.isnan(closed) | (closed > year))
    return pd.DataFrame({"inst": inst[keep], "year": year[keep]})


def reporting(rng: np.random.Generator, frame: pd.DataFrame, domain: int) -> np.ndarray:
    """Whether each institution-year reported ``domain`` (a few gaps, more recently)."""
    rate = frame["year"].map(lambda y: MISSING_RATE.get(int(y), MISSING_DEFAULT)).to_numpy()
    ok = rng.random(len(frame)) >= rate
    last = STALE_DOMAIN_LAST_YEAR.get(domain)
    if last is not None:
        ok &= frame["year"].to_numpy() <= last
    return ok


def fact_keys(ctx: FactContext, frame: pd.DataFrame, domain: int) -> pd.DataFrame:
    """The shared fact columns for rows with ``inst`` and ``year``.

    ``unit_id`` is the unit valid in that school year: the old unit before the 2025 merger
    (school years starting before 1 July 2025), the 2025 ward from then on.
    """
    reg = ctx.registry
    inst = frame["inst"].to_numpy()
    year = frame["year"].to_numpy()
    after = year >= MERGER_DATE.year
    unit = np.where(after, reg["ward_id"].to_numpy()[inst], reg["pre_unit"].to_numpy()[inst])
    batch = [ctx.batches.get((domain, int(y))) for y in year]
    return pd.DataFrame(
        {
            "school_year": year.astype(int),
            "institution_id": reg["id"].to_numpy()[inst],
            "unit_id": unit,
            "generated": True,
            "batch_id": pd.array(batch, dtype="Int64"),
        }
    )


def lognormal_noise(rng: np.random.Generator, n: int, sigma: float) -> np.ndarray:
    """Multiplicative noise with median 1."""
    return rng.lognormal(0.0, sigma, n)


def binomial(rng: np.random.Generator, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Binomial draws that accept zero trials and probabilities clipped to [0, 1]."""
    return rng.binomial(np.maximum(n, 0).astype(np.int64), np.clip(p, 0.0, 1.0))
