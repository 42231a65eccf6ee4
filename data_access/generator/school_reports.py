"""Quarterly reports of the schools (Phụ lục II), 2023Q1 to the last closed quarter.

Every open institution of a school kind reports as itself (``school:<id>``) on the tasks
assigned to CSGD. Some reports are missing (no row), some late, a few returned and
resubmitted. Difficulties and recommendations come from :mod:`report_texts`: each school
has two chronic themes, and the city-wide mix drifts (bandwidth fades as lines are upgraded,
data integration grows after the 2025 merger of administrative units).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from data_access.generator import report_history, report_texts
from data_access.generator.rng import stream
from data_access.models.institutions import SCHOOL_KINDS
from data_access.reference.plan import unit_tokens

MISSING, MISSING_LATEST, LATE, RETURNED = 0.05, 0.10, 0.12, 0.03
DONE_TEXTS = (
    "Đã triển khai đến toàn thể cán bộ, giáo viên.",
    "Đã cập nhật đầy đủ dữ liệu lên hệ thống.",
    "Đã hoàn thành, tiếp tục duy trì thực hiện.",
)
DOING_TEXTS = (
    "Đang triển khai, cập nhật dữ liệu theo hướng dẫn.",
    "Đã xây dựng kế hoạch, đang tổ chức thực hiện.",
    "Đang rà soát, bổ sung dữ liệu còn thiếu.",
)
NEXT_TEXTS = (
    "Tiếp tục duy trì, cập nhật dữ liệu thường xuyên.",
    "Hoàn thành các nội dung còn lại theo kế hoạch.",
    "Kiểm tra, rà soát và báo cáo kết quả về Sở.",
)


def school_tasks(tasks: pd.DataFrame) -> pd.DataFrame:
    """The tasks assigned to CSGD (lead or partner), in id order."""
    assigned = tasks["partner_units"].map(lambda u: "CSGD" in unit_tokens(u)) | tasks[
        "lead_units"
    ].map(lambda u: "CSGD" in unit_tokens(u))
    return tasks[assigned.astype(bool)].sort_values("id")


def theme_weights(quarters: list[str]) -> np.ndarray:
    """City-wide theme mix per quarter (rows sum to 1)."""
    names = list(report_texts.THEMES)
    weights = np.ones((len(quarters), len(names)))
    t = np.linspace(0.0, 1.0, len(quarters))
    weights[:, names.index("internet")] = 2.0 - 1.5 * t
    weights[:, names.index("integration")] = [2.5 if q >= "2025Q3" else 0.8 for q in quarters]
    weights[:, names.index("elearning")] = 1.6 - t
    weights[:, names.index("workload")] = 0.8 + t
    return weights / weights.sum(axis=1, keepdims=True)


def school_frames(
    seed: int,
    registry: pd.DataFrame,
    tasks: pd.DataFrame,
    quarters: list[tuple[int, int]],
    first_id: int,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Reports, their items (task_progress rows) and versions of every school.

    Parameters
    ----------
    registry
        Institutions: ``id, kind, opened_year, closed_year``.
    tasks
        Plan tasks with ``id, kind, code, lead_units, partner_units, due``.
    quarters
        (year, quarter) from 2023Q1 to the last closed quarter.
    first_id
        The id of the first report (after the units' reports).
    """
    rng = stream(seed, "school_reports")
    schools = registry[registry["kind"].isin(SCHOOL_KINDS)]
    codes = [f"{y}Q{q}" for y, q in quarters]
    grid = _grid(rng, schools, quarters)
    grid.insert(0, "id", np.arange(first_id, first_id + len(grid)))
    due = [date(y, 3 * q, 25) for y, q in zip(grid["year"], grid["q"], strict=True)]
    times, late = report_history.submission_times(rng, due, rng.random(len(grid)) < LATE)
    reports = pd.DataFrame(
        {
            "id": grid["id"],
            "unit_code": "CSGD",
            "reporter": "school:" + grid["institution_id"].astype(str),
            "institution_id": grid["institution_id"],
            "quarter": grid["quarter"],
            "due_on": due,
            "submitted_at": times,
            "late": late,
            "amended_late": False,
            "generated": True,
        }
    )
    mine = school_tasks(tasks)
    progress = _items(rng, grid, mine, codes)
    keys = dict(zip(mine["id"], mine["key"], strict=True))
    items = report_history.items_json(progress, keys)
    returned = rng.random(len(reports)) < RETURNED
    resubmitted = (reports["quarter"] != codes[-1]).to_numpy() | (rng.random(len(reports)) < 0.5)
    versions, change = report_history.versions(rng, reports, items, returned, resubmitted)
    for column, values in change.items():
        reports[column] = values
    reports["returned_by"] = np.where(returned, report_history.RETURNER, None)
    reports["difficulties"] = reports["id"].map(_joined(progress, "difficulties"))
    reports["proposals"] = reports["id"].map(_joined(progress, "recommendations"))
    return reports, progress, versions


def _grid(
    rng: np.random.Generator, schools: pd.DataFrame, quarters: list[tuple[int, int]]
) -> pd.DataFrame:
    """One row per (open school, quarter) that sent its report."""
    n_q = len(quarters)
    ids = np.repeat(schools["id"].to_numpy(), n_q)
    years = np.tile([y for y, _ in quarters], len(schools))
    numbers = np.tile([q for _, q in quarters], len(schools))
    opened = np.repeat(schools["opened_year"].fillna(0).to_numpy(), n_q)
    closed = np.repeat(schools["closed_year"].fillna(9999).to_numpy(), n_q)
    last = np.tile(np.arange(n_q) == n_q - 1, len(schools))
    sent = rng.random(len(ids)) >= np.where(last, MISSING_LATEST, MISSING)
    keep = (opened <= years) & (closed > years) & sent
    grid = pd.DataFrame({"institution_id": ids, "year": years, "q": numbers})[keep]
    grid["quarter"] = grid["year"].astype(str) + "Q" + grid["q"].astype(str)
    chronic = rng.integers(0, len(report_texts.THEMES), (len(schools), 2))
    rows = np.repeat(np.arange(len(schools)), n_q)[keep]
    grid["chronic_a"], grid["chronic_b"] = chronic[rows, 0], chronic[rows, 1]
    return grid.reset_index(drop=True)


def _items(
    rng: np.random.Generator, grid: pd.DataFrame, tasks: pd.DataFrame, codes: list[str]
) -> pd.DataFrame:
    """Six-or-so items per report: status and progress by the school's pace, texts."""
    n, k = len(grid), len(tasks)
    report_ids = np.repeat(grid["id"].to_numpy(), k)
    task_ids = np.tile(tasks["id"].to_numpy(), n)
    due = np.tile(pd.to_datetime(tasks["due"]).to_numpy(), n)
    year, q = np.repeat(grid["year"].to_numpy(), k), np.repeat(grid["q"].to_numpy(), k)
    months = ((year - 1970) * 12 + 3 * q - 1).astype("datetime64[M]")
    ends = months.astype("datetime64[D]") + 27  # the 28th of the quarter's last month
    pace = np.repeat(rng.normal(0, 120, n), k) + rng.normal(0, 30, n * k)
    finish = due + (pace.astype(int) * np.timedelta64(1, "D"))
    start = np.datetime64("2023-01-01")
    share = (ends - start) / np.maximum(finish - start, np.timedelta64(1, "D"))
    done = ends >= finish
    percent = np.where(done, 100, np.clip(np.round(share * 100), 5, 95)).astype(int)
    status = np.where(done, "done", "in_progress")
    pick = rng.integers(0, 3, (2, n * k))
    work = np.where(done, np.take(DONE_TEXTS, pick[0]), np.take(DOING_TEXTS, pick[0]))
    plans = np.take(NEXT_TEXTS, pick[1])
    # A task finished in an earlier quarter keeps its row, with nothing new in (3) and (4).
    before = (ends - np.timedelta64(91, "D")) >= finish
    work = np.where(before, None, work)
    plans = np.where(before, None, plans)
    items = pd.DataFrame(
        {
            "report_id": report_ids,
            "task_id": task_ids,
            "status": status,
            "percent": percent.astype(float),
            "work_done": work,
            "next_quarter": plans,
        }
    )
    hard, recs = _statements(rng, grid, codes, k)
    return items.assign(difficulties=hard, recommendations=recs)


def _statements(
    rng: np.random.Generator, grid: pd.DataFrame, codes: list[str], k: int
) -> tuple[list[str | None], list[str | None]]:
    """Columns (5) and (6) per item: 0–2 difficulties per report, on chosen items."""
    n = len(grid)
    weights = theme_weights(codes)[grid["quarter"].map(codes.index).to_numpy()]
    drawn = (weights.cumsum(axis=1) < rng.random((n, 1))).sum(axis=1)
    chronic = np.where(
        rng.random(n) < 0.5, grid["chronic_a"].to_numpy(), grid["chronic_b"].to_numpy()
    )
    first = np.where(rng.random(n) < 0.6, chronic, drawn)
    second = (weights.cumsum(axis=1) < rng.random((n, 1))).sum(axis=1)
    count = rng.choice([0, 1, 2], size=n, p=[0.3, 0.5, 0.2])
    hard: list[str | None] = [None] * (n * k)
    recs: list[str | None] = [None] * (n * k)
    slots = rng.integers(0, k, (n, 2))
    for which, themes in enumerate((first, second)):
        chosen = np.flatnonzero(count > which)
        texts = report_texts.statements(rng, themes[chosen], 0)
        proposals = report_texts.statements(rng, themes[chosen], 1)
        wants = rng.random(len(chosen)) < 0.8
        for row, text, proposal, want in zip(chosen, texts, proposals, wants, strict=True):
            slot = row * k + (slots[row, which] if which == 0 else (slots[row, 0] + 1) % k)
            hard[slot] = text
            recs[slot] = proposal if want else None
    return hard, recs


def _joined(progress: pd.DataFrame, column: str) -> dict[int, str]:
    """Report id → its items' texts in ``column``, one per line (the report-level text)."""
    given = progress[progress[column].notna()]
    out: dict[int, str] = {}
    for report_id, text in zip(given["report_id"].tolist(), given[column].tolist(), strict=True):
        out[report_id] = f"{out[report_id]}\n{text}" if report_id in out else text
    return out
