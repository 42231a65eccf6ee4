"""Texts of the control room, the domain, ward and school pages (formatting and the shared
names of levels, kinds and ownership live in ioc_app.core.fmt and ioc_app.core.vocabulary)."""

from __future__ import annotations

from ioc_app.core.i18n import add_texts
from ioc_app.core.vocabulary import KIND_NAMES, LEVEL_NAMES, OWNERSHIP_NAMES

TEXTS: dict[str, tuple[str, str]] = {
    "cr.title": ("Điều hành", "Control room"),
    "cr.subtitle": (
        "Năm học {year} so với năm học {previous}",
        "School year {year} against {previous}",
    ),
    "cr.year": ("Năm học", "School year"),
    "cr.kpi": ("Chỉ số trên bản đồ", "Indicator on the map"),
    "cr.method": ("Cách phân lớp", "Classification"),
    "cr.classes": ("Số lớp màu", "Classes"),
    "cr.geo": ("Ranh giới", "Boundaries"),
    "cr.method.quantile": ("Phân vị", "Quantiles"),
    "cr.method.equal_interval": ("Khoảng đều", "Equal intervals"),
    "cr.method.natural_breaks": ("Ngắt tự nhiên (Jenks)", "Natural breaks (Jenks)"),
    "cr.section.kpis": ("Chỉ số chính", "Key figures"),
    "cr.section.map": ("Bản đồ theo phường, xã", "Map by ward"),
    "cr.section.alerts": ("Cảnh báo cần xử lý", "Alerts to act on"),
    "cr.section.freshness": ("Độ mới của dữ liệu theo lĩnh vực", "Data freshness by domain"),
    "cr.alerts.export": (
        "Tải mọi cảnh báo (không chỉ những cảnh báo nặng nhất đang hiện), với lý do và đường dẫn",
        "Download every alert (not only the worst ones shown), with its reason and link",
    ),
    "cr.export.title": (
        "Tải giá trị của chỉ số đang xem cho mọi khu vực (năm học và ranh giới đang chọn)",
        "Download the indicator shown for every area (the chosen school year and boundaries)",
    ),
    "cr.map.tap": (
        "Chạm vào một phường để mở trang của phường; bảng xếp hạng bên cạnh có giá trị.",
        "Tap a ward to open its page; the ranking beside the map lists the values.",
    ),
    "cr.map.label": (
        "Bản đồ phân lớp theo phường, xã. Dùng bảng xếp hạng bên cạnh nếu không dùng chuột.",
        "Choropleth map by ward. Use the ranking beside it without a pointer.",
    ),
    "cr.layer.schools": ("Trường học", "Schools"),
    "cr.layer.units": ("Ranh giới", "Boundaries"),
    "cr.map.hover": (
        "Di chuột lên một phường để xem giá trị; bấm để mở trang của phường.",
        "Hover over a ward to see its value; click it to open the ward's page.",
    ),
    "cr.legend.missing": ("Không có số liệu", "No data"),
    "cr.legend.estimate": (
        "Viền đứt: số ước tính (phường bị chia tách)",
        "Dashed outline: estimate (split ward)",
    ),
    "cr.ranking": ("Xếp hạng (cao nhất)", "Ranking (highest first)"),
    "cr.ranking.all": ("Xem tất cả", "Show all"),
    "cr.estimate": ("ước tính", "estimate"),
    "cr.norm": ("định mức {norm}", "norm {norm}"),
    "cr.previous": ("năm trước {value}", "last year {value}"),
    "cr.no_previous": ("chưa có năm trước", "no previous year"),
    "cr.updated": ("Cập nhật lúc {time}", "Updated at {time}"),
    "cr.no_alerts": (
        "Không có cảnh báo nào. Mọi chỉ số trong ngưỡng.",
        "No alerts: every figure is within its threshold.",
    ),
    "cr.alerts.more": ("… và {count} cảnh báo cùng loại", "… and {count} more of this kind"),
    "cr.severity.high": ("Cao", "High"),
    "cr.severity.medium": ("Trung bình", "Medium"),
    "cr.open": ("Mở", "Open"),
    "cr.group.coverage": ("{share} đơn vị đã báo cáo", "{share} of units reported"),
    "cr.group.estimated": (
        "{n} trường ước tính (báo cáo muộn, theo số liệu trước của trường)",
        "{n} schools estimated (late reports, from their own earlier figures)",
    ),
    "cr.group.institutions": ("Cơ sở giáo dục", "Institutions"),
    "cr.group.pupils": ("Học sinh", "Pupils"),
    "cr.group.teachers": ("Giáo viên", "Teachers"),
    "cr.group.class_size": ("Sĩ số bình quân / lớp", "Average class size"),
    "cr.group.facilities": ("Cơ sở vật chất", "Facilities"),
    "cr.group.dx": ("Chuyển đổi số (QĐ 4725)", "Digital transformation (Dec. 4725)"),
    "cr.group.plan": ("Kế hoạch 723 – nhiệm vụ", "Plan 723 tasks"),
    "cr.kpi.pupils.total": ("Tổng số học sinh", "All pupils"),
    "cr.kpi.teachers.total": ("Giáo viên", "Teachers"),
    "cr.kpi.teachers.pupil_ratio": ("Học sinh / giáo viên", "Pupils per teacher"),
    "cr.kpi.facilities.classroom_shortfall": ("Phòng học còn thiếu", "Classrooms short"),
    "cr.kpi.dx.level1": ("Mức 1 – chưa đạt", "Level 1 – not met"),
    "cr.kpi.dx.level2": ("Mức 2 – đáp ứng cơ bản", "Level 2 – basic"),
    "cr.kpi.dx.level3": ("Mức 3 – đáp ứng tốt", "Level 3 – good"),
    "cr.kpi.plan.done": ("Hoàn thành", "Done"),
    "cr.kpi.plan.on_track": ("Đúng tiến độ", "On track"),
    "cr.kpi.plan.late": ("Trễ hạn", "Late"),
    "cr.map.pupils": ("Số học sinh", "Pupils"),
    "cr.map.schools": ("Số trường báo cáo", "Schools reporting"),
    "cr.map.teachers": ("Số giáo viên", "Teachers"),
    "cr.map.pupil_teacher_ratio": ("Học sinh / giáo viên", "Pupils per teacher"),
    "cr.map.class_size": ("Sĩ số bình quân / lớp", "Average class size"),
    "cr.map.class_size_vs_norm": ("Sĩ số so với định mức (%)", "Class size against norm (%)"),
    "cr.map.staffing_vs_norm": ("Giáo viên so với định mức (%)", "Teachers against norm (%)"),
    "cr.map.classroom_shortfall": ("Phòng học còn thiếu", "Classrooms short"),
    "cr.map.dx_level3_share": ("Trường đạt CĐS mức 3 (%)", "Schools at DX level 3 (%)"),
    "cr.alert.class_size": (
        "Sĩ số {level} bình quân {value} học sinh/lớp, vượt định mức {threshold}.",
        "Average {level} class of {value} pupils, above the norm of {threshold}.",
    ),
    "cr.alert.teacher_shortage": (
        "Có {value} giáo viên, định mức cần {threshold}: thiếu {missing}.",
        "{value} teachers where the staffing norm asks for {threshold}: {missing} short.",
    ),
    "cr.alert.overdue_task": (
        "Quá hạn {value} ngày (hạn {due}), đã làm {percent}.",
        "{value} days past its due date ({due}), {percent} done.",
    ),
    "cr.alert.late_report": (
        "Báo cáo quý {quarter} nộp trễ {value} ngày.",
        "Quarterly report {quarter} came {value} days late.",
    ),
    "cr.alert.late_report_missing": (
        "Chưa nộp báo cáo quý {quarter} (quá hạn {value} ngày).",
        "Quarterly report {quarter} not sent ({value} days past due).",
    ),
    "cr.alert.not_reported": (
        "{value} trên {threshold} đơn vị chưa báo cáo năm học {year}.",
        "{value} of {threshold} institutions have not reported for {year}.",
    ),
    "cr.alert.stale_data": (
        "Nạp lần cuối {value} ngày trước; chu kỳ cập nhật {threshold} ngày.",
        "Last loaded {value} days ago; expected every {threshold} days.",
    ),
    "cr.alert.stale_never": ("Chưa từng được nạp dữ liệu.", "Never loaded."),
    "cr.alert.title.class_size": ("Sĩ số vượt định mức", "Classes above the norm"),
    "cr.alert.title.teacher_shortage": ("Thiếu giáo viên", "Teacher shortage"),
    "cr.alert.title.overdue_task": ("Nhiệm vụ quá hạn", "Overdue plan task"),
    "cr.alert.title.late_report": ("Báo cáo quý trễ hạn", "Late quarterly report"),
    "cr.alert.title.not_reported": ("Đơn vị chưa báo cáo", "Units that have not reported"),
    "cr.alert.title.stale_data": ("Dữ liệu quá hạn cập nhật", "Data out of date"),
    "cr.fresh.domain": ("Lĩnh vực", "Domain"),
    "cr.fresh.last_load": ("Lần nạp gần nhất", "Last load"),
    "cr.fresh.age": ("Số ngày", "Age (days)"),
    "cr.fresh.refresh": ("Chu kỳ (ngày)", "Expected every (days)"),
    "cr.fresh.coverage": ("Đơn vị đã báo cáo", "Units reporting"),
    "cr.fresh.source": ("Hệ thống nguồn", "Source system"),
    "cr.fresh.status": ("Trạng thái", "Status"),
    "cr.fresh.stale": ("Quá hạn", "Out of date"),
    "cr.fresh.ok": ("Đúng hạn", "Up to date"),
    "cr.fresh.never": ("Chưa nạp", "Never loaded"),
    "cr.kiosk.hint": ("Màn hình điều hành – tự cập nhật", "Wall screen – updates itself"),
    "cr.empty": (
        "Chưa có số liệu cho năm học này. Hãy nạp dữ liệu (ioc ingest) hoặc chọn năm khác.",
        "No figures for this school year yet. Load data (ioc ingest) or choose another year.",
    ),
}
for key, (vi, en) in LEVEL_NAMES.items():
    TEXTS[f"cr.level.{key}"] = (vi, en)
    TEXTS[f"cr.kpi.pupils.{key}"] = (
        ("Trẻ " if key == "preschool" else "Học sinh ")
        + (vi.lower() if key in ("preschool", "primary") else vi),
        f"{en} pupils",
    )
    TEXTS[f"cr.kpi.class_size.{key}"] = (vi, en)
for key, (vi, en) in KIND_NAMES.items():
    TEXTS[f"cr.kind.{key}"] = (vi, en)
    TEXTS[f"cr.kpi.institutions.{key}"] = (vi, en)
for key, (vi, en) in OWNERSHIP_NAMES.items():
    TEXTS[f"cr.ownership.{key}"] = (vi, en)
add_texts(TEXTS)
