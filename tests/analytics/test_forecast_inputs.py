"""Validation of histories, population tables and the statistics office's long file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analytics.forecast import (
    InputError,
    check_coverage,
    forecast,
    read_gso,
    read_history_csv,
    read_population_csv,
)
from analytics.forecast.inputs import parse_age_group, slugify

HEADER = "area_code,area_name,year,level,pupils\n"
GOOD = "Q1,Quan 1,2015,primary,100\nQ1,Quan 1,2015,lower_secondary,80\nQ1,Quan 1,2016,primary,110\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        (GOOD + "Q1,Quan 1,2016,kindergarten,5\n", 5, "level", "unknown level"),
        (GOOD + "Q1,Quan 1,2015,primary,100\n", 5, "level", "duplicate row"),
        (GOOD + "Q1,Quan 1,2016,lower_secondary,-3\n", 5, "pupils", "negative"),
        ("Q1,Quan 1,2015,primary,many\n" + GOOD, 2, "pupils", "not a number"),
        (GOOD + "Q1,Quan 1,20x6,upper_secondary,3\n", 5, "year", "not a number"),
        (GOOD + "Q1,Quan 1,2016,upper_secondary,\n", 5, "pupils", "empty"),
        (GOOD + ",Quan 1,2016,upper_secondary,4\n", 5, "area_code", "empty"),
    ],
)
def test_history_errors_name_file_row_and_column(
    tmp_path: Path, body: str, row: int, column: str, words: str
) -> None:
    path = write(tmp_path, "h.csv", HEADER + body)
    with pytest.raises(InputError) as info:
        read_history_csv(path)
    err = info.value
    assert (err.source, err.row, err.column) == (str(path), row, column)
    assert words in str(err)
    assert str(path) in str(err) and f"row {row}" in str(err) and f"'{column}'" in str(err)


def test_missing_column_is_reported_on_the_header_row(tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", "area_code,area_name,year,level\nQ1,Q,2015,primary\n")
    with pytest.raises(InputError) as info:
        read_history_csv(path)
    assert (info.value.row, info.value.column) == (1, "pupils")


def test_grade_must_exist_and_belong_to_its_level(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "h.csv",
        "area_code,area_name,year,level,grade,pupils\n"
        "Q1,Q,2015,primary,1,50\nQ1,Q,2015,primary,7,50\n",
    )
    with pytest.raises(InputError, match="does not belong") as info:
        read_history_csv(path)
    assert (info.value.row, info.value.column) == (3, "grade")
    frame = read_history_csv(
        write(
            tmp_path,
            "ok.csv",
            "area_code,area_name,year,level,"
            "grade,pupils\nQ1,Q,2015,primary,1,50\n"
            "Q1,Q,2015,primary,2,48\n",
        )
    )
    assert frame["grade"].tolist() == [1, 2]


def test_two_names_for_one_area_are_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path, "h.csv", HEADER + "Q1,Quan 1,2015,primary,1\nQ1,Quan Mot,2016,primary,1\n"
    )
    with pytest.raises(InputError, match="more than one name") as info:
        read_history_csv(path)
    assert (info.value.row, info.value.column) == (3, "area_name")


@pytest.mark.parametrize(
    ("body", "row", "column"),
    [
        ("Q1,2015,total,abc\n", 2, "population"),
        ("Q1,2015,5 to 9,10\n", 2, "age_group"),
        ("Q1,2015,total,10\nQ1,2015,total,11\n", 3, "age_group"),
        ("Q1,2015,total,-10\n", 2, "population"),
    ],
)
def test_population_errors(tmp_path: Path, body: str, row: int, column: str) -> None:
    path = write(tmp_path, "p.csv", "area_code,year,age_group,population\n" + body)
    with pytest.raises(InputError) as info:
        read_population_csv(path)
    assert (info.value.source, info.value.row, info.value.column) == (str(path), row, column)


def test_population_births_must_agree_within_an_area_year(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.csv",
        "area_code,year,age_group,population,births\nQ1,2015,00-04,10,3\nQ1,2015,05-09,10,4\n",
    )
    with pytest.raises(InputError, match="different births") as info:
        read_population_csv(path)
    assert (info.value.row, info.value.column) == (3, "births")


def test_population_must_cover_every_area(tmp_path: Path) -> None:
    history = read_history_csv(
        write(tmp_path, "h.csv", HEADER + GOOD + "Q3,Quan 3,2016,primary,7\n")
    )
    population = read_population_csv(
        write(tmp_path, "p.csv", "area_code,year,age_group,population\nQ1,2015,total,1000\n")
    )
    with pytest.raises(InputError, match="no rows for area 'Q3'") as info:
        check_coverage(history, population, population_source="p.csv")
    assert (info.value.source, info.value.column) == ("p.csv", "area_code")
    with pytest.raises(InputError, match="Q3"):
        forecast(history, population, horizon=2)


def test_age_groups_and_slugs() -> None:
    assert parse_age_group("05-09") == (5, 9)
    assert parse_age_group(" 10 - 14 ") == (10, 14)
    assert parse_age_group("TOTAL") is None
    assert parse_age_group("80+")[0] == 80
    with pytest.raises(ValueError):
        parse_age_group("09-05")
    assert slugify("Thừa Thiên-Huế") == "thua-thien-hue"
    assert slugify("Đắk Lắk") == "dak-lak"
    assert slugify("Ba Ria - Vung Tau") == "ba-ria-vung-tau"


def test_sparse_population_years_are_interpolated_with_a_note(tmp_path: Path) -> None:
    history = pd.DataFrame(
        {"area_code": "Q1", "year": range(2008, 2017), "level": "primary", "pupils": 1000.0}
    )
    population = pd.DataFrame(
        {
            "area_code": "Q1",
            "year": [2009, 2019],
            "age_group": ["05-09", "05-09"],
            "population": [900.0, 1100.0],
        }
    )
    notes: list[str] = []
    result = forecast(history, population, horizon=3, notes=notes)
    assert any("interpolated" in n for n in notes)
    assert result["forecast"].is_monotonic_increasing  # age-6 population grows 2009→2019


GSO_HEADER = "table,province,year,preliminary,item,value\n"


def gso_rows(province: str, years: range, *, prelim_year: int | None = None) -> str:
    lines = []
    for y in years:
        for item, value in (
            ("Primary", 5000 + 10 * (y - 2000)),
            ("Lower secondary", 4000),
            ("Upper secondary", 2000),
            ("Total", 11000),
        ):
            lines.append(f"pupils_general,{province},{y},False,{item},{value}")
        lines.append(f"average_population_thousand,{province},{y},False,Total,100.0")
        lines.append(
            f"birth_death_natural_increase_permille,{province},{y},False,Crude birth rate,15.0"
        )
        lines.append(f"migration_rates_permille,{province},{y},False,Net-migration rate,-2.0")
    if prelim_year is not None:  # a preliminary duplicate that must lose
        lines.append(f"average_population_thousand,{province},{prelim_year},True,Total,999.0")
        lines.append(f"pupils_general,{province},{prelim_year},True,Primary,1")
    return "\n".join(lines) + "\n"


def test_gso_file_prefers_final_figures_and_slugs_provinces(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "gso.csv",
        GSO_HEADER
        + gso_rows("Thua Thien-Hue", range(2002, 2017), prelim_year=2010)
        + "pupils_general,Ha Nam,2002,False,Primary,\n",
    )
    history, population = read_gso(path)
    assert set(history["area_code"]) == {"thua-thien-hue"}  # the empty Ha Nam row is dropped
    assert set(history["level"]) == {"primary", "lower_secondary", "upper_secondary"}
    p2010 = history[(history["year"] == 2010) & (history["level"] == "primary")]["pupils"]
    assert p2010.tolist() == [5100.0]
    row = population[population["year"] == 2010].iloc[0]
    assert row["population"] == 100_000.0
    assert row["births"] == pytest.approx(1500.0)
    assert row["net_migration"] == pytest.approx(-200.0)


def test_gso_errors_name_the_row_of_the_long_file(tmp_path: Path) -> None:
    body = gso_rows("Ha Nam", range(2005, 2008)).replace(
        "Upper secondary,2000", "Upper secondary,-5", 1
    )
    path = write(tmp_path, "gso.csv", GSO_HEADER + body)
    with pytest.raises(InputError, match="negative") as info:
        read_gso(path)
    assert (info.value.row, info.value.column) == (4, "value")
    path = write(
        tmp_path,
        "gso2.csv",
        GSO_HEADER
        + gso_rows("Ha Nam", range(2005, 2007))
        + "pupils_general,Ha Nam,2007,False,Primary,n/a\n",
    )
    with pytest.raises(InputError, match="not a number") as info:
        read_gso(path)
    assert (info.value.row, info.value.column) == (16, "value")


def test_gso_file_without_pupils_is_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "gso.csv",
        GSO_HEADER + "average_population_thousand,Ha Nam,2010,False,Total,800\n",
    )
    with pytest.raises(InputError, match="pupils_general"):
        read_gso(path)
