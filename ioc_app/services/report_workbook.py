"""The quarterly report of plan 723 (Phụ lục II) as an Excel workbook, vi or en: built from
the warehouse and written by the ``report quarterly`` command and the /plan page alike."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from analytics import plan_progress as progress
from analytics import plan_report
from analytics.plan_progress import STATES, quarter_label
from analytics.plan_report import QuarterReport, synthesis
from data_access.queries import plan, registry
from data_access.spreadsheet import neutralise

#: The three sheets, per language.
SHEETS = {
    "vi": ("Tong hop", "Phu luc II", "Nop bao cao"),
    "en": ("Summary", "Annex II", "Punctuality"),
}
#: The plan's own wording of the columns units fill in (the template's (3)–(6)).
UNIT_COLUMNS = {
    "vi": (
        "(3) Nội dung đã thực hiện trong quý và kết quả",
        "(4) Nội dung công việc dự kiến thực hiện quý tới",
        "(5) Khó khăn, vướng mắc",
        "(6) Kiến nghị, đề xuất",
    ),
    "en": (
        "(3) Work done in the quarter and results",
        "(4) Work planned next quarter",
        "(5) Difficulties, obstacles",
        "(6) Recommendations, proposals",
    ),
}
TEXTS: dict[str, tuple[str, str]] = {
    "title": (
        "Báo cáo quý tiến độ Kế hoạch 723/KH-SGDĐT (Phụ lục II)",
        "Quarterly report on plan 723/KH-SGDĐT (Annex II)",
    ),
    "item": ("Mục", "Item"),
    "value": ("Giá trị", "Value"),
    "quarter": ("Quý báo cáo", "Reporting quarter"),
    "judged_on": ("Ngày đánh giá", "Judged on"),
    "due_on": ("Hạn nộp báo cáo quý", "Report due on"),
    "units": ("Đơn vị", "Units"),
    "all_units": ("Tất cả đơn vị", "All units"),
    "tasks": ("Tổng số nhiệm vụ", "Tasks"),
    "state.done": ("Nhiệm vụ hoàn thành", "Tasks done"),
    "state.on_track": ("Nhiệm vụ đúng tiến độ", "Tasks on track"),
    "state.late": ("Nhiệm vụ trễ hạn", "Tasks late"),
    "state.not_started": ("Nhiệm vụ chưa triển khai", "Tasks not started"),
    "report.on_time": ("Báo cáo nộp đúng hạn", "Reports on time"),
    "report.late": ("Báo cáo nộp trễ", "Reports late"),
    "report.missing": ("Báo cáo chưa nộp (quá hạn)", "Reports missing (overdue)"),
    "report.not_due": ("Báo cáo chưa đến hạn", "Reports not due yet"),
    "generated": ("Dữ liệu mô phỏng", "Generated data"),
    "generated.some": (
        "{n}/{total} báo cáo quý đến hết {quarter} là dữ liệu mô phỏng (cờ "
        "generated): trạng thái, tiến độ % và ngày nộp tính từ các báo cáo "
        "này là số liệu mô phỏng, không phải số liệu đơn vị đã nộp.",
        "{n} of {total} quarterly reports up to {quarter} are generated (the "
        "generated flag): the statuses, percentages and submission dates "
        "taken from them are simulated, not what the units sent.",
    ),
    "generated.none": (
        "Không có báo cáo quý mô phỏng: mọi số liệu lấy từ báo cáo đơn vị nộp.",
        "No generated quarterly report: every figure comes from the units' reports.",
    ),
    "sources": ("Nguồn dữ liệu", "Data sources"),
    "sources.text": (
        "Danh mục nhiệm vụ, đơn vị chủ trì, phối hợp, thời hạn: Kế hoạch "
        "723/KH-SGDĐT ngày 22/02/2023 (plan_2023/plan_2023_items.csv, "
        "plan_2023/dx_tasks_2022_2025.csv). Trạng thái, tiến độ, ngày nộp, cột (3)–(6): "
        "báo cáo đã nộp của các đơn vị, bảng quarterly_report và task_progress của kho "
        "dữ liệu ({database}). "
        "Trạng thái tính như trang /plan.",
        "Tasks, lead and partner units, due dates: plan 723/KH-SGDĐT of "
        "22/02/2023 (plan_2023/plan_2023_items.csv, "
        "plan_2023/dx_tasks_2022_2025.csv). Statuses, percentages, submission "
        "dates, columns (3)–(6): the units' submitted reports, the warehouse's "
        "quarterly_report and task_progress tables ({database}). States follow the /plan "
        "page's rule.",
    ),
    "made_at": ("Thời điểm lập", "Made at"),
    "col.no": ("(1) STT", "(1) No."),
    "col.code": ("(2) Mã", "(2) Code"),
    "col.kind": ("(2) Loại", "(2) Kind"),
    "col.title": ("(2) Tên nội dung công việc", "(2) Task"),
    "col.leads": ("(2) Đơn vị chủ trì", "(2) Lead units"),
    "col.partners": ("(2) Đơn vị phối hợp", "(2) Partner units"),
    "col.due": ("(2) Thời gian hoàn thành", "(2) Completion date"),
    "col.state": ("Trạng thái đến hết quý", "Status as of the quarter"),
    "col.percent": ("Tiến độ (%)", "Progress (%)"),
    "col.quarter": ("Quý báo cáo gần nhất", "Last reported quarter"),
    "kind.item": ("Hạng mục Kế hoạch 2023", "2023 plan item"),
    "kind.dx": ("Nhiệm vụ CĐS 2022–2025", "DX task 2022–2025"),
    "state.label.done": ("Hoàn thành", "Done"),
    "state.label.on_track": ("Đúng tiến độ", "On track"),
    "state.label.late": ("Trễ hạn", "Late"),
    "state.label.not_started": ("Chưa triển khai", "Not started"),
    "col.unit": ("Mã đơn vị", "Unit code"),
    "col.unit_name": ("Tên đơn vị", "Unit"),
    "col.report_due": ("Hạn nộp", "Due on"),
    "col.submitted": ("Ngày nộp", "Submitted"),
    "col.days_late": ("Số ngày trễ", "Days late"),
    "col.punctual": ("Tình trạng", "State"),
    "col.record": ("Số báo cáo đúng hạn đến quý này", "On time so far"),
    "col.due_count": ("Số báo cáo đến hạn đến quý này", "Due so far"),
    "col.generated": ("Dữ liệu mô phỏng", "Generated"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "punctual.on_time": ("Đúng hạn", "On time"),
    "punctual.late": ("Nộp trễ", "Late"),
    "punctual.missing": ("Chưa nộp", "Missing"),
    "punctual.not_due": ("Chưa đến hạn", "Not due yet"),
    "kind.adhoc": ("Công việc đột xuất", "Ad-hoc task"),
    "col.item_status": ("Trạng thái đơn vị báo cáo", "Status reported"),
    "item.not_started": ("Chưa thực hiện", "Not started"),
    "item.in_progress": ("Đang thực hiện", "In progress"),
    "item.done": ("Đã hoàn thành", "Done"),
}
DATE_FORMATS = {"vi": "DD/MM/YYYY", "en": "YYYY-MM-DD"}
ITEM_STATES = ("not_started", "in_progress", "done")


class UnknownUnitError(ValueError):
    """Unit codes asked for that the plan does not know."""


def build_report(
    engine: Engine, quarter: str, wanted: list[str], today: date
) -> tuple[QuarterReport, dict[str, tuple[str, str]]]:
    """The report of ``quarter`` for the ``wanted`` units (all when empty), and unit names.

    Raises
    ------
    UnknownUnitError
        When a code of ``wanted`` is not a unit of the plan (the message lists the known ones).
    """
    tasks, reported, reports = plan.plan_rows(engine)
    names = registry.plan_unit_names(engine)
    known = progress.known_units(tasks, reports, names)
    unknown = plan_report.unknown_units(wanted, known)
    if unknown:
        raise UnknownUnitError(
            f"unknown unit code(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )
    snapshot = plan.latest_status(tasks, reported, as_of=quarter)
    report = plan_report.build(
        snapshot,
        reports,
        quarter,
        today,
        units=wanted,
        groups=plan.GROUPS,
        items=plan.submitted_items(engine, quarter),
    )
    return report, names


def text(key: str, lang: str) -> str:
    """The label ``key`` in ``lang`` (``vi`` or ``en``)."""
    vi, en = TEXTS[key]
    return vi if lang == "vi" else en


def _cell(value: Any) -> Any:
    """A value openpyxl can store: missing → empty, pandas/numpy scalars → Python ones, and
    text a spreadsheet would run as a formula behind an apostrophe (units write the texts)."""
    if value is None or (not isinstance(value, str | tuple) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return neutralise(value.item() if hasattr(value, "item") else value)


def _sheet(
    sheet: Worksheet, header: list[str], rows: list[list[Any]], widths: list[int], lang: str
) -> None:
    """Header (bold, frozen, wrapped), rows, widths, and dates shown as ``lang`` writes them."""
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for column, width in zip(sheet.iter_cols(min_row=1), widths, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = width
        for cell in column[1:]:
            if isinstance(cell.value, date | datetime):
                cell.number_format = DATE_FORMATS[lang]
            cell.alignment = Alignment(wrap_text=width > 30, vertical="top")
    sheet.freeze_panes = "A2"


def _summary_rows(report: QuarterReport, lang: str, database: str) -> list[list[Any]]:
    t = lambda key: text(key, lang)  # noqa: E731
    generated = (
        t("generated.some").format(
            n=report.generated,
            total=report.reports_so_far,
            quarter=quarter_label(report.quarter, lang),
        )
        if report.generated
        else t("generated.none")
    )
    return [
        [t("title"), quarter_label(report.quarter, lang)],
        [t("quarter"), report.quarter],
        [t("judged_on"), report.judged_on],
        [t("due_on"), report.due_on],
        [t("units"), ", ".join(report.units) or t("all_units")],
        [t("tasks"), len(report.tasks)],
        *[[t(f"state.{state}"), report.counts[state]] for state in STATES],
        *[[t(f"report.{state}"), count] for state, count in report.report_counts.items()],
        [t("generated"), generated],
        [t("sources"), t("sources.text").format(database=database)],
        [t("made_at"), datetime.now().replace(microsecond=0)],
    ]


def _task_rows(report: QuarterReport, lang: str) -> list[list[Any]]:
    rows = []
    texts = synthesis(report.items)
    for number, row in enumerate(report.tasks.itertuples(), start=1):
        filled = texts.loc[(row.kind, row.code)] if (row.kind, row.code) in texts.index else {}
        title = row.title_vi if lang == "vi" or not row.title_en else row.title_en
        rows.append(
            [
                number,
                row.code,
                text(f"kind.{row.kind}", lang),
                title,
                row.lead_units,
                row.partner_units,
                row.due,
                text(f"state.label.{row.state}", lang),
                row.percent,
                quarter_label(row.quarter, lang) if isinstance(row.quarter, str) else None,
                *(filled.get(c) for c in ("done", "next", "difficulties", "recommendations")),
            ]
        )
    return rows


def _unit_rows(items: pd.DataFrame, lang: str) -> list[list[Any]]:
    """One unit's submitted report: column (2) from the plan, the rest as the unit wrote it."""
    rows = []
    for number, row in enumerate(items.itertuples(), start=1):
        title = row.title_vi if lang == "vi" or not row.title_en else row.title_en
        rows.append(
            [
                number,
                row.code,
                text(f"kind.{row.kind}", lang),
                title,
                row.lead_units,
                row.partner_units,
                row.due,
                text(f"item.{row.status}", lang) if row.status in ITEM_STATES else row.status,
                row.percent,
                row.done,
                row.next,
                row.difficulties,
                row.recommendations,
            ]
        )
    return rows


def _unit_sheets(book: Workbook, report: QuarterReport, lang: str) -> None:
    """One sheet per unit with a submitted report for the quarter, named by its code."""
    if report.items.empty:
        return
    t = lambda key: text(key, lang)  # noqa: E731
    keys = ("no", "code", "kind", "title", "leads", "partners", "due", "item_status", "percent")
    header = [*(t(f"col.{key}") for key in keys), *UNIT_COLUMNS[lang]]
    order = report.items.assign(_kind=report.items["kind"].map({"item": 0, "dx": 1}).fillna(2))
    for unit, items in order.sort_values(["unit_code", "_kind", "task_id"]).groupby("unit_code"):
        sheet = book.create_sheet(_sheet_title(str(unit)))
        _sheet(
            sheet,
            header,
            _unit_rows(items, lang),
            [7, 8, 16, 50, 18, 24, 14, 16, 11, 40, 40, 32, 32],
            lang,
        )


def _sheet_title(code: str) -> str:
    """A valid Excel sheet name for a unit code (≤ 31 characters, none of []:*?/\\)."""
    return "".join("-" if c in "[]:*?/\\" else c for c in code)[:31]


def _punctuality_rows(
    report: QuarterReport, names: Mapping[str, tuple[str, str]], lang: str
) -> list[list[Any]]:
    rows = []
    for row in report.punctuality.itertuples():
        vi, en = names.get(row.unit_code, (row.unit_code, row.unit_code))
        rows.append(
            [
                row.unit_code,
                vi if lang == "vi" else en,
                row.due_on,
                row.submitted_at,
                row.days_late,
                text(f"punctual.{row.state}", lang),
                row.on_time,
                row.due_count,
                text("yes" if row.generated else "no", lang),
            ]
        )
    return rows


def write_workbook(
    report: QuarterReport,
    path: Path | IO[bytes],
    *,
    lang: str = "vi",
    names: Mapping[str, tuple[str, str]] | None = None,
    database: str = "",
) -> None:
    """Write ``report`` to ``path`` (XLSX): summary, the Phụ lục II table with columns
    (3)–(6) synthesised from the units' submitted reports, punctuality, one sheet per unit.

    Parameters
    ----------
    report
        The report (:func:`analytics.plan_report.build`).
    path
        Where to write (overwritten), or a binary stream.
    lang
        ``vi`` (headers and labels in Vietnamese) or ``en``.
    names
        Unit code → (Vietnamese name, English name).
    database
        The warehouse the figures come from, named in the data sources.
    """
    t = lambda key: text(key, lang)  # noqa: E731
    book = Workbook()
    summary, tasks, punctual = (book.active, book.create_sheet(), book.create_sheet())
    for sheet, title in zip((summary, tasks, punctual), SHEETS[lang], strict=True):
        sheet.title = title
    _sheet(summary, [t("item"), t("value")], _summary_rows(report, lang, database), [34, 90], lang)
    header = [
        t(f"col.{key}")
        for key in (
            "no",
            "code",
            "kind",
            "title",
            "leads",
            "partners",
            "due",
            "state",
            "percent",
            "quarter",
        )
    ]
    _sheet(
        tasks,
        [*header, *UNIT_COLUMNS[lang]],
        _task_rows(report, lang),
        [7, 8, 16, 60, 20, 28, 14, 16, 11, 14, 40, 40, 32, 32],
        lang,
    )
    header = [
        t(f"col.{key}")
        for key in (
            "unit",
            "unit_name",
            "report_due",
            "submitted",
            "days_late",
            "punctual",
            "record",
            "due_count",
            "generated",
        )
    ]
    _sheet(
        punctual,
        header,
        _punctuality_rows(report, names or {}, lang),
        [14, 40, 13, 13, 11, 15, 16, 16, 12],
        lang,
    )
    _unit_sheets(book, report, lang)
    book.save(path)
