"""Plan 723/KH-SGDĐT as data: units, data domains, 2023 work items and DX tasks 2022–2025."""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from data_access.models import DataDomain, PlanTask, PlanTaskUnit, PlanUnit
from data_access.models.plan import task_key
from data_access.reference.bulk import frame_records, insert_records

#: Group phrases of the plan that stand for several units, as PlanUnit codes.
UNIT_GROUPS = {
    "Các phòng chuyên môn": "PCM",
    "Các phòng chuyên môn nghiệp vụ thuộc Sở": "PCM",
    "Các phòng chuyên môn thuộc Sở": "PCM",
    "Tổ giúp việc Đề án 06": "DA06",
}
EXTRA_UNITS = (
    (
        "PCM",
        "Các phòng chuyên môn nghiệp vụ thuộc Sở",
        "The Department's professional divisions",
        "group",
    ),
    (
        "DA06",
        "Tổ giúp việc Đề án 06",
        "Project 06 working group (population data)",
        "working_group",
    ),
)
#: The professional divisions that report for "PCM" tasks.
PCM_MEMBERS = ("GDMN", "GDTiH", "GDTrH", "GDTX-CN&ĐH")
#: Short English slugs of the 7 data domains (URL /domains/<slug>).
DOMAIN_SLUGS = {
    1: "students",
    2: "staff",
    3: "facilities",
    4: "exams",
    5: "non-public",
    6: "health",
    7: "administration",
}
#: Expected refresh interval (days): yearly facts, quarterly for domain 7 (assumption).
DOMAIN_REFRESH = {1: 365, 2: 365, 3: 365, 4: 365, 5: 365, 6: 365, 7: 92}
#: Member systems feeding each domain — ASSUMED names, the plan does not list them.
DOMAIN_SYSTEMS = {
    1: "CSDL ngành (học sinh, kết quả học tập) (assumed)",
    2: "Phần mềm quản lý cán bộ, viên chức (assumed)",
    3: "CSDL trường – lớp, cơ sở vật chất (assumed)",
    4: "Hệ thống thi và tuyển sinh đầu cấp (assumed)",
    5: "Hệ thống quản lý cơ sở giáo dục ngoài công lập (assumed)",
    6: "Phần mềm y tế trường học (assumed)",
    7: "Hệ thống quản lý văn bản và điều hành, thi đua – khen thưởng (assumed)",
}
#: Due date used when the plan gives none (items 3.3 and 6): the end of the plan year.
DEFAULT_DUE = date(2023, 12, 31)


def unit_tokens(value: Any) -> list[str]:
    """The unit codes of a ``;``-separated cell, group phrases mapped to their codes."""
    if value is None or pd.isna(value) or not str(value).strip():
        return []
    tokens = [UNIT_GROUPS.get(t.strip(), t.strip()) for t in str(value).split(";")]
    return list(dict.fromkeys(t for t in tokens if t))


def month_end(value: Any) -> date:
    """``"2023-06"`` → 30 June 2023; empty → :data:`DEFAULT_DUE`."""
    if value is None or pd.isna(value) or not str(value).strip():
        return DEFAULT_DUE
    year, month = (int(v) for v in str(value).split("-")[:2])
    return date(year, month, calendar.monthrange(year, month)[1])


def read_tasks(shared: Path) -> pd.DataFrame:
    """Both task lists as one frame (kind ``item`` / ``dx``) with PlanTask's columns."""
    folder = shared / "plan_2023"
    items = pd.read_csv(folder / "plan_2023_items.csv", dtype=str)
    groups = pd.read_csv(folder / "groups.csv", dtype=str).set_index("group")
    dx = pd.read_csv(folder / "dx_tasks_2022_2025.csv", dtype=str)
    rows = []
    for r in items.itertuples():
        rows.append(
            {
                "kind": "item",
                "code": r.code,
                "group": r.group_vi,
                "title_vi": r.title_vi,
                "title_en": r.title_en,
                "lead_units": r.lead_units,
                "partner_units": None if pd.isna(r.partner_units) else r.partner_units,
                "start_year": 2023,
                "due": month_end(r.due),
                "status_early_2023": None,
                "notes": None if pd.isna(r.notes) else r.notes,
                "source": "plan_2023/plan_2023_items.csv",
            }
        )
    for r in dx.itertuples():
        rows.append(
            {
                "kind": "dx",
                "code": r.code,
                "group": groups.loc[r.group, "title_vi"],
                "title_vi": r.title_vi,
                "title_en": None,
                "lead_units": r.lead_units,
                "partner_units": None if pd.isna(r.partner_units) else r.partner_units,
                "start_year": int(r.start),
                "due": month_end(r.due),
                "status_early_2023": r.status_early_2023,
                "notes": r.backlog_vi,
                "source": "plan_2023/dx_tasks_2022_2025.csv",
            }
        )
    frame = pd.DataFrame(rows)
    frame.insert(0, "id", range(1, len(frame) + 1))
    frame["key"] = [task_key(k, c) for k, c in zip(frame["kind"], frame["code"], strict=True)]
    return frame


def write_plan(conn: Connection, shared: Path) -> tuple[pd.DataFrame, int]:
    """Insert plan units (missing ones only), data domains, tasks and task units.

    Plan units are kept across re-seeding because user accounts refer to them.

    Returns
    -------
    tuple
        The task frame (with ids) and the number of rows written.
    """
    folder = shared / "plan_2023"
    units = pd.read_csv(folder / "units.csv", dtype=str)
    wanted = [(u.code, u.name_vi, u.name_en, u.kind) for u in units.itertuples()]
    wanted += list(EXTRA_UNITS)
    present = set(conn.execute(select(PlanUnit.code)).scalars())
    new_units = [
        {"code": c, "name_vi": v, "name_en": e, "kind": k}
        for c, v, e, k in wanted
        if c not in present
    ]
    written = insert_records(conn, PlanUnit, new_units)
    domains = pd.read_csv(folder / "data_domains.csv", dtype=str)
    written += insert_records(
        conn,
        DataDomain,
        [
            {
                "id": int(d.id),
                "slug": DOMAIN_SLUGS[int(d.id)],
                "name_vi": d.domain_vi,
                "name_en": d.domain_en,
                "supervising_units": d.supervising_units,
                "refresh_days": DOMAIN_REFRESH[int(d.id)],
                "source_system": DOMAIN_SYSTEMS[int(d.id)],
            }
            for d in domains.itertuples()
        ],
    )
    tasks = read_tasks(shared)
    written += insert_records(conn, PlanTask, frame_records(tasks))
    links = []
    for task in tasks.itertuples():
        leads = unit_tokens(task.lead_units)
        for code in leads:
            links.append({"task_id": task.id, "unit_code": code, "role": "lead"})
        for code in unit_tokens(task.partner_units):
            if code not in leads:
                links.append({"task_id": task.id, "unit_code": code, "role": "partner"})
    written += insert_records(conn, PlanTaskUnit, links)
    return tasks, written
