"""/school/<id>: one institution's profile — registry facts, figures by year, trends."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app.core import ids
from ioc_app.core.i18n import add_texts, current_language, t
from layouts import dx_plan  # noqa: F401 (registers its texts)
from layouts.common import export_actions

add_texts(
    {
        "school.figures.restricted": (
            "Vai trò của bạn không được xem số liệu của các lĩnh vực này.",
            "Your role may not see the figures of these data domains.",
        ),
        "school.unknown": ("Không có cơ sở giáo dục mã {id}.", "There is no institution {id}."),
        "school.figures": ("Số liệu theo năm học", "Figures by school year"),
        "school.trends": ("Diễn biến", "Trends"),
        "school.kind": ("Loại", "Kind"),
        "school.level": ("Cấp học", "Level"),
        "school.ownership": ("Loại hình", "Ownership"),
        "school.address": ("Địa chỉ", "Address"),
        "school.ward": ("Phường, xã (2025)", "Ward (2025)"),
        "school.old_ward": ("Phường cũ", "Old ward"),
        "school.licence": ("Giấy phép", "Licence"),
        "school.open": ("Hoạt động", "Operating"),
        "school.open.since": ("từ năm học {year}", "since school year {year}"),
        "school.open.closed": (
            "đã ngừng hoạt động từ năm học {year}",
            "closed from school year {year}",
        ),
        "school.location": ("Toạ độ", "Location"),
        "school.no_location": ("Chưa có toạ độ", "No location"),
        "school.col.year": ("Năm học", "School year"),
        "school.col.pupils": ("Học sinh", "Pupils"),
        "school.col.classes": ("Lớp", "Classes"),
        "school.col.class_size": ("Sĩ số / lớp", "Pupils per class"),
        "school.col.teachers": ("Giáo viên", "Teachers"),
        "school.col.ratio": ("HS / GV", "Pupils per teacher"),
        "school.col.classrooms": ("Phòng học", "Classrooms"),
        "school.col.dx": ("Mức CĐS", "DX level"),
        "school.col.learners": ("Học viên", "Learners"),
        "school.col.staff": ("Nhân sự", "Staff"),
        "school.col.courses": ("Khoá học", "Courses"),
        "school.col.inspections": ("Lượt kiểm tra", "Inspections"),
        "school.col.violations": ("Vi phạm", "Violations"),
        "school.licence.detail": (
            "{status} · số {number} · {start} – {end}",
            "{status} · no. {number} · {start} – {end}",
        ),
        "school.empty.figures": (
            "Cơ sở này chưa có số liệu theo năm học trong kho dữ liệu.",
            "The warehouse holds no yearly figures of this institution yet.",
        ),
    }
)


def layout(*, id: str | None = None, **_params: Any) -> Any:
    """The profile; filled by one callback from the institution id."""
    lang = current_language()
    return html.Div(
        [
            dcc.Store(id=ids.SCHOOL_ID, data=id),
            dcc.Loading(html.Div(id=ids.SCHOOL_HEADER)),
            html.Section(
                [
                    html.H2(t("school.figures", lang)),
                    *export_actions(
                        ids.SCHOOL_EXPORT, ids.SCHOOL_EXPORT_XLSX, ids.SCHOOL_DOWNLOAD, lang
                    ),
                    html.Div(id=ids.SCHOOL_FIGURES, className="table-wrap"),
                ],
                className="card",
            ),
            html.Section(
                [
                    html.H2(t("dxplan.title", lang)),
                    dcc.Loading(html.Div(id=ids.SCHOOL_DX_PLAN)),
                ],
                className="card",
            ),
            html.Section(
                [
                    html.H2(t("school.trends", lang)),
                    dcc.Graph(
                        id=ids.SCHOOL_TRENDS,
                        config={"displaylogo": False},
                        style={"height": "340px"},
                    ),
                ],
                className="card",
            ),
        ],
        className="school-page dom-grid",
    )
