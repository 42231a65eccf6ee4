"""The quarterly report of plan 723 (Phụ lục II) as plain tables, language-free.

Built from the same pieces as the /plan page (:mod:`analytics.plan_progress`): the tasks
as of the quarter, judged on the quarter's last day (or today while it runs), and each
unit's report punctuality for the quarter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics import plan_progress as progress

#: The order of task kinds in the summary table: the 2023 plan's items, then the DX tasks.
KIND_ORDER = {"item": 0, "dx": 1}
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class QuarterReport:
    """Everything the quarterly report shows.

    Attributes
    ----------
    tasks
        One row per task in plan order: ``kind, code, title_vi, title_en, lead_units,
        partner_units, due, state, percent, quarter`` (``quarter``: the last quarter that
        reported on the task by then).
    punctuality
        One row per unit reporting for the quarter, as :func:`plan_progress.punctuality`,
        with ``generated`` (whether that report is generated).
    items
        Columns (3)–(6) of the units' submitted reports for the quarter, one row per unit and
        task (:func:`data_access.queries.plan.submitted_items`), filtered like the tasks.
    """

    quarter: str
    judged_on: date
    due_on: date
    units: tuple[str, ...]
    counts: dict[str, int]
    report_counts: dict[str, int]
    generated: int
    reports_so_far: int
    tasks: pd.DataFrame
    punctuality: pd.DataFrame
    items: pd.DataFrame = field(default_factory=pd.DataFrame)


def reporting_quarter(text: str, today: date) -> str:
    """``text`` as a quarter of the plan that has begun by ``today``, e.g. ``"2025Q3"``.

    Raises
    ------
    ValueError
        With a message naming the problem: not ``YYYYQn`` with n from 1 to 4, before the
        plan's first quarter, or after the running quarter.
    """
    quarter = str(text).strip().upper()
    number = re.fullmatch(r"\d{4}Q(\d+)", quarter)
    if number and not _QUARTER.match(quarter):
        raise ValueError(f"{text!r}: the quarter number must be 1 to 4, not {number[1]}")
    if not _QUARTER.match(quarter):
        raise ValueError(f"{text!r} is not a quarter: write YYYYQn with n from 1 to 4, e.g. 2025Q3")
    if quarter < progress.FIRST_QUARTER:
        raise ValueError(
            f"{quarter} is before the plan: its first quarter is {progress.FIRST_QUARTER}"
        )
    current = progress.quarter_of(today)
    if quarter > current:
        raise ValueError(f"{quarter} has not begun: the current quarter is {current}")
    return quarter


def unknown_units(wanted: Iterable[str], known: Iterable[str]) -> list[str]:
    """The codes of ``wanted`` that are not in ``known`` (in the order given)."""
    known = set(known)
    return [code for code in dict.fromkeys(wanted) if code not in known]


def build(
    snapshot: pd.DataFrame,
    reports: pd.DataFrame,
    quarter: str,
    today: date,
    *,
    units: Iterable[str] = (),
    groups: Mapping[str, Iterable[str]] | None = None,
    items: pd.DataFrame | None = None,
) -> QuarterReport:
    """The quarterly report for ``quarter``, judged as the /plan page judges it.

    Parameters
    ----------
    snapshot
        Every task (with ``leads`` and ``partner_units``) and its latest status reported up
        to ``quarter`` (:func:`data_access.queries.plan.latest_status`).
    reports
        Every quarterly report: ``unit_code, quarter, due_on, submitted_at, generated``.
    quarter
        The reporting quarter (checked by :func:`reporting_quarter`).
    today
        The date of judgement for the running quarter.
    units
        Keep only the tasks led by these units and their reports (group codes stand for
        their members, as on the /plan page); everything when empty.
    groups
        Group code → member codes.
    items
        The units' submitted items of the quarter (columns (3)–(6)); none when None.

    Returns
    -------
    QuarterReport
    """
    units = tuple(dict.fromkeys(units))
    on = progress.judged_on(quarter, today)
    shown = progress.filter_tasks(snapshot, units=units, groups=groups)
    table = shown.assign(
        state=progress.task_states(shown, on),
        _order=shown["kind"].map(KIND_ORDER).fillna(len(KIND_ORDER)),
    )
    table = table.sort_values(["_order", "task_id"])[
        [
            "kind",
            "code",
            "title_vi",
            "title_en",
            "lead_units",
            "partner_units",
            "due",
            "state",
            "percent",
            "quarter",
        ]
    ].reset_index(drop=True)
    punctual = progress.punctuality(reports, quarter, today, units=units, groups=groups)
    wanted = progress.expand_units(units, groups or {})
    mine = reports if not wanted else reports[reports["unit_code"].isin(wanted)]
    in_quarter = mine[mine["quarter"] == quarter]
    flags = dict(zip(in_quarter["unit_code"], in_quarter["generated"].astype(bool), strict=True))
    punctual = punctual.assign(generated=[flags.get(code, False) for code in punctual["unit_code"]])
    so_far = mine[mine["quarter"] <= quarter]
    return QuarterReport(
        quarter=quarter,
        judged_on=on,
        due_on=progress.quarter_due_on(reports, quarter),
        units=units,
        counts=progress.state_counts(shown, on),
        report_counts={
            state: int((punctual["state"] == state).sum()) for state in progress.REPORT_STATES
        },
        generated=int(so_far["generated"].astype(bool).sum()),
        reports_so_far=len(so_far),
        tasks=table,
        punctuality=punctual,
        items=_unit_items(items, wanted),
    )


def _unit_items(items: pd.DataFrame | None, wanted: set[str]) -> pd.DataFrame:
    if items is None:
        return pd.DataFrame()
    return items if not wanted else items[items["unit_code"].isin(wanted)]


def synthesis(items: pd.DataFrame) -> pd.DataFrame:
    """Columns (3)–(6) per task for the summary table: each unit's text as ``UNIT: text``,
    one per line, units in code order. Index ``(kind, code)``."""
    columns = ["done", "next", "difficulties", "recommendations"]
    if items.empty:
        return pd.DataFrame(columns=columns)
    rows = items.sort_values(["kind", "code", "unit_code"])

    def joined(group: pd.DataFrame, column: str) -> str | None:
        lines = [
            f"{u}: {t}"
            for u, t in zip(group["unit_code"], group[column], strict=True)
            if isinstance(t, str) and t
        ]
        return "\n".join(lines) or None

    return pd.DataFrame(
        {
            key: {column: joined(group, column) for column in columns}
            for key, group in rows.groupby(["kind", "code"], sort=False)
        }
    ).T
