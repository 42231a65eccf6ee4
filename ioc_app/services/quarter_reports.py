"""What leadership reads of a quarter's reports: punctuality (per unit, kind of reporter and
2025 ward), the themes of difficulties and recommendations, and the Phụ lục II workbook.

Cached per data version *and* reports version (:func:`reports_version`), so a report
submitted, amended or returned through the page or the API is seen at the next request.
Results hold no language: the callbacks word them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd

from analytics import report_punctuality as counts
from analytics.report_themes import Theme, quarter_themes
from data_access import plan_calendar as cal
from data_access import report_punctuality
from data_access.queries import plan
from data_access.queries import reports as report_queries
from ioc_app.core.principal import Principal
from ioc_app.core.warehouse import cache, engine
from ioc_app.services import reports as rules
from ioc_app.services.indicators import TIMEOUT
from ioc_app.services.report_workbook import build_report, write_workbook

STATES = counts.STATES
#: Order of the kinds of reporter in the table by kind: units first, then schools.
KIND_ORDER = ("department_office", "division", "inspectorate", "centre")


def reports_version() -> str:
    """The current reports version (cheap: two aggregates)."""
    return report_queries.reports_version(engine())


def checked_quarter(quarter: object, now: datetime | None = None) -> str:
    """``quarter`` if it is a reporting quarter of the plan (2023Q1 to the running one),
    else the running one: the /plan page's rule, without reading the plan."""
    running = cal.quarter_of(cal.aware(now or datetime.now(UTC)))
    choices = cal.quarters_between(cal.FIRST_QUARTER, running)
    return quarter if isinstance(quarter, str) and quarter in choices else running


def is_overdue(quarter: str, now: datetime | None = None) -> bool:
    """Whether the report deadline of ``quarter`` has passed at ``now`` (now when None)."""
    return cal.aware(now or datetime.now(UTC)) > cal.deadline(quarter)


@cache.memoize(timeout=TIMEOUT)
def punctuality(data_version: str, reports_version: str, quarter: str, overdue: bool) -> Any:
    """Every reporter expected for ``quarter`` and its state
    (:func:`data_access.report_punctuality.punctuality`); ``overdue`` is the only thing the
    moment of judgement changes, so it is the key rather than the clock."""
    deadline = cal.deadline(quarter)
    moment = deadline + timedelta(seconds=1) if overdue else deadline
    return report_punctuality.punctuality(engine(), quarter, now=moment)


def by_unit(frame: pd.DataFrame) -> pd.DataFrame:
    """The units' rows: ``reporter, name, kind, state, submitted_at``, by code."""
    units = frame[frame["group"] == "unit"]
    return units.sort_values("reporter")[["reporter", "name", "kind", "state", "submitted_at"]]


def by_kind(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts per kind of reporter (units' kinds first, then institutions'), with ``group``."""
    table = counts.punctuality_counts(frame, by="kind")
    groups = frame.drop_duplicates("kind").set_index("kind")["group"]
    table["group"] = table["kind"].map(groups)
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    table["_order"] = [
        order.get(kind, len(order)) + (0 if group == "unit" else 10)
        for kind, group in zip(table["kind"], table["group"], strict=True)
    ]
    return table.sort_values(["_order", "kind"]).drop(columns="_order").reset_index(drop=True)


@cache.memoize(timeout=TIMEOUT)
def _ward_names(data_version: str) -> dict[str, str]:
    return report_queries.ward_names(engine())


def by_ward(frame: pd.DataFrame, data_version: str) -> pd.DataFrame:
    """Schools rolled up to their 2025 ward, worst first: lowest on-time share, then most
    missing. Columns ``ward_code, ward``, the states, ``expected, on_time_share``."""
    schools = frame[frame["group"] == "school"]
    table = counts.punctuality_counts(schools, by="ward_code")
    table.insert(1, "ward", table["ward_code"].map(_ward_names(data_version)))
    table = table.sort_values(["on_time_share", "missing", "ward"], ascending=[True, False, True])
    return table.reset_index(drop=True)


@cache.memoize(timeout=TIMEOUT)
def punctuality_view(
    data_version: str, reports_version: str, quarter: str, overdue: bool
) -> dict[str, Any]:
    """What the page shows of ``quarter``'s punctuality, computed once per version.

    Returns
    -------
    dict
        ``units`` (:func:`by_unit`), ``kinds`` (:func:`by_kind`), ``wards``
        (:func:`by_ward`), ``names`` (reporter → name, for the themes' report lists) and
        ``generated`` (whether any report of the quarter is generated).
    """
    frame = punctuality(data_version, reports_version, quarter, overdue)
    return {
        "units": by_unit(frame),
        "kinds": by_kind(frame),
        "wards": by_ward(frame, data_version),
        "names": dict(zip(frame["reporter"], frame["name"], strict=True)),
        "generated": report_queries.generated_in(engine(), quarter),
    }


@dataclass(frozen=True)
class ThemeView:
    """A theme as the page shows it: the analytics' theme and who wrote its statements."""

    theme: Theme
    #: Report id → (reporter, its statements in the theme).
    reports: dict[int, tuple[str, tuple[str, ...]]]


@cache.memoize(timeout=TIMEOUT)
def themes(data_version: str, reports_version: str, quarter: str) -> list[ThemeView]:
    """The themes of ``quarter``'s difficulties and recommendations, largest first, with the
    trend against the quarter before (:func:`analytics.report_themes.quarter_themes`)."""
    now = plan.report_statements(engine(), quarter)
    before = plan.report_statements(engine(), cal.previous_quarter(quarter))
    reporter_of = dict(zip(now["report_id"].astype(int), now["reporter"], strict=False))
    views = []
    for theme in quarter_themes(now, before):
        said: dict[int, list[str]] = {}
        for report_id, text in theme.members:
            said.setdefault(report_id, []).append(text)
        views.append(
            ThemeView(
                theme,
                {rid: (reporter_of[rid], tuple(dict.fromkeys(t))) for rid, t in said.items()},
            )
        )
    return views


def visible(view: ThemeView, who: Principal) -> ThemeView:
    """``view`` as ``who`` may read it: aggregates stay, but quotes and reports are only
    those of reporters ``who`` may read (a department reads its own units' reports)."""
    if rules.reads_all(who):
        return view
    mine = {rid: entry for rid, entry in view.reports.items() if rules.may_read(who, entry[0])}
    said = {text for _, texts in mine.values() for text in texts}
    quotes = tuple(q for q in view.theme.quotes if q in said)
    if not quotes:
        quotes = tuple(dict.fromkeys(text for _, texts in mine.values() for text in texts))[:2]
    theme = Theme(
        label=view.theme.label,
        terms=view.theme.terms,
        statements=view.theme.statements,
        units=view.theme.units,
        previous_units=view.theme.previous_units,
        trend=view.theme.trend,
        quotes=quotes,
        report_ids=tuple(sorted(mine)),
    )
    return ThemeView(theme, mine)


def workbook(quarter: str, units: list[str], today: date, *, lang: str = "vi") -> bytes:
    """The ``report quarterly`` workbook of ``quarter`` for ``units`` (all when empty)."""
    report, names = build_report(engine(), quarter, units, today)
    buffer = io.BytesIO()
    write_workbook(report, buffer, lang=lang, names=names, database="IOC")
    return buffer.getvalue()
