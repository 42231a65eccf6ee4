"""What it takes to reach the next DX level: the plan of one school (/school/<id>) and the
schools closest to their next level (/dx). Pure rendering of plain data."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from ioc_app.core.fmt import fmt_number, school_year_label
from ioc_app.core.i18n import add_texts, t
from layouts.common import data_table
from layouts.grid import grid, md_link, number_format

add_texts(
    {
        "dxplan.title": ("Để đạt mức chuyển đổi số tiếp theo", "To reach the next DX level"),
        "dxplan.year": (
            "Năm học {year} · bộ tiêu chí {set} · {basis}",
            "School year {year} · criteria set {set} · {basis}",
        ),
        "dxplan.basis.reviewed": ("theo điểm đã thẩm định", "by reviewed points"),
        "dxplan.basis.self": ("theo điểm tự đánh giá", "by self-assessed points"),
        "dxplan.none": (
            "Cơ sở này chưa có kết quả đánh giá chuyển đổi số.",
            "This institution has no DX assessment yet.",
        ),
        "dxplan.unscored": (
            "Năm học {year} chỉ có tổng điểm từng nhóm, chưa có điểm từng tiêu chí.",
            "School year {year} holds group totals only, not points per criterion.",
        ),
        "dxplan.group.1": ("Nhóm 1 – Dạy, học", "Group 1 – Teaching and learning"),
        "dxplan.group.2": ("Nhóm 2 – Quản trị", "Group 2 – School management"),
        "dxplan.top": (
            "{points} điểm · mức {level} (mức cao nhất)",
            "{points} points · level {level} (the highest)",
        ),
        "dxplan.status": (
            "{points} điểm · mức {level} → mức {target}: cần thêm {needed} điểm",
            "{points} points · level {level} → level {target}: {needed} more points",
        ),
        "dxplan.exceed": ("(phải vượt 75)", "(must exceed 75)"),
        "dxplan.unreachable": (
            "Đáp ứng mọi tiêu chí còn thiếu vẫn chưa đủ (thiếu điểm tiêu chí).",
            "Meeting every missing criterion is still not enough (criterion points missing).",
        ),
        "dxplan.mandatory": ("Điều kiện bắt buộc", "Mandatory condition"),
        "dxplan.col.code": ("Mã", "Code"),
        "dxplan.col.title": ("Tiêu chí", "Criterion"),
        "dxplan.col.points": ("Điểm hiện có / tối đa", "Points now / maximum"),
        "dxplan.col.gain": ("Điểm nhóm tăng thêm", "Adds to the group"),
        "dxplan.closest": ("Trường gần mức tiếp theo nhất", "Schools closest to the next level"),
        "dxplan.closest.note": (
            "Điểm còn thiếu, cộng qua các nhóm dưới mức đích; bấm tên trường để xem tiêu chí.",
            "Points lacking, summed over the groups below the target; open a school for the "
            "criteria.",
        ),
        "dxplan.col.name": ("Trường", "School"),
        "dxplan.col.level": ("Mức hiện tại", "Level now"),
        "dxplan.col.target": ("Mức đích", "Target"),
        "dxplan.col.needed": ("Điểm còn thiếu", "Points lacking"),
    }
)


def _points(value: float, lang: str) -> str:
    return fmt_number(float(value), "ratio", lang)


def _group(group: dict[str, Any], lang: str) -> Any:
    if group["target_level"] is None:
        status = t("dxplan.top", lang).format(
            points=_points(group["points"], lang), level=group["level"]
        )
    else:
        status = t("dxplan.status", lang).format(
            points=_points(group["points"], lang),
            level=group["level"],
            target=group["target_level"],
            needed=_points(group["points_needed"], lang),
        )
        if group["must_exceed"]:
            status += " " + t("dxplan.exceed", lang)
    rows = [
        {
            "code": step["code"],
            "title": step["title_vi"]
            + (f" ({t('dxplan.mandatory', lang)})" if step["mandatory"] else ""),
            "points": f"{_points(step['points'], lang)} / {_points(step['max_points'], lang)}",
            "gain": "—"
            if step["mandatory"]
            else fmt_number(step["gain"], "ratio", lang, signed=True),
        }
        for step in group["steps"]
    ]
    columns = [(key, t(f"dxplan.col.{key}", lang)) for key in ("code", "title", "points", "gain")]
    parts = [html.H3(t(f"dxplan.group.{group['group']}", lang)), html.P(status)]
    if not group["reachable"]:
        parts.append(html.P(t("dxplan.unreachable", lang), className="muted"))
    if rows:
        parts.append(data_table(rows, columns))
    return html.Div(parts, className="dx-plan-group")


def plan_panel(plan: dict[str, Any] | None, lang: str) -> Any:
    """One school's plan per group (see :func:`ioc_app.services.dx_next.plan`)."""
    if plan is None:
        return html.P(t("dxplan.none", lang), className="empty-state")
    year = school_year_label(plan["school_year"])
    if not plan["scored"]:
        return html.P(t("dxplan.unscored", lang).format(year=year), className="empty-state")
    head = t("dxplan.year", lang).format(
        year=year, set=plan["criteria_set"], basis=t(f"dxplan.basis.{plan['basis']}", lang)
    )
    return html.Div(
        [html.P(head, className="muted"), *[_group(g, lang) for g in plan["groups"]]],
        className="dx-plan",
    )


def closest_table(rows: pd.DataFrame, lang: str) -> Any:
    """The schools closest to their next level, each linking to its /school page."""
    if rows.empty:
        return html.P(t("empty.no_data", lang), className="empty-state")
    data = [
        {
            "name": md_link(str(r.name), f"/school/{int(r.institution_id)}"),
            "level": int(r.level),
            "target": int(r.target_level),
            "needed": round(float(r.points_needed), 1),
        }
        for r in rows.itertuples()
    ]
    columns = [
        {
            "id": "name",
            "name": t("dxplan.col.name", lang),
            "type": "text",
            "presentation": "markdown",
        },
        {"id": "level", "name": t("dxplan.col.level", lang), "type": "numeric"},
        {"id": "target", "name": t("dxplan.col.target", lang), "type": "numeric"},
        {
            "id": "needed",
            "name": t("dxplan.col.needed", lang),
            "type": "numeric",
            "format": number_format(1),
        },
    ]
    note = html.P(t("dxplan.closest.note", lang), className="muted")
    return html.Div([note, grid(data, columns, lang, page_size=10)])
