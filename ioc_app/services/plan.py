"""Data of the plan page: tasks as of each quarter, quarterly reports, units, the view.

Reads are cached per plan version (:func:`version`: the latest ingestion batch and the latest
report saved), so a report submitted through the page or the API shows at the next request;
results hold no language.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from analytics import plan_progress as progress
from data_access.queries import plan, registry
from data_access.queries.reports import reports_version
from ioc_app.core.warehouse import cache, engine
from ioc_app.services import indicators
from ioc_app.services.indicators import TIMEOUT

GROUPS = plan.GROUPS
KINDS = ("item", "dx")


def version() -> str:
    """The plan's version: the data version and the reports version (both cheap), as task
    statuses and punctuality come from the reports."""
    return f"{indicators.version()}|{reports_version(engine())}"


@cache.memoize(timeout=TIMEOUT)
def _rows(data_version: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tasks (with a ``leads`` tuple), every reported status and every quarterly report."""
    return plan.plan_rows(engine())


@cache.memoize(timeout=TIMEOUT)
def snapshot(data_version: str, quarter: str) -> pd.DataFrame:
    """Every task with its latest status reported up to ``quarter``."""
    tasks, reported, _ = _rows(data_version)
    return plan.latest_status(tasks, reported, as_of=quarter)


def reports(data_version: str) -> pd.DataFrame:
    """Every quarterly report (``unit_code, quarter, due_on, submitted_at, generated``)."""
    return _rows(data_version)[2]


def quarters(data_version: str, today: date) -> list[str]:
    """The quarters that can be chosen: from the plan's first (or the first report's) to the
    one running today, oldest first."""
    first = min([progress.FIRST_QUARTER, *reports(data_version)["quarter"]])
    return progress.quarter_range(first, progress.quarter_of(today))


@cache.memoize(timeout=TIMEOUT)
def unit_names(data_version: str) -> dict[str, tuple[str, str]]:
    """Unit code → (Vietnamese name, English name)."""
    return registry.plan_unit_names(engine())


def units(data_version: str) -> list[str]:
    """The Department's units, those leading a task and those reporting, sorted by code."""
    tasks, _, sent = _rows(data_version)
    return progress.known_units(tasks, sent, unit_names(data_version))


def clean(
    quarter: Any, chosen_units: Any, state: Any, kind: Any, today: date
) -> tuple[str, list[str], str, str]:
    """The filters as sent by the browser (forgeable), each checked or set to its default."""
    v = version()
    options = quarters(v, today)
    quarter = quarter if quarter in options else progress.quarter_of(today)
    known = set(units(v))
    chosen = (
        [u for u in chosen_units if isinstance(u, str) and u in known]
        if isinstance(chosen_units, list)
        else []
    )
    state = state if state in progress.STATES else "all"
    kind = kind if kind in KINDS else "all"
    return quarter, chosen, state, kind


def view(
    quarter: str, chosen_units: list[str], state: str, kind: str, today: date
) -> dict[str, Any]:
    """Everything the page shows for one set of filters (:func:`_view`, cached)."""
    return _view(version(), quarter, tuple(chosen_units), state, kind, today)


@cache.memoize(timeout=TIMEOUT)
def _view(
    v: str, quarter: str, chosen_units: tuple[str, ...], state: str, kind: str, today: date
) -> dict[str, Any]:
    """Everything the page shows for one set of filters, at plan version ``v``.

    Returns
    -------
    dict
        ``counts`` (tiles), ``by_quarter`` (chart), ``table`` (tasks after every filter),
        ``reported`` (tasks with a report by then), ``punctuality``, ``due_on`` (the
        quarter's report due date), ``quarter_rows`` (reports of any unit for the quarter),
        ``generated`` (whether the reports are generated) and ``judged_on``.
    """
    on = progress.judged_on(quarter, today)
    shown = progress.filter_tasks(
        snapshot(v, quarter), units=chosen_units, kind=kind, groups=GROUPS
    )
    history = {
        q: progress.filter_tasks(snapshot(v, q), units=chosen_units, kind=kind, groups=GROUPS)
        for q in quarters(v, today)
        if q <= quarter
    }
    sent = reports(v)
    in_quarter = sent[sent["quarter"] == quarter]
    return {
        "counts": progress.state_counts(shown, on),
        "by_quarter": progress.counts_by_quarter(history, today),
        "table": progress.progress_table(shown, on, state=state),
        "reported": int(shown["quarter"].notna().sum()),
        "punctuality": progress.punctuality(
            sent, quarter, today, units=chosen_units, groups=GROUPS
        ),
        "due_on": progress.quarter_due_on(sent, quarter),
        "quarter_rows": len(in_quarter),
        "generated": bool(sent["generated"].astype(bool).any()) if not sent.empty else False,
        "judged_on": on,
    }
