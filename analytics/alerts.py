"""Alert rules of the control room: what a leader should act on, each with its reason.

Rules return :class:`Alert` records naming a subject (a ward, a plan task, a reporting unit
or a data domain), the measured value and the threshold it broke; the page words the
reason and links the subject. Thresholds are arguments, with the defaults below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from analytics.kpis import CLASS_SIZE_NORMS, plan_state

RULES = (
    "class_size",
    "teacher_shortage",
    "overdue_task",
    "late_report",
    "not_reported",
    "stale_data",
)
SEVERITIES = ("high", "medium")
#: A ward is short of teachers when it has less than (1 − this) of the norm.
TEACHER_TOLERANCE = 0.05
#: Above norm × this, a class-size alert is high rather than medium.
CLASS_SIZE_HIGH = 1.10


@dataclass(frozen=True)
class Alert:
    """One alert: which rule, how serious, about what, and the figures behind it."""

    rule: str
    severity: str
    subject_kind: str
    subject: str
    value: float
    threshold: float
    detail: dict[str, Any] = field(default_factory=dict)


def class_size_alerts(
    level_measures: pd.DataFrame, *, norms: dict[str, float] | None = None
) -> list[Alert]:
    """Wards where the average class of a level is larger than the norm.

    Parameters
    ----------
    level_measures
        Columns ``unit_id, level, pupils, classes`` (optionally ``estimate``).
    norms
        Largest class per level band (default :data:`analytics.kpis.CLASS_SIZE_NORMS`).

    Returns
    -------
    list of Alert
        Rule ``class_size``; value = pupils per class, threshold = the norm; detail has the
        level and whether the figure is an estimate. High above norm × ``CLASS_SIZE_HIGH``.
    """
    norms = norms or CLASS_SIZE_NORMS
    alerts = []
    for row in level_measures.itertuples(index=False):
        norm = norms.get(row.level)
        if norm is None or not row.classes:
            continue
        size = row.pupils / row.classes
        if size > norm:
            alerts.append(
                Alert(
                    "class_size",
                    "high" if size > norm * CLASS_SIZE_HIGH else "medium",
                    "ward",
                    row.unit_id,
                    round(float(size), 1),
                    float(norm),
                    {"level": row.level, "estimate": bool(getattr(row, "estimate", False))},
                )
            )
    return alerts


def teacher_shortage_alerts(
    measures: pd.DataFrame, *, tolerance: float = TEACHER_TOLERANCE
) -> list[Alert]:
    """Wards whose schools have fewer teachers than the staffing norm asks for.

    Parameters
    ----------
    measures
        Columns ``unit_id, teachers_matched, teachers_required`` (from
        :func:`analytics.kpis.ward_measures`; optionally ``estimate``).
    tolerance
        Shortfalls smaller than this share of the requirement are not reported.

    Returns
    -------
    list of Alert
        Rule ``teacher_shortage``; value = teachers, threshold = teachers required; detail
        has the number missing. High below 85 % of the norm.
    """
    alerts = []
    for row in measures.itertuples(index=False):
        required = float(row.teachers_required)
        if required <= 0 or row.teachers_matched >= required * (1 - tolerance):
            continue
        alerts.append(
            Alert(
                "teacher_shortage",
                "high" if row.teachers_matched < 0.85 * required else "medium",
                "ward",
                row.unit_id,
                float(row.teachers_matched),
                round(required, 1),
                {
                    "missing": int(np.ceil(required - row.teachers_matched)),
                    "estimate": bool(getattr(row, "estimate", False)),
                },
            )
        )
    return alerts


def overdue_task_alerts(tasks: pd.DataFrame, today: date) -> list[Alert]:
    """Plan tasks past their due date and not done.

    Parameters
    ----------
    tasks
        Columns ``code, kind, due, status, percent`` (latest reported status per task).
    today
        The date of judgement.

    Returns
    -------
    list of Alert
        Rule ``overdue_task``; value = days overdue, threshold = 0; detail has the due date
        and the percent done. High when more than 90 days late.
    """
    alerts = []
    for row in tasks.itertuples(index=False):
        if plan_state(row.status, row.percent, row.due, today) != "late":
            continue
        days = max((today - row.due).days, 0)
        percent = None if row.percent is None or pd.isna(row.percent) else float(row.percent)
        alerts.append(
            Alert(
                "overdue_task",
                "high" if days > 90 else "medium",
                "task",
                f"{row.kind}:{row.code}",
                float(days),
                0.0,
                {
                    "due": row.due.isoformat(),
                    "percent": percent,
                    "code": row.code,
                    "kind": row.kind,
                },
            )
        )
    return alerts


def current_quarter(reports: pd.DataFrame, today: date) -> str | None:
    """The latest quarter whose report was due on or before ``today`` (None if none)."""
    due = reports[pd.to_datetime(reports["due_on"]).dt.date <= today]
    return None if due.empty else str(due["quarter"].max())


def late_report_alerts(reports: pd.DataFrame, today: date) -> list[Alert]:
    """Units whose quarterly report for the latest due quarter is missing or came late.

    Parameters
    ----------
    reports
        Columns ``unit_code, quarter, due_on, submitted_at``.
    today
        The date of judgement.

    Returns
    -------
    list of Alert
        Rule ``late_report``; value = days late (so far, when missing), threshold = 0;
        detail has the quarter and whether it is missing. Missing reports are high.
    """
    quarter = current_quarter(reports, today)
    if quarter is None:
        return []
    alerts = []
    for row in reports[reports["quarter"] == quarter].itertuples(index=False):
        days = days_late(row.due_on, row.submitted_at, today)
        if days is None:
            continue
        missing = pd.isna(row.submitted_at)
        alerts.append(
            Alert(
                "late_report",
                "high" if missing else "medium",
                "unit",
                row.unit_code,
                float(days),
                0.0,
                {"quarter": quarter, "missing": missing},
            )
        )
    return alerts


def days_late(due_on: Any, submitted_at: Any, today: date) -> int | None:
    """Days a report came after its due date (so far, when missing); None when on time.

    A report submitted on its due date is on time; a missing report counts as late once its
    due date has come (None before).
    """
    due = pd.Timestamp(due_on).date()
    if pd.isna(submitted_at):
        return (today - due).days if today >= due else None
    submitted = pd.Timestamp(submitted_at).date()
    return (submitted - due).days if submitted > due else None


def not_reported_alerts(coverage: pd.DataFrame, *, high_below: float = 0.9) -> list[Alert]:
    """Data domains for which some institutions have not reported this school year.

    Parameters
    ----------
    coverage
        Columns ``slug, school_year, expected, reported`` (institutions per domain).
    high_below
        Coverage below this share is high.

    Returns
    -------
    list of Alert
        Rule ``not_reported``; value = institutions missing, threshold = expected; detail
        has the school year and the share reported.
    """
    alerts = []
    for row in coverage.itertuples(index=False):
        if row.expected <= 0 or row.reported >= row.expected:
            continue
        share = row.reported / row.expected
        alerts.append(
            Alert(
                "not_reported",
                "high" if share < high_below else "medium",
                "domain",
                row.slug,
                float(row.expected - row.reported),
                float(row.expected),
                {"school_year": int(row.school_year), "share": round(share, 3)},
            )
        )
    return alerts


def stale_data_alerts(freshness: pd.DataFrame) -> list[Alert]:
    """Data domains loaded longer ago than their refresh period, or never.

    Parameters
    ----------
    freshness
        Output of :func:`data_access.queries.status.freshness` (``slug, refresh_days,
        last_load, age_days, stale``).

    Returns
    -------
    list of Alert
        Rule ``stale_data``; value = age in days (-1 when never loaded), threshold = the
        refresh period. Never loaded, or older than twice the period, is high.
    """
    alerts = []
    for row in freshness[freshness["stale"]].itertuples(index=False):
        never = pd.isna(row.last_load)
        age = -1.0 if never else float(row.age_days)
        high = never or age > 2 * row.refresh_days
        last = (
            None
            if never
            else (
                row.last_load.isoformat()
                if isinstance(row.last_load, datetime)
                else str(row.last_load)
            )
        )
        alerts.append(
            Alert(
                "stale_data",
                "high" if high else "medium",
                "domain",
                row.slug,
                age,
                float(row.refresh_days),
                {"last_load": last},
            )
        )
    return alerts


def ranked(alerts: Iterable[Alert]) -> list[Alert]:
    """Alerts in the order a leader reads them: high first, then by rule, then worst first."""

    def key(alert: Alert) -> tuple[int, int, float]:
        excess = alert.value / alert.threshold if alert.threshold else alert.value
        if alert.rule == "teacher_shortage":
            excess = -excess  # fewer teachers is worse
        return SEVERITIES.index(alert.severity), RULES.index(alert.rule), -excess

    return sorted(alerts, key=key)
