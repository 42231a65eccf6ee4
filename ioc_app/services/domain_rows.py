"""A data domain's figures per institution for one school year: the rows of the member
systems' API (``/api/v1/domains/<slug>/institutions``), filtered, paged and within scopes.

Cached per data version (the latest ingestion batch), like the domain pages.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import pandas as pd

from data_access.queries import facts, registry
from data_access.queries.indicators import INDICATORS
from data_access.queries.status import generated_facts
from ioc_app.core.warehouse import cache, engine
from ioc_app.services.domains import compute
from ioc_app.services.indicators import TIMEOUT, reference

#: Registry facts each row carries besides the domain's figures (public on the map).
REGISTRY_COLUMNS = ["code", "name", "kind", "level", "ownership", "ward_id"]


@cache.memoize(timeout=TIMEOUT)
def institution_rows(data_version: str, domain_id: int, year: int) -> pd.DataFrame:
    """Every institution of the city that reported the domain in ``year``, by id.

    Returns
    -------
    pandas.DataFrame
        Columns ``institution_id, unit_id`` (the unit valid that year), the registry facts of
        :data:`REGISTRY_COLUMNS`, ``ward_code`` (its 2025 ward) and each indicator's value
        (NaN where its denominator is zero).
    """
    bind = engine()
    values = facts.institution_values(bind, domain_id, year)
    # One row per institution even if two fact tables of the domain disagree on its unit.
    parts = [c for c in values.columns if c not in ("institution_id", "unit_id")]
    values = values.groupby("institution_id", as_index=False).agg(
        unit_id=("unit_id", "first"), **{c: (c, "sum") for c in parts}
    )
    listed = registry.institutions(bind)[["id", *REGISTRY_COLUMNS]]
    rows = values.merge(listed, left_on="institution_id", right_on="id", how="inner")
    codes = reference(data_version)["units"]["code"]
    rows["ward_code"] = rows["ward_id"].map(codes).astype(object)
    rows["level"] = rows["level"].fillna("other")
    for item in INDICATORS[domain_id]:
        rows[item.key] = compute(rows, item).round(4)
    keys = [item.key for item in INDICATORS[domain_id]]
    columns = ["institution_id", "unit_id", *REGISTRY_COLUMNS, "ward_code", *keys]
    return rows[columns].sort_values("institution_id", ignore_index=True)


@cache.memoize(timeout=TIMEOUT)
def generated_counts(data_version: str, domain_id: int, year: int) -> tuple[int, int]:
    """``(fact rows, generated fact rows)`` of a domain in ``year`` (counted once per data
    version: every answer of the API says how much of its year is generated)."""
    return generated_facts(engine(), domain_id, year)


@dataclass(frozen=True)
class Page:
    """One page of rows and where it stands in the whole selection."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the selection has (0 when it is empty)."""
        return -(-self.total // self.per_page)


def select_page(
    frame: pd.DataFrame,
    *,
    wards: Collection[str] | None,
    level: str | None,
    page: int,
    per_page: int,
) -> Page:
    """The rows of 2025 ``wards`` (codes; None: all) and ``level`` (None: all), page ``page``
    (from 1) of ``per_page`` rows, in institution id order."""
    chosen = frame
    if wards is not None:
        chosen = chosen[chosen["ward_code"].isin(list(wards))]
    if level is not None:
        chosen = chosen[chosen["level"] == level]
    start = (page - 1) * per_page
    return Page(
        rows=chosen.iloc[start : start + per_page].to_dict("records"),
        total=len(chosen),
        page=page,
        per_page=per_page,
    )
