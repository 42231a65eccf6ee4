"""Read and validate enrolment history and population inputs into tidy, typed frames."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.forecast.levels import LEVEL_GRADES, LEVELS, N_GRADES

HISTORY_COLUMNS = ("area_code", "area_name", "year", "level", "pupils")
POPULATION_COLUMNS = ("area_code", "year", "age_group", "population")
GSO_COLUMNS = ("table", "province", "year", "preliminary", "item", "value")
GSO_LEVELS = {
    "Primary": "primary",
    "Lower secondary": "lower_secondary",
    "Upper secondary": "upper_secondary",
}
_BAND = re.compile(r"^\s*(\d{1,3})\s*[-–]\s*(\d{1,3})\s*$")
_OPEN_BAND = re.compile(r"^\s*(\d{1,3})\s*\+\s*$")
#: Largest age represented in single-year population arrays (open bands end here).
MAX_AGE = 100


class InputError(ValueError):
    """Bad input data; names the source, the 1-based spreadsheet row and the column."""

    def __init__(
        self, message: str, *, source: str, row: int | None = None, column: str | None = None
    ) -> None:
        where = source
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")
        self.message, self.source, self.row, self.column = message, source, row, column


def _sheet_row(position: int) -> int:
    """Spreadsheet row of the 0-based data position (the header is row 1)."""
    return int(position) + 2


def _read_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV as text cells, turning I/O and parse problems into :class:`InputError`."""
    source = str(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise InputError("file not found", source=source) from None
    except pd.errors.EmptyDataError:
        raise InputError("file is empty", source=source) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"not a readable CSV file ({exc})", source=source) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], source: str) -> None:
    for column in columns:
        if column not in frame.columns:
            raise InputError(
                f"missing column '{column}' (found: {', '.join(frame.columns)})",
                source=source,
                row=1,
                column=column,
            )


def _stripped(values: pd.Series) -> pd.Series:
    """``str(value).strip()`` of every cell, computed once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    cleaned = np.array([str(u).strip() for u in uniques], dtype=object)
    return pd.Series(cleaned[codes] if len(codes) else [], index=values.index, dtype=object)


def _blank(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.isna().to_numpy()
    text = _stripped(values)
    return (values.isna() | (text == "") | text.str.lower().isin(["nan", "none"])).to_numpy()


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _numeric(
    frame: pd.DataFrame,
    column: str,
    source: str,
    *,
    allow_blank: bool = False,
    integer: bool = False,
    minimum: float | None = None,
) -> pd.Series:
    """Parse one column as numbers, raising on the first blank/non-numeric/out-of-range cell."""
    raw = frame[column]
    blank = _blank(raw)
    if not allow_blank and (pos := _first(blank)) is not None:
        raise InputError("empty value", source=source, row=_sheet_row(pos), column=column)
    values = pd.to_numeric(raw.where(~blank), errors="coerce").astype(float)
    bad = ~blank & ~np.isfinite(values.to_numpy())
    if (pos := _first(bad)) is not None:
        raise InputError(
            f"'{raw.iloc[pos]}' is not a number", source=source, row=_sheet_row(pos), column=column
        )
    arr = values.to_numpy()
    if integer and (pos := _first(~blank & (np.round(arr) != arr))) is not None:
        raise InputError(
            f"'{raw.iloc[pos]}' is not a whole number",
            source=source,
            row=_sheet_row(pos),
            column=column,
        )
    if minimum is not None and (pos := _first(~blank & (arr < minimum))) is not None:
        raise InputError(
            f"{raw.iloc[pos]} is negative", source=source, row=_sheet_row(pos), column=column
        )
    return pd.Series(arr, index=frame.index)


def _text(frame: pd.DataFrame, column: str, source: str) -> pd.Series:
    values = _stripped(frame[column]).astype(str)
    if (pos := _first(_blank(frame[column]))) is not None:
        raise InputError("empty value", source=source, row=_sheet_row(pos), column=column)
    return values


def _check_duplicates(frame: pd.DataFrame, keys: list[str], source: str) -> None:
    dup = frame.duplicated(keys, keep="first").to_numpy()
    if (pos := _first(dup)) is not None:
        key = frame.iloc[pos][keys]
        same = (frame[keys] == key).all(axis=1).to_numpy()
        first = _first(same)
        described = ", ".join(f"{k}={key[k]}" for k in keys)
        raise InputError(
            f"duplicate row ({described}) already given in row {_sheet_row(first)}",
            source=source,
            row=_sheet_row(pos),
            column=keys[-1],
        )


def validate_history(frame: pd.DataFrame, *, source: str = "history") -> pd.DataFrame:
    """Validate an enrolment history and return a typed tidy copy.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``area_code, year, level, pupils`` (``area_name`` optional here, required in
        CSV files); optional ``grade`` (1–12) makes rows grade-level and ``ownership``
        (e.g. public/private) splits each area.
    source : str, keyword-only
        Name used in error messages (normally the file path).

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code, area_name, year, level, pupils`` (+ ``grade``, ``ownership``).

    Raises
    ------
    InputError
        On a missing column, empty or non-numeric cell, unknown level, grade outside its
        level, negative pupils or a duplicated row; names the row and column.
    """
    frame = frame.reset_index(drop=True)
    _require_columns(frame, ("area_code", "year", "level", "pupils"), source)
    if frame.empty:
        raise InputError("no data rows", source=source, row=2)
    out = pd.DataFrame({"area_code": _text(frame, "area_code", source)})
    out["area_name"] = (
        _text(frame, "area_name", source) if "area_name" in frame.columns else out["area_code"]
    )
    out["year"] = _numeric(frame, "year", source, integer=True).astype(int)
    level = _stripped(frame["level"]).str.lower()
    if (pos := _first(~level.isin(LEVELS).to_numpy())) is not None:
        raise InputError(
            f"unknown level '{frame['level'].iloc[pos]}' (expected one of {', '.join(LEVELS)})",
            source=source,
            row=_sheet_row(pos),
            column="level",
        )
    out["level"] = level
    keys = ["area_code", "year", "level"]
    if "grade" in frame.columns:
        grade = _numeric(frame, "grade", source, integer=True)
        arr = grade.to_numpy()
        if (pos := _first((arr < 1) | (arr > N_GRADES))) is not None:
            raise InputError(
                f"grade {frame['grade'].iloc[pos]} is not between 1 and {N_GRADES}",
                source=source,
                row=_sheet_row(pos),
                column="grade",
            )
        lo = level.map(lambda v: LEVEL_GRADES[v][0]).to_numpy()
        hi = level.map(lambda v: LEVEL_GRADES[v][1]).to_numpy()
        if (pos := _first((arr < lo) | (arr > hi))) is not None:
            raise InputError(
                f"grade {int(arr[pos])} does not belong to level '{level.iloc[pos]}'",
                source=source,
                row=_sheet_row(pos),
                column="grade",
            )
        out["grade"] = arr.astype(int)
        keys.append("grade")
    out["pupils"] = _numeric(frame, "pupils", source, minimum=0.0)
    if "ownership" in frame.columns:
        out["ownership"] = _text(frame, "ownership", source).str.lower()
        keys.append("ownership")
    _check_duplicates(out, keys, source)
    names = out.groupby("area_code")["area_name"].nunique()
    if (names > 1).any():
        code = names[names > 1].index[0]
        pos = _first(
            (
                (out["area_code"] == code)
                & (out["area_name"] != out.loc[out["area_code"] == code, "area_name"].iloc[0])
            ).to_numpy()
        )
        raise InputError(
            f"area '{code}' has more than one name",
            source=source,
            row=_sheet_row(pos or 0),
            column="area_name",
        )
    return out


def parse_age_group(label: str) -> tuple[int, int] | None:
    """Return ``(first_age, last_age)`` of a band like ``05-09`` or ``80+``; None for total."""
    text = str(label).strip().lower()
    if text == "total":
        return None
    if m := _BAND.match(text):
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo <= hi:
            return lo, hi
    if m := _OPEN_BAND.match(text):
        return int(m.group(1)), MAX_AGE
    raise ValueError(f"'{label}' is not 'total' or an age band such as '05-09'")


def validate_population(frame: pd.DataFrame, *, source: str = "population") -> pd.DataFrame:
    """Validate a population table and return a typed tidy copy.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``area_code, year, age_group, population``; ``age_group`` is ``total`` or a
        band (``05-09``, ``80+``). Optional ``births`` and ``net_migration`` (persons per
        area-year, on any one row of that area-year).
    source : str, keyword-only
        Name used in error messages.

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code, year, age_group, age_lo, age_hi, population, births,
        net_migration``; ``age_lo``/``age_hi`` are -1 for ``total``.
    """
    frame = frame.reset_index(drop=True)
    _require_columns(frame, POPULATION_COLUMNS, source)
    if frame.empty:
        raise InputError("no data rows", source=source, row=2)
    out = pd.DataFrame({"area_code": _text(frame, "area_code", source)})
    out["year"] = _numeric(frame, "year", source, integer=True).astype(int)
    codes, labels = pd.factorize(_text(frame, "age_group", source))
    parsed: list[tuple[int, int]] = []
    for i, label in enumerate(labels):
        try:
            band = parse_age_group(label)
        except ValueError as exc:
            pos = int(np.flatnonzero(codes == i)[0])
            raise InputError(
                str(exc), source=source, row=_sheet_row(pos), column="age_group"
            ) from None
        parsed.append(band if band is not None else (-1, -1))
    lo = np.array([b[0] for b in parsed], dtype=int)[codes]
    hi = np.array([b[1] for b in parsed], dtype=int)[codes]
    names = np.array(
        [("total" if b == (-1, -1) else f"{b[0]:02d}-{b[1]:02d}") for b in parsed], dtype=object
    )
    out["age_group"] = names[codes]
    out["age_lo"] = lo
    out["age_hi"] = hi
    out["population"] = _numeric(frame, "population", source, minimum=0.0)
    for column, minimum in (("births", 0.0), ("net_migration", None)):
        out[column] = (
            _numeric(frame, column, source, allow_blank=True, minimum=minimum)
            if column in frame.columns
            else np.nan
        )
    _check_duplicates(out, ["area_code", "year", "age_group"], source)
    for column in ("births", "net_migration"):
        given = out.dropna(subset=[column])
        clash = given.groupby(["area_code", "year"])[column].transform("nunique") > 1
        if clash.any():
            pos = int(given.index[clash.to_numpy()][1])
            raise InputError(
                f"a different {column} value was already given for this area and year",
                source=source,
                row=_sheet_row(pos),
                column=column,
            )
    return out


def check_coverage(
    history: pd.DataFrame,
    population: pd.DataFrame,
    *,
    history_source: str = "history",
    population_source: str = "population",
) -> None:
    """Raise :class:`InputError` if an area of the history has no population rows."""
    missing = sorted(set(history["area_code"]) - set(population["area_code"]))
    if missing:
        first = missing[0]
        pos = int(np.flatnonzero((history["area_code"] == first).to_numpy())[0])
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise InputError(
            f"no rows for area '{first}' of {history_source} (its row {_sheet_row(pos)}){more}",
            source=population_source,
            column="area_code",
        )


def read_history_csv(path: str | Path) -> pd.DataFrame:
    """Read and validate ``H.csv`` (see :func:`validate_history`); area_name is required."""
    frame = _read_csv(path)
    _require_columns(frame, HISTORY_COLUMNS, str(path))
    return validate_history(frame, source=str(path))


def read_population_csv(path: str | Path) -> pd.DataFrame:
    """Read and validate ``P.csv`` (see :func:`validate_population`)."""
    return validate_population(_read_csv(path), source=str(path))


def slugify(name: str) -> str:
    """ASCII slug of a place name: ``Thừa Thiên-Huế`` -> ``thua-thien-hue``."""
    text = unicodedata.normalize("NFKD", str(name).replace("đ", "d").replace("Đ", "D"))
    text = text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def read_gso(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the statistics office's long provincial file into history and population frames.

    Uses table ``pupils_general`` (Primary / Lower secondary / Upper secondary),
    ``average_population_thousand`` (Total), crude birth rate and net-migration rate
    (per mille). Non-preliminary rows win over preliminary duplicates; empty values are
    dropped; ``area_code`` is a slug of the province name.

    Returns
    -------
    history, population : pandas.DataFrame
        Validated frames in the formats of :func:`validate_history` and
        :func:`validate_population` (``age_group`` = ``total``; births and net migration in
        persons derived from the rates and the average population).
    """
    source = str(path)
    raw = _read_csv(path)
    _require_columns(raw, GSO_COLUMNS, source)
    value = _numeric(raw, "value", source, allow_blank=True)
    year = _numeric(raw, "year", source, integer=True)
    prelim = _stripped(raw["preliminary"]).str.lower().isin(["true", "1", "yes"])
    tidy = pd.DataFrame(
        {
            "table": _stripped(raw["table"]),
            "province": _stripped(raw["province"]),
            "year": year.astype(int),
            "prelim": prelim,
            "item": _stripped(raw["item"]),
            "value": value,
        }
    )
    counts = tidy["table"].isin(["pupils_general", "average_population_thousand"])
    if (pos := _first((counts & (tidy["value"] < 0)).to_numpy())) is not None:
        raise InputError(
            f"{raw['value'].iloc[pos]} is negative",
            source=source,
            row=_sheet_row(pos),
            column="value",
        )
    tidy = (
        tidy.dropna(subset=["value"])
        .sort_values("prelim", kind="stable")
        .drop_duplicates(["table", "province", "year", "item"], keep="first")
    )
    tidy["area_code"] = tidy["province"].map(slugify)

    def series(table: str, item: str) -> pd.DataFrame:
        part = tidy[(tidy["table"] == table) & (tidy["item"] == item)]
        return part[["area_code", "province", "year", "value"]]

    pupils = tidy[(tidy["table"] == "pupils_general") & tidy["item"].isin(GSO_LEVELS)]
    if pupils.empty:
        raise InputError(
            "no 'pupils_general' rows with Primary/Lower secondary/Upper secondary items",
            source=source,
            column="table",
        )
    history = pd.DataFrame(
        {
            "area_code": pupils["area_code"],
            "area_name": pupils["province"],
            "year": pupils["year"],
            "level": pupils["item"].map(GSO_LEVELS),
            "pupils": pupils["value"],
        }
    )
    pop = series("average_population_thousand", "Total").set_index(["area_code", "year"])
    cbr = series("birth_death_natural_increase_permille", "Crude birth rate").set_index(
        ["area_code", "year"]
    )["value"]
    nmr = series("migration_rates_permille", "Net-migration rate").set_index(["area_code", "year"])[
        "value"
    ]
    persons = pop["value"] * 1000.0
    population = pd.DataFrame({"population": persons})
    population["births"] = persons * cbr.reindex(persons.index) / 1000.0
    population["net_migration"] = persons * nmr.reindex(persons.index) / 1000.0
    population = population.reset_index()
    population["age_group"] = "total"
    history = validate_history(history.sort_values(["area_code", "year", "level"]), source=source)
    population = validate_population(
        population[["area_code", "year", "age_group", "population", "births", "net_migration"]],
        source=source,
    )
    return history, population
