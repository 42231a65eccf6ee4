"""The words every page shares: levels, kinds and ownership of institutions, boundary sets.

Each table maps a warehouse code to its (Vietnamese, English) name; pick one with
:func:`ioc_app.core.i18n.pick`.
"""

from __future__ import annotations

from typing import Any

from ioc_app.core.fmt import school_year_label
from ioc_app.core.i18n import pick

LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "preschool": ("Mầm non", "Preschool"),
    "primary": ("Tiểu học", "Primary"),
    "lower_secondary": ("THCS", "Lower secondary"),
    "upper_secondary": ("THPT", "Upper secondary"),
    "primary_lower": ("Liên cấp TH–THCS", "Primary + lower secondary"),
    "lower_upper": ("Liên cấp THCS–THPT", "Lower + upper secondary"),
    "multi_level": ("Nhiều cấp học", "Multi-level"),
    "other": ("Khác", "Other"),
}
KIND_NAMES: dict[str, tuple[str, str]] = {
    "school": ("Trường học", "Schools"),
    "international_school": ("Trường quốc tế", "International schools"),
    "continuing_education": ("Trung tâm GDTX", "Continuing-education centres"),
    "language_it_centre": ("TT ngoại ngữ – tin học", "Language and IT centres"),
    "study_abroad": ("Tư vấn du học", "Study-abroad consultancies"),
    "life_skills": ("TT kỹ năng sống", "Life-skills centres"),
    "representative_office": ("Văn phòng đại diện", "Representative offices"),
}
OWNERSHIP_NAMES: dict[str, tuple[str, str]] = {
    "public": ("Công lập", "Public"),
    "private": ("Tư thục", "Private"),
    "foreign": ("Có vốn nước ngoài", "Foreign-invested"),
}
#: The two sets of boundaries figures are shown by (the 2025 wards first).
GEOGRAPHY_NAMES: dict[str, tuple[str, str]] = {
    "ward": ("Phường, xã 2025", "2025 wards"),
    "old_district": ("Quận, huyện cũ", "Old districts"),
}


def linked_year_options(year: int | None) -> list[dict[str, Any]]:
    """A year dropdown's options before its callback brings every year: the year the URL
    asks for. Dash 4's Dropdown drops a value that is not among its options."""
    return [{"label": school_year_label(year), "value": year}] if year else []


GEOGRAPHIES = tuple(GEOGRAPHY_NAMES)


def geography_options(lang: str | None = None) -> list[dict[str, str]]:
    """The boundary sets as radio or dropdown options in ``lang``."""
    return [
        {"label": pick(vi, en, lang), "value": key} for key, (vi, en) in GEOGRAPHY_NAMES.items()
    ]
