"""Spread of year-on-year change of pupils: generated schools and wards vs the 56 GSO provinces."""

# Usage: DATABASE_URL=sqlite:///ioc.sqlite python bench/noise_check.py
# Prints, per level, the standard deviation and the 10th/90th percentiles of
# log(pupils[t] / pupils[t-1]) over schools, 2025 wards and the statistics office's
# provinces (2003-2016), so a reader can judge whether the generated small areas are
# smoother than real ones (they should not be: a ward is ~40 times smaller than a province).

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd

from analytics.forecast import read_gso
from data_access.db import make_engine
from data_access.paths import shared_data_dir
from data_access.queries import forecast_inputs
from data_access.queries.facts import enrolment

GSO = "education_stats/vn_gso_education_by_province_2002_2016_long.csv"


def spread(frame: pd.DataFrame, area: str, year: str = "year") -> pd.DataFrame:
    """Per level: sd, p10 and p90 of the yearly log change of pupils per ``area``."""
    frame = frame[frame["pupils"] > 0].sort_values([area, "level", year])
    change = np.log(frame["pupils"]).groupby([frame[area], frame["level"]]).diff()
    gap = frame[year].groupby([frame[area], frame["level"]]).diff() == 1
    frame = frame.assign(change=change.where(gap)).dropna(subset=["change"])
    return frame.groupby("level")["change"].agg(
        sd="std", p10=lambda c: c.quantile(0.1), p90=lambda c: c.quantile(0.9), n="size"
    )


def main() -> int:
    """Print the three spreads side by side."""
    bind = make_engine(os.environ["DATABASE_URL"])
    schools = enrolment(bind)
    schools = schools[schools["level"] != "preschool"].rename(columns={"school_year": "year"})
    wards = forecast_inputs.enrolment_by_ward(bind)
    wards = wards.groupby(["ward_id", "school_year", "level"], as_index=False)["pupils"].sum()
    history, _ = read_gso(shared_data_dir() / GSO)
    history = history[history["year"] >= 2003]
    parts = {
        "schools (reported both years)": spread(schools, "institution_id"),
        "2025 wards (estimates included)": spread(wards, "ward_id", "school_year"),
        "GSO provinces 2003-2016": spread(history, "area_code"),
    }
    table = pd.concat(parts, names=["areas"]).round(4)
    print(table.to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
