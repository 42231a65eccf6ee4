"""The DX criteria of Decision 4725/QĐ-BGDĐT (2022), loaded as a versioned criteria set."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection

from data_access.models import DxCriteriaSet, DxCriterion
from data_access.reference.bulk import insert_records

SET_CODE = "QD4725-2022"
SET_ID = 1
NOTE = (
    "Secondary source: group 1 sums to 100 points, group 2 to 90 (one 10-point item is "
    "probably missing). Levels per group: <50 → 1, 50–75 → 2, >75 → 3; the overall level "
    "is the lower of the two (cautious reading). Group 2 totals are stored as a share of "
    "its 90 listed points, on a 0–100 scale. Mandatory (0-point) criteria score 1 when "
    "met, 0 when not."
)


def read_criteria(shared: Path) -> pd.DataFrame:
    """The criteria of set QD4725-2022 (group, code, title, points, mandatory)."""
    frame = pd.read_csv(
        shared / "dx_index/criteria_4725_secondary_source.csv", dtype={"code": str, "title_vi": str}
    )
    frame = frame[frame["criteria_set"] == SET_CODE].copy()
    frame["mandatory"] = frame["mandatory"].astype(str).str.lower().eq("true")
    frame["max_points"] = frame["max_points"].astype(float)
    frame["group"] = frame["group"].astype(int)
    frame.insert(0, "id", range(1, len(frame) + 1))
    return frame.reset_index(drop=True)


def write_criteria(conn: Connection, shared: Path) -> tuple[pd.DataFrame, int]:
    """Insert the criteria set and its criteria; return the criteria (with ids) and rows."""
    insert_records(
        conn,
        DxCriteriaSet,
        [
            {
                "id": SET_ID,
                "code": SET_CODE,
                "title": "Bộ chỉ số chuyển đổi số cơ sở giáo dục phổ thông (QĐ 4725/QĐ-BGDĐT)",
                "valid_from": date(2022, 12, 30),
                "source": "dx_index/criteria_4725_secondary_source.csv",
                "note": NOTE,
            }
        ],
    )
    criteria = read_criteria(shared)
    insert_records(
        conn,
        DxCriterion,
        [
            {
                "id": int(r.id),
                "set_id": SET_ID,
                "group": int(r.group),
                "code": r.code,
                "title_vi": r.title_vi,
                "max_points": float(r.max_points),
                "mandatory": bool(r.mandatory),
            }
            for r in criteria.itertuples()
        ],
    )
    return criteria, 1 + len(criteria)
