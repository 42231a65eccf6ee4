"""What the forecast page shows, read from untrusted URL parameters or controls.

Shared by the page's layout, its callbacks and the cached forecast views, so it lives below
all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analytics.forecast.levels import LEVELS as FORECAST_LEVELS

LEVELS = FORECAST_LEVELS
MAX_HORIZON = 10
DEFAULT_HORIZON = 5
MIGRATION_LIMIT = 5.0
NORM_RANGE = (10, 60)
MAX_ADDED = 2000


@dataclass(frozen=True)
class ViewState:
    """What the page shows, read from the URL or the controls (always within bounds)."""

    area: str | None = None
    level: str = "primary"
    horizon: int = DEFAULT_HORIZON
    migration: float = 0.0
    norm: int | None = None
    added: int = 0
    added_year: int | None = None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _clamp(value: Any, low: float, high: float) -> float | None:
    number = _number(value)
    return None if number is None else min(max(number, low), high)


def read_state(
    area: Any = None,
    level: Any = None,
    h: Any = None,
    mig: Any = None,
    norm: Any = None,
    add: Any = None,
    addyear: Any = None,
    **_ignored: Any,
) -> ViewState:
    """A valid state from untrusted values (URL parameters or control values)."""
    area_text = str(area).strip() if area not in (None, "") else None
    if area_text is not None and (len(area_text) > 16 or not area_text.isalnum()):
        area_text = None
    horizon = _clamp(h, 1, MAX_HORIZON)
    migration = _clamp(mig, -MIGRATION_LIMIT, MIGRATION_LIMIT)
    norm_value = _clamp(norm, *NORM_RANGE)
    added = _clamp(add, 0, MAX_ADDED)
    year = _clamp(addyear, 1900, 2200)
    return ViewState(
        area=area_text,
        level=level if level in LEVELS else "primary",
        horizon=int(horizon) if horizon is not None else DEFAULT_HORIZON,
        migration=round(migration, 1) if migration is not None else 0.0,
        norm=int(norm_value) if norm_value else None,
        added=int(added) if added else 0,
        added_year=int(year) if year is not None else None,
    )
