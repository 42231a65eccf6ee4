"""Calibration targets: pupils, teachers and institution counts per region, level and year."""

# Region codes are the old provinces of the merged city: 79 (old HCMC), 74 (Bình Dương),
# 77 (Bà Rịa–Vũng Tàu). Reported figures are read from the press file; the splits and
# year-on-year changes given in its ``note`` column are the constants below (each one is
# checked against the note text by the tests); everything else is a documented assumption
# (docs/data.md).

from __future__ import annotations

import numpy as np
import pandas as pd

YEARS = tuple(range(2015, 2026))
REGIONS = ("79", "74", "77")
STAGES = ("preschool", "primary", "lower_secondary", "upper_secondary")
STAGE_GRADES = {
    "preschool": (0,),
    "primary": (1, 2, 3, 4, 5),
    "lower_secondary": (6, 7, 8, 9),
    "upper_secondary": (10, 11, 12),
}
PRESS_METRIC = {
    "pupils_preschool": "preschool",
    "pupils_primary": "primary",
    "pupils_lower_secondary": "lower_secondary",
    "pupils_upper_secondary": "upper_secondary",
}

# --- From the notes of the press file (checked by tests/data_access/test_calibration.py).
#: 2020-21 vs 2019-20, old HCMC: kindergarten, primary, lower-sec, upper-sec.
NOTE_DELTA_2020 = (3_000, 9_000, 28_000, 14_000)
#: 2024-25 vs 2023-24, old HCMC.
NOTE_DELTA_2024 = (6_262, -6_185, 7_022, 16_999)
#: 2025-26 vs 2024-25, merged-area basis.
NOTE_DELTA_2025 = (4_737, -9_485, 42_978, 1_402)
#: Teachers 2024-25, old HCMC, by level (sum 80,611; the row says 80,612).
NOTE_TEACHERS_2024 = (26_889, 23_155, 18_125, 12_442)

# --- Assumptions (docs/data.md explains each one).
#: Old HCMC 2015-16 by level: ~1.1 million pupils in grades 1-12 (VNA c.2015, 2015 row's
#: note), preschool assumed.
HCMC_2015 = (250_000, 590_000, 345_000, 190_000)
#: Shares of the 2020-21 total (1,740,000) by level: preschool still high before COVID.
HCMC_2020_SHARES = (318, 690, 475, 257)
#: 2021-22 (COVID year, many families left the city), by level.
HCMC_2021 = (280_000, 680_000, 470_000, 252_000)
#: How the 2022-23 → 2023-24 growth (implied by the 2024 row) splits over levels.
HCMC_2023_GROWTH_SHARES = (0.20, 0.30, 0.28, 0.22)
#: Yearly growth used to back-cast Bình Dương and Bà Rịa–Vũng Tàu from 2024-25.
REGION_GROWTH = {"74": 0.03, "77": 0.012}
#: Preschool dip in the COVID years (share of the trend) outside old HCMC.
COVID_PRESCHOOL = {2020: 0.96, 2021: 0.90, 2022: 0.95}
#: Census age band used to split the merged-area figure between BD and BR-VT per level.
SPLIT_BAND = {
    "preschool": "00-04",
    "primary": "05-09",
    "lower_secondary": "10-14",
    "upper_secondary": "10-14",
}
#: Pupils per teacher in 2024-25 outside old HCMC (assumed, national norms with HCMC-like
#: pressure); old HCMC's come from the reported teachers.
PTR_2024 = {"preschool": 12.0, "primary": 28.0, "lower_secondary": 25.0, "upper_secondary": 21.0}
#: Yearly drift of pupils per teacher (classes grew faster than staff).
PTR_DRIFT = 0.012


#: Years whose level totals rest on published figures (the rest are assumptions that the
#: cohort model replaces with its own flows): old HCMC 2020 (total), 2022 (levels), 2024
#: (total and the per-level changes of the note), the merged city 2025 (levels, hence
#: 2024 of every region through the note's changes); 2015 is the starting point.
ANCHOR_YEARS = {
    "79": (2015, 2020, 2022, 2024, 2025),
    "74": (2015, 2024, 2025),
    "77": (2015, 2024, 2025),
}


def _press_value(press: pd.DataFrame, year: int, region: str, metric: str) -> float:
    rows = press[
        (press["year"] == year) & (press["region"] == region) & (press["metric"] == metric)
    ]
    if len(rows) != 1:
        raise ValueError(f"press file: expected one {metric} for {year}/{region}")
    return float(rows["value"].iloc[0])


def pupil_targets(press: pd.DataFrame, province_age: pd.DataFrame) -> pd.DataFrame:
    """Pupils per region, level (stage) and school year, calibrated to the press figures.

    Parameters
    ----------
    press
        :func:`data_access.reference.readers.read_press`.
    province_age
        Census 2019 by old province code (rows) and age band (columns).

    Returns
    -------
    pandas.DataFrame
        One row per region, stage and year: ``region, stage, year, pupils`` (float).
    """
    hcmc = {y: np.zeros(4) for y in YEARS}
    hcmc[2015] = np.array(HCMC_2015, float)
    total_2020 = _press_value(press, 2020, "79", "students_total_all_levels")
    shares = np.array(HCMC_2020_SHARES, float)
    hcmc[2020] = total_2020 * shares / shares.sum()
    hcmc[2019] = hcmc[2020] - np.array(NOTE_DELTA_2020)
    for year in (2016, 2017, 2018):
        t = (year - 2015) / 4
        hcmc[year] = hcmc[2015] ** (1 - t) * hcmc[2019] ** t
    hcmc[2021] = np.array(HCMC_2021, float)
    hcmc[2022] = np.array([_press_value(press, 2022, "79", m) for m in PRESS_METRIC])
    total_2024 = _press_value(press, 2024, "79", "students_total_all_levels")
    total_2023 = total_2024 - sum(NOTE_DELTA_2024)
    growth = total_2023 - hcmc[2022].sum()
    hcmc[2023] = hcmc[2022] + growth * np.array(HCMC_2023_GROWTH_SHARES)
    hcmc[2024] = hcmc[2023] + np.array(NOTE_DELTA_2024)

    merged_2025 = np.array([_press_value(press, 2025, "all", m) for m in PRESS_METRIC])
    merged_2024 = merged_2025 - np.array(NOTE_DELTA_2025)
    rest_2024 = merged_2024 - hcmc[2024]
    bands = [SPLIT_BAND[s] for s in STAGES]
    bd = province_age.loc["74", bands].to_numpy(float)
    brvt = province_age.loc["77", bands].to_numpy(float)
    paths = {"79": hcmc}
    for region, share in (("74", bd / (bd + brvt)), ("77", brvt / (bd + brvt))):
        base = rest_2024 * share
        g = REGION_GROWTH[region]
        path = {}
        for year in YEARS[:-1]:
            value = base / (1 + g) ** (2024 - year)
            value[0] *= COVID_PRESCHOOL.get(year, 1.0)
            path[year] = value
        paths[region] = path
    ratio = merged_2025 / merged_2024
    for region in REGIONS:
        paths[region][2025] = paths[region][2024] * ratio
    rows = [
        (r, s, y, float(paths[r][y][i]))
        for r in REGIONS
        for y in YEARS
        for i, s in enumerate(STAGES)
    ]
    frame = pd.DataFrame(rows, columns=["region", "stage", "year", "pupils"])
    frame["anchor"] = [
        y in ANCHOR_YEARS[r] for r, y in zip(frame["region"], frame["year"], strict=True)
    ]
    return frame


def teacher_ratios(pupils: pd.DataFrame) -> pd.DataFrame:
    """Pupils per teacher by region, stage and year (old HCMC 2024 = reported figures)."""
    hcmc_2024 = pupils[(pupils["region"] == "79") & (pupils["year"] == 2024)].set_index("stage")[
        "pupils"
    ]
    base = {
        "79": {s: float(hcmc_2024[s]) / t for s, t in zip(STAGES, NOTE_TEACHERS_2024, strict=True)}
    }
    for region in ("74", "77"):
        base[region] = dict(PTR_2024)
    frame = pupils[["region", "stage", "year"]].copy()
    frame["ptr"] = [
        base[r][s] * (1 + PTR_DRIFT * (y - 2024)) for r, s, y in frame.itertuples(index=False)
    ]
    return frame


def teacher_targets_2024() -> dict[str, float]:
    """Reported teachers of old HCMC in 2024-25 by stage."""
    return dict(zip(STAGES, (float(t) for t in NOTE_TEACHERS_2024), strict=True))


#: Institutions open per school year: (region, type) → {anchor year: count}; linear between
#: anchors. Types are defined in data_access.generator.kinds. Old HCMC anchors are set so
#: that the press counts hold (2015: 938 general schools; 2020: 2,353 incl. 1,346
#: preschools and 28 continuing-education centres; 2024: 2,295 = 1,357 public + 938
#: non-public, and 2,341 on the other basis without CE centres); BD and BR-VT are assumed.
COUNT_ANCHORS: dict[str, dict[str, dict[int, int]]] = {
    "79": {
        "ps_pub": {2015: 455, 2020: 470, 2022: 474, 2024: 478, 2025: 480},
        "ps_priv": {2015: 745, 2020: 876, 2022: 795, 2024: 802, 2025: 806},
        "p_pub": {2015: 470, 2020: 484, 2022: 489, 2024: 493, 2025: 495},
        "p_priv": {2015: 9, 2020: 12, 2022: 15, 2024: 18, 2025: 19},
        "pl_priv": {2015: 5, 2020: 8, 2022: 10, 2024: 12, 2025: 12},
        "ls_pub": {2015: 258, 2020: 262, 2022: 266, 2024: 270, 2025: 272},
        "ls_priv": {2015: 12, 2020: 14, 2022: 16, 2024: 18, 2025: 18},
        "us_pub": {2015: 100, 2020: 111, 2022: 112, 2024: 113, 2025: 114},
        "us_priv": {2015: 12, 2020: 14, 2022: 14, 2024: 15, 2025: 15},
        "lu_priv": {2015: 24, 2020: 28, 2022: 29, 2024: 30, 2025: 30},
        "ml_priv": {2015: 22, 2020: 25, 2022: 26, 2024: 27, 2025: 27},
        "intl": {2015: 18, 2020: 22, 2022: 23, 2024: 24, 2025: 25},
        "ce": {2015: 28, 2020: 28, 2021: 26, 2024: 24, 2025: 24},
        "lang": {2015: 700, 2020: 950, 2022: 900, 2024: 1080, 2025: 1120},
        "abroad": {2015: 120, 2020: 180, 2022: 170, 2024: 200, 2025: 205},
        "skills": {2015: 60, 2020: 110, 2022: 100, 2024: 125, 2025: 130},
        "office": {2015: 25, 2020: 32, 2022: 30, 2024: 34, 2025: 35},
    },
    "74": {
        "ps_pub": {2015: 150, 2024: 170, 2025: 172},
        "ps_priv": {2015: 300, 2024: 390, 2025: 395},
        "p_pub": {2015: 160, 2024: 178, 2025: 180},
        "p_priv": {2015: 4, 2024: 6, 2025: 6},
        "pl_priv": {2015: 2, 2024: 3, 2025: 3},
        "ls_pub": {2015: 82, 2024: 92, 2025: 93},
        "ls_priv": {2015: 3, 2024: 4, 2025: 4},
        "us_pub": {2015: 30, 2024: 34, 2025: 34},
        "us_priv": {2015: 5, 2024: 6, 2025: 6},
        "lu_priv": {2015: 6, 2024: 8, 2025: 8},
        "ml_priv": {2015: 4, 2024: 6, 2025: 6},
        "intl": {2015: 3, 2024: 5, 2025: 5},
        "ce": {2015: 9, 2025: 9},
        "lang": {2015: 60, 2024: 145, 2025: 150},
        "abroad": {2015: 5, 2024: 17, 2025: 18},
        "skills": {2015: 5, 2024: 19, 2025: 20},
        "office": {2015: 0, 2024: 2, 2025: 2},
    },
    "77": {
        "ps_pub": {2015: 195, 2024: 205, 2025: 206},
        "ps_priv": {2015: 55, 2024: 75, 2025: 76},
        "p_pub": {2015: 163, 2024: 168, 2025: 168},
        "p_priv": {2015: 1, 2024: 2, 2025: 2},
        "pl_priv": {2015: 1, 2025: 1},
        "ls_pub": {2015: 87, 2024: 90, 2025: 90},
        "ls_priv": {2015: 1, 2025: 1},
        "us_pub": {2015: 29, 2024: 31, 2025: 31},
        "us_priv": {2015: 2, 2024: 3, 2025: 3},
        "lu_priv": {2015: 3, 2024: 4, 2025: 4},
        "ml_priv": {2015: 2, 2024: 3, 2025: 3},
        "intl": {2015: 1, 2024: 2, 2025: 2},
        "ce": {2015: 8, 2025: 8},
        "lang": {2015: 40, 2024: 82, 2025: 85},
        "abroad": {2015: 3, 2024: 8, 2025: 8},
        "skills": {2015: 3, 2024: 10, 2025: 10},
        "office": {2015: 0, 2024: 1, 2025: 1},
    },
}


def count_path(anchors: dict[int, int]) -> dict[int, int]:
    """Institutions open per year, linear between the anchor years (rounded)."""
    years = sorted(anchors)
    values = np.interp(YEARS, years, [anchors[y] for y in years])
    return {y: round(float(v)) for y, v in zip(YEARS, values, strict=True)}
