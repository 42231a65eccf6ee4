"""Texts, labels and colours of the public school map (Vietnamese first, English second)."""

from __future__ import annotations

from ioc_app.core.i18n import add_texts, current_language, t

#: Marker colour of each institution kind (Okabe–Ito: tells apart with colour-blindness).
KIND_COLOURS: dict[str, str] = {
    "school": "#0072B2",
    "international_school": "#56B4E9",
    "continuing_education": "#D55E00",
    "language_it_centre": "#009E73",
    "study_abroad": "#E69F00",
    "life_skills": "#CC79A7",
    "representative_office": "#6B6B6B",
}
KIND_LABELS: dict[str, tuple[str, str]] = {
    "school": ("Trường học", "School"),
    "international_school": ("Trường quốc tế", "International school"),
    "continuing_education": ("Trung tâm GDNN-GDTX", "Continuing-education centre"),
    "language_it_centre": ("Trung tâm ngoại ngữ, tin học", "Language / IT centre"),
    "study_abroad": ("Tư vấn du học", "Study-abroad consultancy"),
    "life_skills": ("Trung tâm kỹ năng sống", "Life-skills centre"),
    "representative_office": ("Văn phòng đại diện", "Representative office"),
}
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "preschool": ("Mầm non", "Preschool"),
    "primary": ("Tiểu học", "Primary"),
    "lower_secondary": ("Trung học cơ sở", "Lower secondary"),
    "upper_secondary": ("Trung học phổ thông", "Upper secondary"),
    "primary_lower": ("Tiểu học – THCS", "Primary + lower secondary"),
    "lower_upper": ("THCS – THPT", "Lower + upper secondary"),
    "multi_level": ("Nhiều cấp học", "Several levels"),
}
OWNERSHIP_LABELS: dict[str, tuple[str, str]] = {
    "public": ("Công lập", "Public"),
    "private": ("Tư thục", "Private"),
    "foreign": ("Có vốn đầu tư nước ngoài", "Foreign-invested"),
}
LICENCE_LABELS: dict[str, tuple[str, str]] = {
    "active": ("Còn hiệu lực", "Valid"),
    "expiring": ("Sắp hết hạn", "Expiring soon"),
    "expired": ("Hết hạn", "Expired"),
    "suspended": ("Bị đình chỉ", "Suspended"),
}

add_texts(
    {
        "map.title": ("Bản đồ trường học", "School map"),
        "map.subtitle": (
            "Tra cứu mọi cơ sở giáo dục được cấp phép tại TP. Hồ Chí Minh: trường công lập và "
            "ngoài công lập, trường quốc tế, trung tâm, văn phòng đại diện.",
            "Find every licensed education institution in Ho Chi Minh City: public and "
            "non-public schools, international schools, centres and representative offices.",
        ),
        "map.search.label": (
            "Tìm theo tên, địa chỉ, phường hoặc quận cũ",
            "Search by name, address, ward or old district",
        ),
        "map.search.placeholder": (
            "Ví dụ: thpt le quy don, mn hoa sen q3",
            "e.g. thpt le quy don, mn hoa sen q3",
        ),
        "map.filters": ("Bộ lọc", "Filters"),
        "map.filter.kind": ("Loại hình (cũng là chú giải màu)", "Kind (also the colour legend)"),
        "map.filter.level": ("Cấp học", "Level"),
        "map.filter.level.all": ("Tất cả cấp học", "All levels"),
        "map.filter.ownership": ("Loại hình sở hữu", "Ownership"),
        "map.filter.ownership.all": ("Tất cả", "All"),
        "map.filter.ward": ("Phường, xã (từ 1/7/2025)", "Ward or commune (since 1 July 2025)"),
        "map.filter.ward.all": ("Tất cả phường, xã", "All wards"),
        "map.filter.district": (
            "Quận, huyện cũ (trước 1/7/2025)",
            "Old district (before 1 July 2025)",
        ),
        "map.filter.district.all": ("Tất cả quận, huyện cũ", "All old districts"),
        "map.filter.clear": ("Xoá bộ lọc", "Clear filters"),
        "map.dropdown.search": ("Tìm…", "Search…"),
        "map.dropdown.none": ("Không có lựa chọn phù hợp", "No matching option"),
        "map.dropdown.clear": ("Xoá lựa chọn", "Clear selection"),
        "map.map.label": ("Bản đồ các cơ sở giáo dục", "Map of education institutions"),
        "map.results": ("Kết quả", "Results"),
        "map.count.all": ("{n} cơ sở", "{n} institutions"),
        "map.browse": (
            "Gõ tên trường, trung tâm hoặc địa chỉ vào ô tìm kiếm, hay chọn bộ lọc. "
            "Chưa tìm gì thì các trường công lập được xếp trước, theo cấp học.",
            "Type the name of a school, a centre or an address in the search box, or choose "
            "filters. Until then, public schools come first, by level.",
        ),
        "map.count.query": ("{n} kết quả cho “{q}”", "{n} results for “{q}”"),
        "map.count.capped": ("Hơn {n} kết quả cho “{q}”", "More than {n} results for “{q}”"),
        "map.count.showing": ("hiển thị {n} đầu tiên", "showing the first {n}"),
        "map.count.no_kind": (
            "Chọn ít nhất một loại hình để xem cơ sở.",
            "Choose at least one kind to see institutions.",
        ),
        "map.empty": (
            "Không tìm thấy cơ sở nào. Hãy thử viết ngắn hơn, bỏ bớt bộ lọc hoặc "
            "tìm theo tên phường.",
            "No institution found. Try fewer words, fewer filters or a ward name.",
        ),
        "map.details": ("Thông tin cơ sở", "Institution details"),
        "map.details.close": ("Đóng", "Close"),
        "map.details.missing": (
            "Không tìm thấy cơ sở này (có thể đã giải thể).",
            "This institution was not found (it may have closed).",
        ),
        "map.field.kind": ("Loại hình", "Kind"),
        "map.field.level": ("Cấp học", "Level"),
        "map.field.ownership": ("Sở hữu", "Ownership"),
        "map.field.address": ("Địa chỉ", "Address"),
        "map.field.ward": ("Phường, xã (2025)", "Ward (2025)"),
        "map.field.old_ward": ("Địa bàn cũ (trước 2025)", "Former ward (before 2025)"),
        "map.field.programmes": ("Chương trình", "Programmes"),
        "map.field.grades": ("Khối lớp", "Grades"),
        "map.field.opened": ("Năm thành lập", "Opened"),
        "map.figures": ("Quy mô năm học {y}", "Size in school year {y}"),
        "map.field.pupils": ("Học sinh", "Pupils"),
        "map.field.learners": ("Học viên", "Learners"),
        "map.field.courses": ("Khoá học", "Courses"),
        "map.field.classes": ("Số lớp", "Classes"),
        "map.field.class_size": ("Sĩ số bình quân", "Average class size"),
        "map.field.teachers": ("Giáo viên", "Teachers"),
        "map.field.facilities": ("Cơ sở vật chất", "Facilities"),
        "map.facilities": (
            "{classrooms} phòng học · {functional_rooms} phòng chức năng · "
            "{computers} máy tính · {smart_classrooms} lớp học thông minh · "
            "Internet {internet_mbps} Mbps",
            "{classrooms} classrooms · {functional_rooms} special rooms · "
            "{computers} computers · {smart_classrooms} smart classrooms · "
            "internet {internet_mbps} Mbps",
        ),
        "map.licence": ("Giấy phép hoạt động", "Operating licence"),
        "map.licence.status": ("Tình trạng", "Status"),
        "map.licence.valid": ("Hiệu lực", "Valid"),
        "map.licence.none": ("Chưa có thông tin giấy phép.", "No licence information."),
        "map.dx": ("Mức độ chuyển đổi số (đã công bố)", "Digital transformation level (published)"),
        "map.dx.value": ("Mức {level} — năm học {y}", "Level {level} — school year {y}"),
        "map.dx.none": ("Chưa công bố.", "Not published yet."),
        "map.cutoffs": (
            "Điểm chuẩn lớp 10 (nguyện vọng 1–3)",
            "Grade-10 cut-off scores (choices 1–3)",
        ),
        "map.cutoffs.year": ("Năm", "Year"),
        "map.cutoffs.scale": ("Thang điểm", "Scale"),
        "map.cutoffs.source": (
            "Nguồn: {s} — số liệu thật đã công bố, tên trường như được công bố: {n}.",
            "Source: {s} — real published figures; school name as published: {n}.",
        ),
        "map.real": ("Số liệu thật", "Real figures"),
        "map.sources": ("Xem mọi nguồn dữ liệu", "See every data source"),
        "map.nearest": ("Cơ sở gần nhất", "Nearest institutions"),
        "map.nearest.hint": (
            "Bấm “Vị trí của tôi” hoặc bấm vào một điểm trên bản đồ.",
            "Press “My location” or click a point on the map.",
        ),
        "map.nearest.locate": ("Vị trí của tôi", "My location"),
        "map.nearest.kind": ("Loại hình", "Kind"),
        "map.nearest.kind.all": ("Mọi loại hình", "Every kind"),
        "map.nearest.n": ("Số cơ sở", "How many"),
        "map.nearest.radius": ("Bán kính", "Radius"),
        "map.nearest.radius.any": ("Không giới hạn", "Any distance"),
        "map.nearest.none": (
            "Không có cơ sở nào trong bán kính đã chọn.",
            "No institution within the chosen radius.",
        ),
        "map.nearest.from": (
            "Từ điểm đã chọn ({lat}, {lon})",
            "From the chosen point ({lat}, {lon})",
        ),
        "map.locate.busy": ("Đang xác định vị trí…", "Finding your location…"),
        "map.locate.denied": (
            "Không lấy được vị trí (bạn đã từ chối hoặc thiết bị không hỗ trợ). "
            "Hãy bấm vào bản đồ để chọn điểm.",
            "Your location is not available (refused or not supported). "
            "Click the map to choose a point instead.",
        ),
        "map.locate.ok": ("Đã dùng vị trí của bạn.", "Using your location."),
        "map.origin": ("Điểm đã chọn", "Chosen point"),
        "map.generated_note": (
            "Số liệu quy mô, giáo viên, cơ sở vật chất và mức chuyển đổi số là dữ liệu mô phỏng.",
            "Size, teacher, facility and digital-transformation figures are generated.",
        ),
        "map.export": ("Tải danh sách", "Download the list"),
    }
)


def label(table: dict[str, tuple[str, str]], key: str | None, lang: str | None = None) -> str:
    """The label of ``key`` in ``table`` in the current language ("—" when unknown)."""
    if not key or key not in table:
        return "—"
    vi, en = table[key]
    return en if (lang or current_language()) == "en" else vi


__all__ = [
    "KIND_COLOURS",
    "KIND_LABELS",
    "LEVEL_LABELS",
    "LICENCE_LABELS",
    "OWNERSHIP_LABELS",
    "label",
    "t",
]
