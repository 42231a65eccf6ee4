"""School levels of the Vietnamese general-education system: grades and official ages."""

from __future__ import annotations

#: Level names used in every input and output table, in cohort order.
LEVELS: tuple[str, ...] = ("primary", "lower_secondary", "upper_secondary")

#: Grades of each level (inclusive).
LEVEL_GRADES: dict[str, tuple[int, int]] = {
    "primary": (1, 5),
    "lower_secondary": (6, 9),
    "upper_secondary": (10, 12),
}

#: Official ages of each level (inclusive); a pupil enters grade g at age g + 5.
LEVEL_AGES: dict[str, tuple[int, int]] = {
    "primary": (6, 10),
    "lower_secondary": (11, 14),
    "upper_secondary": (15, 17),
}

#: Default class-size norms (pupils per class) used to turn pupils into classes.
DEFAULT_CLASS_SIZE: dict[str, float] = {
    "primary": 35.0,
    "lower_secondary": 45.0,
    "upper_secondary": 45.0,
}

N_GRADES = 12
ENTRY_AGE_OFFSET = 5  # age at entry into grade g is g + 5


def level_of_grade(grade: int) -> str:
    """Return the level a grade (1–12) belongs to."""
    for level, (lo, hi) in LEVEL_GRADES.items():
        if lo <= grade <= hi:
            return level
    raise ValueError(f"grade {grade} is not between 1 and {N_GRADES}")
