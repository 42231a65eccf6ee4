"""Reporting quarters of plan 723 and their deadlines, in the city's time zone.

Phụ lục II: every report is due "before the 25th of the last month of each quarter"; the
Department reads that as the end of the 25th in Ho Chi Minh City (23:59:59, UTC+7). The
warehouse stores naive UTC; these helpers convert at the edges.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")
#: The plan's first reporting quarter.
FIRST_QUARTER = "2023Q1"
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def parse_quarter(quarter: str) -> tuple[int, int]:
    """``"2025Q3"`` → ``(2025, 3)``.

    Raises
    ------
    ValueError
        When ``quarter`` is not written ``YYYYQn`` with n from 1 to 4.
    """
    match = _QUARTER.match(str(quarter).strip().upper())
    if match is None:
        raise ValueError(f"{quarter!r} is not a quarter: write YYYYQn with n from 1 to 4")
    return int(match[1]), int(match[2])


def quarter_of(moment: datetime) -> str:
    """The quarter a moment falls in, in the city's time zone (naive means UTC)."""
    local = aware(moment).astimezone(HCMC)
    return f"{local.year}Q{(local.month - 1) // 3 + 1}"


def previous_quarter(quarter: str) -> str:
    """The quarter before ``quarter``."""
    year, number = parse_quarter(quarter)
    return f"{year - 1}Q4" if number == 1 else f"{year}Q{number - 1}"


def due_day(quarter: str) -> date:
    """The 25th of the quarter's last month."""
    year, number = parse_quarter(quarter)
    return date(year, 3 * number, 25)


def deadline(quarter: str) -> datetime:
    """The last second a report of ``quarter`` is on time, as an aware UTC datetime.

    >>> deadline("2025Q3").isoformat()
    '2025-09-25T16:59:59+00:00'
    """
    day = due_day(quarter)
    local = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=HCMC)
    return local.astimezone(UTC)


def is_late(at: datetime, quarter: str) -> bool:
    """Whether a submission at ``at`` comes after the deadline (the 26th has begun in HCMC)."""
    return aware(at) >= deadline(quarter) + timedelta(seconds=1)


def days_left(quarter: str, now: datetime) -> int:
    """Whole days from ``now``'s date to the due day, both in HCMC (0 on the 25th, < 0 after)."""
    return (due_day(quarter) - aware(now).astimezone(HCMC).date()).days


def aware(moment: datetime) -> datetime:
    """``moment`` with a time zone; a naive datetime is taken as UTC (how the warehouse stores)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def to_stored(moment: datetime) -> datetime:
    """``moment`` as the warehouse stores it: naive UTC."""
    return aware(moment).astimezone(UTC).replace(tzinfo=None)


def quarters_between(first: str, last: str) -> list[str]:
    """Every quarter from ``first`` to ``last`` inclusive."""
    (year, number), end = parse_quarter(first), parse_quarter(last)
    out = []
    while (year, number) <= end:
        out.append(f"{year}Q{number}")
        year, number = (year, number + 1) if number < 4 else (year + 1, 1)
    return out
