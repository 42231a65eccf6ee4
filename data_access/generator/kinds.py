"""The institution types the generator knows, and licences of the licensed kinds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class InstType:
    """A type of institution: registry fields, levels taught, relative size, churn."""

    key: str
    kind: str
    level: str | None
    ownership: str
    grades: tuple[int, int] | None
    stages: tuple[str, ...]
    size: float
    churn: float
    prefix: str
    founded: tuple[int, int]

    @property
    def licensed(self) -> bool:
        """Whether the Department licenses this kind (domain 5)."""
        return self.kind in (
            "language_it_centre",
            "study_abroad",
            "life_skills",
            "representative_office",
        )


PS, P, LS, US = "preschool", "primary", "lower_secondary", "upper_secondary"
TYPES: dict[str, InstType] = {
    t.key: t
    for t in (
        InstType("ps_pub", "school", PS, "public", (0, 0), (PS,), 1.0, 0.002, "MN", (1976, 2015)),
        InstType("ps_priv", "school", PS, "private", (0, 0), (PS,), 0.30, 0.03, "MN", (1998, 2015)),
        InstType("p_pub", "school", P, "public", (1, 5), (P,), 1.0, 0.002, "TH", (1976, 2015)),
        InstType("p_priv", "school", P, "private", (1, 5), (P,), 0.35, 0.01, "TH", (1998, 2015)),
        InstType(
            "pl_priv",
            "school",
            "primary_lower",
            "private",
            (1, 9),
            (P, LS),
            0.30,
            0.01,
            "TH-THCS",
            (1998, 2015),
        ),
        InstType(
            "pl_pub",
            "school",
            "primary_lower",
            "public",
            (1, 9),
            (P, LS),
            0.6,
            0.002,
            "TH-THCS",
            (1976, 2015),
        ),
        InstType("ls_pub", "school", LS, "public", (6, 9), (LS,), 1.0, 0.002, "THCS", (1976, 2015)),
        InstType(
            "ls_priv", "school", LS, "private", (6, 9), (LS,), 0.35, 0.01, "THCS", (1998, 2015)
        ),
        InstType("us_pub", "school", US, "public", (10, 12), (US,), 1.0, 0.0, "THPT", (1976, 2015)),
        InstType(
            "us_priv", "school", US, "private", (10, 12), (US,), 0.40, 0.01, "THPT", (1995, 2015)
        ),
        InstType(
            "lu_priv",
            "school",
            "lower_upper",
            "private",
            (6, 12),
            (LS, US),
            0.35,
            0.01,
            "THCS-THPT",
            (1995, 2015),
        ),
        InstType(
            "lu_pub",
            "school",
            "lower_upper",
            "public",
            (6, 12),
            (LS, US),
            0.6,
            0.002,
            "THCS-THPT",
            (1976, 2015),
        ),
        InstType(
            "ml_priv",
            "school",
            "multi_level",
            "private",
            (1, 12),
            (P, LS, US),
            0.30,
            0.01,
            "TH-THPT",
            (1995, 2015),
        ),
        InstType(
            "intl",
            "international_school",
            "multi_level",
            "foreign",
            (0, 12),
            (PS, P, LS, US),
            0.10,
            0.01,
            "QT",
            (1995, 2015),
        ),
        InstType(
            "ce",
            "continuing_education",
            US,
            "public",
            (10, 12),
            (US,),
            0.25,
            0.0,
            "GDTX",
            (1980, 2015),
        ),
        InstType(
            "lang", "language_it_centre", None, "private", None, (), 0.0, 0.06, "NN", (2003, 2015)
        ),
        InstType(
            "abroad", "study_abroad", None, "private", None, (), 0.0, 0.06, "DH", (2005, 2015)
        ),
        InstType(
            "skills", "life_skills", None, "private", None, (), 0.0, 0.06, "KNS", (2008, 2015)
        ),
        InstType(
            "office",
            "representative_office",
            None,
            "foreign",
            None,
            (),
            0.0,
            0.04,
            "VPDD",
            (2000, 2015),
        ),
    )
}
#: Share of international schools owned by foreign investors (the rest Vietnamese private).
FOREIGN_SHARE = {"intl": 0.6}
#: Licence statuses of open licensed units on the reference date (assumed shares).
STATUS_SHARES = (("active", 0.84), ("expiring", 0.06), ("expired", 0.05), ("suspended", 0.05))
LICENCE_YEARS = 5
PROGRAMMES = {
    "school": (
        "Chương trình GDPT 2018",
        "Chương trình GDPT 2018; Tiếng Anh tăng cường",
        "Chương trình GDPT 2018; Tiếng Anh tích hợp; Tin học quốc tế",
    ),
    "international_school": (
        "Cambridge International",
        "International Baccalaureate (IB)",
        "Chương trình GDPT 2018 + Cambridge",
        "Chương trình Hoa Kỳ (AP)",
    ),
    "continuing_education": ("Giáo dục thường xuyên cấp THPT; Trung cấp nghề",),
    "language_it_centre": (
        "Tiếng Anh",
        "Tiếng Anh; Tin học",
        "Tiếng Anh; Tiếng Nhật",
        "Tiếng Hàn; Tiếng Trung",
        "Tin học ứng dụng",
        "Tiếng Anh; IELTS",
    ),
    "study_abroad": (
        "Tư vấn du học Úc, Canada",
        "Tư vấn du học Hoa Kỳ",
        "Tư vấn du học Nhật Bản",
        "Tư vấn du học Hàn Quốc",
        "Tư vấn du học châu Âu",
    ),
    "life_skills": ("Kỹ năng sống", "Kỹ năng sống; Kỹ năng mềm", "STEM; Kỹ năng sống"),
    "representative_office": ("Xúc tiến hợp tác giáo dục", "Tuyển sinh và hợp tác đào tạo"),
}


def licences(rng: np.random.Generator, frame: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Licence number, issue date, expiry and status of the licensed units in ``frame``.

    Units closed before ``as_of`` have an expired licence ending in their last year; open
    units get a status drawn from :data:`STATUS_SHARES` and dates consistent with it (a
    licence runs :data:`LICENCE_YEARS` years; renewed licences show their latest issue).
    """
    n = len(frame)
    out = pd.DataFrame(index=frame.index)
    numbers = rng.integers(100, 9_000, n)
    out["licence_no"] = [f"{no}/QĐ-SGDĐT" for no in numbers]
    statuses = np.array([s for s, _ in STATUS_SHARES])
    shares = np.array([p for _, p in STATUS_SHARES])
    status = rng.choice(statuses, size=n, p=shares)
    days = rng.integers(1, 10_000, n)
    until = []
    for st, d, closed in zip(status, days, frame["closed_year"], strict=True):
        if pd.notna(closed):
            until.append(date(int(closed), 6, 30) - timedelta(days=int(d) % 365))
        elif st == "expiring":
            until.append(as_of + timedelta(days=1 + int(d) % 90))
        elif st == "expired":
            until.append(as_of - timedelta(days=1 + int(d) % 400))
        else:
            until.append(as_of + timedelta(days=91 + int(d) % (LICENCE_YEARS * 365 - 91)))
    status = np.where(frame["closed_year"].notna(), "expired", status)
    issued = [
        max(
            date(int(o), 1, 1) + timedelta(days=int(d) % 300),
            u.replace(year=u.year - LICENCE_YEARS)
            if not (u.month == 2 and u.day == 29)
            else u.replace(year=u.year - LICENCE_YEARS, day=28),
        )
        for o, d, u in zip(frame["opened_year"], days, until, strict=True)
    ]
    out["licence_issued"] = issued
    out["licence_valid_until"] = [
        max(u, i + timedelta(days=30)) for u, i in zip(until, issued, strict=True)
    ]
    out["licence_status"] = status
    return out
