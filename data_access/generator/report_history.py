"""Generated history of quarterly reports: submission times, returns and versions.

Shared by the units' reports (:mod:`data_access.generator.plan`) and the schools' reports
(:mod:`data_access.generator.school_reports`). Times are drawn in the city's local time and
stored as naive UTC (Ho Chi Minh City is UTC+7 all year).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

UTC_OFFSET = timedelta(hours=7)
RETURN_COMMENTS = (
    "Đề nghị bổ sung kết quả cụ thể và tỷ lệ % hoàn thành.",
    "Nội dung cột (4) chưa nêu công việc quý tới, đề nghị bổ sung.",
    "Số liệu chưa khớp với báo cáo quý trước, đề nghị rà soát lại.",
)
GENERATOR_USER = "generator"
TEXTS = ("done", "next", "difficulties", "recommendations")
RETURNER = "vps.generated"


def submission_times(
    rng: np.random.Generator, due: list[date], late: np.ndarray
) -> tuple[list[datetime], np.ndarray]:
    """Submission times (naive UTC) around each due day, and whether each came late.

    On-time reports come 0–10 days before the 25th, late ones 1–20 days after, between
    07:00 and 21:59 local time.
    """
    n = len(due)
    before = rng.integers(0, 11, n)
    after = rng.integers(1, 21, n)
    minutes = rng.integers(7 * 60, 22 * 60, n)
    times = []
    for day, is_late, back, forward, minute in zip(due, late, before, after, minutes, strict=True):
        local = datetime(day.year, day.month, day.day) + timedelta(
            days=int(forward) if is_late else -int(back), minutes=int(minute)
        )
        times.append(local - UTC_OFFSET)
    return times, np.asarray(late, dtype=bool)


def items_json(progress: pd.DataFrame, keys: dict[int, str]) -> dict[int, list[dict]]:
    """Each report's items as version JSON (``key, status, progress, done, next, …``)."""
    frame = progress.assign(key=progress["task_id"].map(keys))
    columns = ["report_id", "key", "status", "percent", "work_done", "next_quarter"]
    columns += ["difficulties", "recommendations"]
    out: dict[int, list[dict]] = {}
    for row in zip(*(frame[c].tolist() for c in columns), strict=True):
        report_id, key, status, percent, done, nxt, hard, rec = row
        item = {"key": key, "status": status, "progress": int(percent)}
        for name, value in zip(TEXTS, (done, nxt, hard, rec), strict=True):
            if isinstance(value, str):  # fields without a value are left out of the JSON
                item[name] = value
        out.setdefault(report_id, []).append(item)
    return out


def versions(
    rng: np.random.Generator,
    reports: pd.DataFrame,
    items: dict[int, list[dict]],
    returned: np.ndarray,
    resubmitted: np.ndarray,
) -> tuple[pd.DataFrame, dict[str, list]]:
    """Version rows of the submitted reports, and the report columns a return changes.

    A plain report has one ``submit`` version. A returned one has ``submit`` (its first,
    thinner column (3)), ``return`` (a comment from the Department Office) and, when
    ``resubmitted``, a second ``submit`` 2–6 days later.

    Parameters
    ----------
    reports
        Columns ``id, submitted_at, late, reporter`` of the submitted reports.
    items
        Report id → its final items (:func:`items_json`).
    returned, resubmitted
        Booleans per row of ``reports``.
    """
    rows: list[tuple] = []
    n = len(reports)
    comments = rng.integers(0, len(RETURN_COMMENTS), n)
    delays = rng.integers(1, 4, n)
    fixes = rng.integers(2, 7, n)
    change: dict[str, list] = {"state": [], "returned_at": [], "return_comment": []}
    change["updated_at"] = []
    ids, times, lates = reports["id"].tolist(), reports["submitted_at"].tolist(), reports["late"]
    for i, (report_id, at, late) in enumerate(zip(ids, times, lates.tolist(), strict=True)):
        final = items.get(report_id, [])
        if not returned[i]:
            rows.append(
                (report_id, 1, at, GENERATOR_USER, "submit", "submitted", late, None, final)
            )
            change["state"].append("submitted")
            change["returned_at"].append(None)
            change["return_comment"].append(None)
            change["updated_at"].append(at)
            continue
        thin = [dict(item, done="Đang tổng hợp kết quả.") for item in final]
        first = thin if resubmitted[i] else final
        back = at + timedelta(days=int(delays[i]))
        comment = RETURN_COMMENTS[int(comments[i])]
        rows.append(_version(report_id, 1, at, GENERATOR_USER, "submit", late, None, first))
        rows.append(_version(report_id, 2, back, RETURNER, "return", False, comment, first))
        change["returned_at"].append(back)
        change["return_comment"].append(comment)
        if resubmitted[i]:
            again = back + timedelta(days=int(fixes[i]))
            rows.append(
                (report_id, 3, again, GENERATOR_USER, "submit", "submitted", False, None, final)
            )
            change["state"].append("submitted")
            change["updated_at"].append(again)
        else:
            change["state"].append("returned")
            change["updated_at"].append(back)
    columns = ["report_id", "number", "at", "username", "action", "state", "late", "comment"]
    return pd.DataFrame(rows, columns=[*columns, "items"]), change


def _version(report_id: int, number: int, at, username, action, late, comment, items) -> tuple:
    """A version row; the state follows from the action."""
    state = "returned" if action == "return" else "submitted"
    return (report_id, number, at, username, action, state, bool(late), comment, items)
