"""Progress of plan 723 by reporting quarter: task states, filters, counts, report punctuality.

A task's state reuses the control room's rule (:func:`analytics.kpis.plan_state`: done, late,
on track) and splits "on track" further: a task nobody has reported as started is
``not_started``. A quarter's view judges tasks on the last day of the quarter, or today while
the quarter is still running.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import pandas as pd

from analytics.alerts import days_late
from analytics.kpis import plan_state

STATES = ("done", "on_track", "late", "not_started")
REPORT_STATES = ("on_time", "late", "missing", "not_due")
#: The plan's first reporting quarter (Kế hoạch 723 is the 2023 plan).
FIRST_QUARTER = "2023Q1"


def parse_quarter(quarter: str) -> tuple[int, int]:
    """``"2025Q3"`` → ``(2025, 3)``; ValueError when it is not a quarter."""
    text = str(quarter).strip().upper()
    year, sep, number = text.partition("Q")
    if not sep or not year.isdigit() or number not in ("1", "2", "3", "4"):
        raise ValueError(f"not a quarter: {quarter!r} (expected e.g. 2025Q3)")
    return int(year), int(number)


def quarter_label(quarter: str, lang: str) -> str:
    """``2025Q3`` → ``Quý 3/2025`` (``lang`` ``vi``) or ``Q3 2025``."""
    year, number = parse_quarter(quarter)
    return f"Quý {number}/{year}" if lang == "vi" else f"Q{number} {year}"


def quarter_of(day: date) -> str:
    """The quarter containing ``day``, e.g. ``"2025Q3"``."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_end(quarter: str) -> date:
    """The last day of ``quarter``."""
    year, number = parse_quarter(quarter)
    first_of_next = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return first_of_next - timedelta(days=1)


def previous_quarter(quarter: str) -> str:
    """The quarter before ``quarter``."""
    year, number = parse_quarter(quarter)
    return f"{year - 1}Q4" if number == 1 else f"{year}Q{number - 1}"


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter from ``first`` to ``last`` inclusive (empty when ``first`` is later)."""
    (year, number), end = parse_quarter(first), parse_quarter(last)
    out = []
    while (year, number) <= end:
        out.append(f"{year}Q{number}")
        year, number = (year, number + 1) if number < 4 else (year + 1, 1)
    return out


def report_due(quarter: str) -> date:
    """When a quarter's report is due: the 25th of its last month (Phụ lục II)."""
    year, number = parse_quarter(quarter)
    return date(year, 3 * number, 25)


def quarter_due_on(reports: pd.DataFrame, quarter: str) -> date:
    """When ``quarter``'s reports are due: the earliest due date recorded for it in
    ``reports`` (columns ``quarter, due_on``), else :func:`report_due`."""
    rows = reports[reports["quarter"] == quarter]
    return report_due(quarter) if rows.empty else min(pd.to_datetime(rows["due_on"])).date()


def judged_on(quarter: str, today: date) -> date:
    """The day a quarter's view is judged on: its last day, or today if that is earlier."""
    return min(quarter_end(quarter), today)


def task_state(status: str | None, percent: float | None, due: date, on: date) -> str:
    """``done``, ``late`` or ``on_track`` as the control room says, with ``not_started`` for
    an on-track task not reported as started (status ``not_started`` or unknown, no
    progress)."""
    state = plan_state(status, percent, due, on)
    no_progress = percent is None or pd.isna(percent) or percent <= 0
    if state == "on_track" and status in (None, "not_started") and no_progress:
        return "not_started"
    return state


def task_states(tasks: pd.DataFrame, on: date) -> pd.Series:
    """The state of each task (columns ``status, percent, due``) on day ``on``."""
    if tasks.empty:
        return pd.Series([], dtype=object, index=tasks.index)
    return pd.Series(
        [
            task_state(None if pd.isna(row.status) else row.status, row.percent, row.due, on)
            for row in tasks.itertuples()
        ],
        index=tasks.index,
        dtype=object,
    )


def state_counts(tasks: pd.DataFrame, on: date) -> dict[str, int]:
    """How many tasks are in each of :data:`STATES` on day ``on``."""
    states = task_states(tasks, on)
    return {state: int((states == state).sum()) for state in STATES}


def expand_units(units: Iterable[str], groups: Mapping[str, Iterable[str]]) -> set[str]:
    """Unit codes with each group code (e.g. ``PCM``) joined by its member units."""
    out = set(units)
    for code in list(out):
        out.update(groups.get(code, ()))
    return out


def known_units(tasks: pd.DataFrame, reports: pd.DataFrame, names: Iterable[str] = ()) -> list[str]:
    """The units one may filter on: those leading a task (column ``leads``), those reporting
    (column ``unit_code``) and the named units of the Department, sorted by code."""
    codes = {code for leads in tasks["leads"] for code in leads} | set(reports["unit_code"])
    return sorted(codes | set(names))


def filter_tasks(
    tasks: pd.DataFrame,
    *,
    units: Iterable[str] = (),
    kind: str = "all",
    groups: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """The tasks led by any of ``units`` (all when empty) and of ``kind`` (``item``/``dx``).

    Parameters
    ----------
    tasks
        Columns ``kind`` and ``leads`` (a tuple of lead unit codes per task).
    units
        Wanted lead units. A group code stands for its members and a task led by a group
        counts for each member (``groups`` maps a group code to its member codes).
    kind
        ``item``, ``dx`` or ``all``.
    """
    groups = groups or {}
    chosen = tasks if kind == "all" else tasks[tasks["kind"] == kind]
    wanted = expand_units(units, groups)
    if not wanted:
        return chosen
    led = chosen["leads"].map(lambda leads: bool(expand_units(leads, groups) & wanted))
    return chosen[led.astype(bool)]


def progress_table(tasks: pd.DataFrame, on: date, *, state: str = "all") -> pd.DataFrame:
    """The task table of a quarter's view: each task with its ``state``, filtered by state.

    Parameters
    ----------
    tasks
        Columns ``kind, code, due, status, percent, quarter`` (the latest status by then).
    on
        The day the tasks are judged on.
    state
        One of :data:`STATES`, or ``all``.

    Returns
    -------
    pandas.DataFrame
        ``tasks`` with a ``state`` column, late tasks first, then by due date and code.
    """
    table = tasks.assign(state=task_states(tasks, on))
    if state != "all":
        table = table[table["state"] == state]
    order = table["state"].map({"late": 0, "on_track": 1, "not_started": 2, "done": 3})
    return (
        table.assign(_order=order)
        .sort_values(["_order", "due", "kind", "code"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def counts_by_quarter(snapshots: Mapping[str, pd.DataFrame], today: date) -> pd.DataFrame:
    """State counts of each quarter's snapshot, judged as :func:`judged_on` says.

    Parameters
    ----------
    snapshots
        Quarter → the tasks with their latest status as of that quarter.
    today
        The date of judgement for the running quarter.

    Returns
    -------
    pandas.DataFrame
        One row per quarter (in the mapping's order), columns ``quarter`` and :data:`STATES`.
    """
    rows = [
        {"quarter": quarter, **state_counts(frame, judged_on(quarter, today))}
        for quarter, frame in snapshots.items()
    ]
    return pd.DataFrame(rows, columns=["quarter", *STATES])


def report_state(due_on: object, submitted_at: object, today: date) -> tuple[str, int | None]:
    """A quarterly report's punctuality: (one of :data:`REPORT_STATES`, days late or None).

    Lateness is the control room's rule (:func:`analytics.alerts.days_late`); a missing
    report whose due date has not come is ``not_due``.
    """
    days = days_late(due_on, submitted_at, today)
    if pd.isna(submitted_at):
        return ("not_due", None) if days is None else ("missing", days)
    return ("on_time", None) if days is None else ("late", days)


def punctuality(
    reports: pd.DataFrame,
    quarter: str,
    today: date,
    *,
    units: Iterable[str] = (),
    groups: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Each unit's report for ``quarter``: due vs submitted, and its record until then.

    Parameters
    ----------
    reports
        Columns ``unit_code, quarter, due_on, submitted_at``.
    quarter
        The reporting quarter shown.
    today
        The date of judgement (reports still missing are late so far).
    units
        Keep only these units (group codes stand for their members); all when empty.
    groups
        Group code → member codes.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit_code, due_on, submitted_at, state, days_late, on_time, due_count``
        (``on_time`` of ``due_count`` reports due by ``today`` up to ``quarter`` came on time),
        late and missing first; empty when no unit reports for ``quarter``.
    """
    columns = ["unit_code", "due_on", "submitted_at", "state", "days_late", "on_time", "due_count"]
    wanted = expand_units(units, groups or {})
    chosen = reports if not wanted else reports[reports["unit_code"].isin(wanted)]
    chosen = chosen[chosen["quarter"] <= quarter]
    states = [report_state(r.due_on, r.submitted_at, today) for r in chosen.itertuples()]
    chosen = chosen.assign(state=[s for s, _ in states], days_late=[d for _, d in states])
    record = (
        chosen[chosen["state"] != "not_due"]
        .groupby("unit_code")
        .agg(on_time=("state", lambda s: int((s == "on_time").sum())), due_count=("state", "size"))
    )
    shown = chosen[chosen["quarter"] == quarter]
    if shown.empty:
        return pd.DataFrame(columns=columns)
    shown = shown.merge(record, left_on="unit_code", right_index=True, how="left")
    shown[["on_time", "due_count"]] = shown[["on_time", "due_count"]].fillna(0).astype(int)
    order = shown["state"].map({"missing": 0, "late": 1, "not_due": 2, "on_time": 3})
    shown = (
        shown.assign(_order=order, _days=-shown["days_late"].astype(float).fillna(0))
        .sort_values(["_order", "_days", "unit_code"])[columns]
        .reset_index(drop=True)
    )
    shown["days_late"] = pd.Series(
        [None if pd.isna(d) else int(d) for d in shown["days_late"]], dtype=object
    )
    return shown
