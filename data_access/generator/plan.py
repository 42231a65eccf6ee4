"""Quarterly reports of the Department's units (Phụ lục II) and task progress, 2023Q1–2026Q3."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from data_access.generator import report_history, report_texts
from data_access.generator.rng import stream
from data_access.reference.plan import PCM_MEMBERS, unit_tokens

#: Units that send the quarterly report to the Department Office (its own divisions).
REPORTING_UNITS = (
    "VPS",
    "TTTT&CTGD",
    "KHTC",
    "TCCB",
    "GDMN",
    "GDTiH",
    "GDTrH",
    "GDTX-CN&ĐH",
    "KT&KĐCLGD",
    "QLCSGDNCL",
    "CTTT",
    "TTS",
)
FIRST_QUARTER, LAST_QUARTER = (2023, 1), (2026, 3)
MISSING, MISSING_LATEST, LATE, RETURNED = 0.03, 0.10, 0.15, 0.05
DIFFICULTIES = (
    "Thiếu nhân sự chuyên trách CNTT tại đơn vị.",
    "Kinh phí được bố trí chậm so với kế hoạch.",
    "Hạ tầng mạng tại một số cơ sở giáo dục chưa đáp ứng.",
    "Dữ liệu từ các hệ thống thành viên chưa đồng bộ, còn trùng lặp.",
    "Sáp nhập đơn vị hành chính làm thay đổi đầu mối báo cáo.",
    None,
)
PROPOSALS = (
    "Đề nghị Sở bổ sung chỉ tiêu biên chế phụ trách chuyển đổi số.",
    "Đề nghị tổ chức tập huấn khai thác kho dữ liệu dùng chung.",
    "Đề nghị ban hành hướng dẫn chuẩn hóa dữ liệu theo địa giới hành chính mới.",
    "Đề nghị bố trí kinh phí nâng cấp đường truyền.",
    None,
)


def quarters() -> list[tuple[int, int]]:
    """Every (year, quarter) from 2023Q1 to 2026Q3."""
    out, (y, q) = [], FIRST_QUARTER
    while (y, q) <= LAST_QUARTER:
        out.append((y, q))
        y, q = (y, q + 1) if q < 4 else (y + 1, 1)
    return out


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a quarter."""
    return (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(
        days=1
    )


def reporting_leads(value: object) -> list[str]:
    """The reporting units leading a task (group phrases expanded, outside units dropped)."""
    leads: list[str] = []
    for code in unit_tokens(value):
        leads += list(PCM_MEMBERS) if code == "PCM" else [code]
    return [c for c in dict.fromkeys(leads) if c in REPORTING_UNITS]


def task_schedule(rng: np.random.Generator, tasks: pd.DataFrame) -> pd.DataFrame:
    """Start and completion dates consistent with the early-2023 statuses and due dates.

    Most tasks finish by their due date; some are late; a few are not done by 2026Q3.
    """
    rows = []
    for t in tasks.itertuples():
        start = date(int(t.start_year), 1, 1)
        status = t.status_early_2023
        draw = rng.random()
        if status == "done":
            done = date(2023, 1, 15) + timedelta(days=int(rng.integers(0, 40)))
        elif status == "overdue":
            done = t.due + timedelta(days=int(rng.integers(120, 700)))
        elif draw < 0.7:
            done = t.due - timedelta(days=int(rng.integers(0, 60)))
        elif draw < 0.9:
            done = t.due + timedelta(days=int(rng.integers(30, 300)))
        else:
            done = None
        if status == "not_started":
            start = max(start, date(2023, 4, 1) + timedelta(days=int(rng.integers(0, 120))))
        if status == "in_progress" and done is not None and done <= date(2023, 3, 31):
            done = date(2023, 6, 30)
        if done is not None and done <= start:
            done = start + timedelta(days=90)
        rows.append(
            {
                "task_id": t.id,
                "start": start,
                "done": done,
                "due": t.due,
                "leads": reporting_leads(t.lead_units),
            }
        )
    return pd.DataFrame(rows)


def _progress(s: pd.Series, end: date) -> tuple[str, float, str, str]:
    if end < s["start"]:
        return "not_started", 0.0, "Chưa triển khai trong quý.", "Chuẩn bị triển khai."
    if s["done"] is not None and s["done"] <= end:
        return "done", 100.0, "Đã hoàn thành, tiếp tục duy trì.", "Duy trì, đánh giá hiệu quả."
    finish = s["done"] or (s["due"] + timedelta(days=3 * 365))
    percent = round(
        float(np.clip((end - s["start"]).days / max((finish - s["start"]).days, 1) * 100, 5, 95)), 0
    )
    if end > s["due"]:
        return (
            "overdue",
            percent,
            f"Chậm tiến độ, đạt {percent:.0f}% kế hoạch.",
            "Đẩy nhanh tiến độ, báo cáo Ban Giám đốc.",
        )
    return (
        "in_progress",
        percent,
        f"Đang triển khai, đạt {percent:.0f}% kế hoạch.",
        "Tiếp tục triển khai theo kế hoạch.",
    )


def plan_frames(seed: int, tasks: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The units' reports (some late, some missing, a few returned), items and versions.

    A missing report is a draft row without items. Statuses are those a unit can report
    (not_started, in_progress, done): a task past its due date is reported in progress, and
    the /plan page judges it late. The 2023Q1 reports give every 2022–2025 task its status
    of early 2023 (``overdue`` reported as in progress).
    """
    reports, progress = _unit_frames(seed, tasks)
    return _with_history(seed, tasks, reports, progress)


def _with_history(
    seed: int, tasks: pd.DataFrame, reports: pd.DataFrame, progress: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """States, UTC times, lateness, themed texts (5)–(6) per item, returns and versions."""
    rng = stream(seed, "plan_history")
    progress["status"] = progress["status"].replace({"overdue": "in_progress"})
    sent = reports["submitted_at"].notna()
    local = pd.to_datetime(reports["submitted_at"])
    reports["late"] = sent & (local.dt.date > pd.to_datetime(reports["due_on"]).dt.date)
    reports["submitted_at"] = [
        None if pd.isna(t) else t.to_pydatetime() - report_history.UTC_OFFSET for t in local
    ]
    reports["state"] = np.where(sent, "submitted", "draft")
    reports["reporter"] = reports["unit_code"]
    reports["amended_late"] = False
    themes = rng.integers(0, len(report_texts.THEMES), len(reports))
    reports["difficulties"] = np.where(sent, report_texts.statements(rng, themes, 0), None)
    reports["proposals"] = np.where(sent, report_texts.statements(rng, themes, 1), None)
    first = ~progress["report_id"].duplicated()
    texts = reports.set_index("id")
    progress["difficulties"] = progress["report_id"].map(texts["difficulties"]).where(first)
    progress["recommendations"] = progress["report_id"].map(texts["proposals"]).where(first)
    progress["percent"] = progress["percent"].round()
    keys = dict(zip(tasks["id"], tasks["key"], strict=True))
    submitted = reports[sent]
    returned = rng.random(len(submitted)) < RETURNED
    items = report_history.items_json(progress, keys)
    versions, change = report_history.versions(
        rng, submitted, items, returned, np.ones(len(submitted), dtype=bool)
    )
    for column, values in change.items():
        reports.loc[sent, column] = pd.Series(values, index=submitted.index, dtype=object)
    reports.loc[sent, "returned_by"] = np.where(returned, report_history.RETURNER, None)
    return reports, progress, versions


def _unit_frames(seed: int, tasks: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """QuarterlyReport rows (some late, some missing) and TaskProgress rows."""
    rng = stream(seed, "plan")
    schedule = task_schedule(rng, tasks)
    reports, progress = [], []
    all_quarters = quarters()
    for year, q in all_quarters:
        due = date(year, 3 * q, 25)
        end = quarter_end(year, q)
        for unit in REPORTING_UNITS:
            missing = rng.random() < (MISSING_LATEST if (year, q) == all_quarters[-1] else MISSING)
            if rng.random() < LATE:
                when = due + timedelta(days=int(rng.integers(1, 21)))
            else:
                when = due - timedelta(days=int(rng.integers(0, 11)))
            submitted = (
                None
                if missing
                else datetime(
                    when.year,
                    when.month,
                    when.day,
                    int(rng.integers(8, 18)),
                    int(rng.integers(0, 60)),
                )
            )
            report_id = len(reports) + 1
            reports.append(
                {
                    "id": report_id,
                    "unit_code": unit,
                    "quarter": f"{year}Q{q}",
                    "due_on": due,
                    "submitted_at": submitted,
                    "difficulties": None
                    if missing
                    else DIFFICULTIES[rng.integers(len(DIFFICULTIES))],
                    "proposals": None if missing else PROPOSALS[rng.integers(len(PROPOSALS))],
                    "generated": True,
                }
            )
            if missing:
                continue
            for _, s in schedule[schedule["leads"].map(lambda u, x=unit: x in u)].iterrows():
                if s["start"].year > year:
                    continue
                status, percent, done, nxt = _progress(s, end)
                progress.append(
                    {
                        "report_id": report_id,
                        "task_id": int(s["task_id"]),
                        "status": status,
                        "percent": percent,
                        "work_done": done,
                        "next_quarter": nxt,
                    }
                )
    return pd.DataFrame(reports), pd.DataFrame(progress)
