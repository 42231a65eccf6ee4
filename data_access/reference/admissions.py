"""Real grade-10 cut-off scores, their schools normalised (renames, typos, district labels)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection

from data_access.models import AdmissionCutoff
from data_access.reference.bulk import insert_frame
from data_access.reference.readers import district_key

SOURCE = "admissions/hcmc_grade10_cutoffs_2015_2021_nv123.csv"
#: Spellings of one school → its latest name (renames and typos found in the file).
ALIASES = {
    "THPT Tran Phú": "THPT Trần Phú",
    "THPT Diên Hồng": "THCS-THPT Diên Hồng",
    "THPT Sương Nguyệt Anh": "THCS-THPT Sương Nguyệt Anh",
    "Năng Khiếu TDTT Bình Chánh": "THPT Năng Khiếu TDTT Bình Chánh",
    "THPT Năng Khiếu TDTT Nguyễn Thị Định": "THPT Chuyên Năng Khiếu TDTT Nguyễn Thị Định",
}
#: District labels of the 2020 split of Thủ Đức city (the file mixes old and new labels).
THU_DUC_LABELS = {"2", "9", "thuduc"}


def canonical_name(name: str) -> str:
    """The school's canonical name: NFC, the stray ``ǎ`` fixed, known aliases resolved."""
    text = unicodedata.normalize("NFC", " ".join(str(name).split())).replace("ǎ", "ă")
    return ALIASES.get(text, text)


def institution_name(canonical: str) -> str:
    """The registry name of a real school (``THPT X`` → ``Trường THPT X``)."""
    return "Trường " + canonical.replace("TH Thực Hành", "Trung học Thực hành")


def school_level(canonical: str) -> tuple[str, int, int]:
    """Level and grade range: THCS-THPT and the practice schools teach grades 6–12."""
    if canonical.startswith(("THCS-THPT", "TH Thực Hành")):
        return "lower_upper", 6, 12
    return "upper_secondary", 10, 12


def read_cutoffs(shared: Path, district_codes: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cut-off rows and the schools they name.

    Parameters
    ----------
    shared
        The reference data folder.
    district_codes
        Folded district name (``district_key``) → 2021–2025 district code of old HCMC.

    Returns
    -------
    tuple
        ``(rows, schools)``: one row per year and school with ``canonical``; one school per
        canonical name with ``district_code`` (most frequent label, latest on ties),
        ``level``, ``grade_from``, ``grade_to``, ``first_year`` and ``strength`` (mean nv1
        as a share of the scale, used to rank schools).
    """
    rows = pd.read_csv(shared / SOURCE)
    rows["canonical"] = rows["school_name_as_published"].map(canonical_name)
    keys = rows["district_as_published"].map(district_key)
    rows["district_code"] = keys.map(
        lambda k: "769" if k in THU_DUC_LABELS else district_codes.get(k)
    )
    if rows["district_code"].isna().any():
        bad = sorted(set(rows.loc[rows["district_code"].isna(), "district_as_published"]))
        raise ValueError(f"unknown districts in {SOURCE}: {bad}")
    duplicated = rows.duplicated(["year", "canonical"], keep=False)
    if duplicated.any():
        raise ValueError(f"two rows for one school and year: {rows[duplicated].head()}")
    rows["share"] = rows["nv1"] / rows["score_scale_max"]
    schools = []
    for name, group in rows.sort_values("year").groupby("canonical", sort=True):
        counts = group.groupby("district_code")["year"].agg(["size", "max"])
        district = counts.sort_values(["size", "max"], ascending=False).index[0]
        level, grade_from, grade_to = school_level(name)
        schools.append(
            {
                "canonical": name,
                "name": institution_name(name),
                "district_code": district,
                "level": level,
                "grade_from": grade_from,
                "grade_to": grade_to,
                "first_year": int(group["year"].min()),
                "strength": float(group["share"].mean()),
            }
        )
    return rows, pd.DataFrame(schools)


def write_cutoffs(conn: Connection, rows: pd.DataFrame, institution_ids: dict[str, int]) -> int:
    """Insert the cut-offs, each linked to the institution that carries its school's name."""
    frame = pd.DataFrame(
        {
            "year": rows["year"].astype(int),
            "institution_id": rows["canonical"].map(institution_ids).astype(int),
            "nv1": rows["nv1"].astype(float),
            "nv2": rows["nv2"].astype(float),
            "nv3": rows["nv3"].astype(float),
            "score_scale_max": rows["score_scale_max"].astype(int),
            "name_as_published": rows["school_name_as_published"],
            "district_as_published": rows["district_as_published"],
            "source": "cutoffs",
        }
    )
    return insert_frame(conn, AdmissionCutoff, frame)
