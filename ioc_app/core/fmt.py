"""Numbers, dates, distances and school years as readers of each language write them (Babel).

Vietnamese groups thousands with ``.`` and writes decimals with ``,`` (``1.234.567,9``);
English the other way round (``1,234,567.9``). Every page formats through here, and the
charts take their separators from :func:`number_symbols` too, so a table and a chart of the
same page agree.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from ioc_app.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language

NumberKind = Literal["count", "decimal", "ratio", "percent", "share"]

#: What a missing value shows.
MISSING = "—"

#: Babel's locale of each interface language.
LOCALES = {"vi": "vi", "en": "en"}

#: Dates in each language: day first in Vietnamese, ISO in English (never ambiguous).
DATE_PATTERNS = {"vi": "dd/MM/yyyy", "en": "yyyy-MM-dd"}

#: Fraction digits of each kind when the caller does not choose.
DEFAULT_DECIMALS: dict[str, int] = {"count": 0, "ratio": 1, "percent": 1, "share": 1}


def _locale(lang: str | None) -> str:
    lang = lang or current_language()
    return LOCALES[lang if lang in LANGUAGES else DEFAULT_LANGUAGE]


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):  # pd.NA, NaT and other non-numbers
        return True


def number_symbols(lang: str | None = None) -> tuple[str, str]:
    """The decimal mark and the thousands separator of ``lang``: ``(",", ".")`` in Vietnamese."""
    locale = _locale(lang)
    return get_decimal_symbol(locale), get_group_symbol(locale)


def fmt_number(
    value: float | None,
    kind: NumberKind = "count",
    lang: str | None = None,
    *,
    decimals: int | None = None,
    signed: bool = False,
) -> str:
    """A number for people, ``—`` when missing (None, NaN, infinite).

    Parameters
    ----------
    value
        The number.
    kind
        ``count``: a whole number; ``ratio``: fixed decimals; ``decimal``: up to three
        decimals, trailing zeros dropped; ``percent``: a value already in per cent, with
        `` %``; ``share``: a fraction (0.123) shown in per cent (``12,3 %``).
    lang
        ``vi`` or ``en``; the current request's language by default.
    decimals
        Fraction digits instead of the kind's default (one for ratios and per cents).
    signed
        Put ``+`` before positive numbers (changes, differences).
    """
    if _is_missing(value):
        return MISSING
    number = float(value) * (100 if kind == "share" else 1)  # type: ignore[arg-type]
    if kind == "decimal" and decimals is None:
        pattern = "#,##0.###"
    else:
        places = DEFAULT_DECIMALS.get(kind, 0) if decimals is None else decimals
        pattern = "#,##0" + ("." + "0" * places if places else "")
    text = format_decimal(number, format=pattern, locale=_locale(lang))
    sign = "+" if signed and number > 0 else ""
    suffix = " %" if kind in ("percent", "share") else ""
    return sign + text + suffix


def fmt_share(value: float | None, lang: str | None = None, *, signed: bool = False) -> str:
    """A fraction (0.123) as a whole percentage (``12 %``, ``+12 %`` when ``signed``)."""
    return fmt_number(value, "share", lang, decimals=0, signed=signed)


def fmt_date(day: Any, lang: str | None = None) -> str:
    """A date (or timestamp, or ISO text) as readers of ``lang`` write it; ``—`` when missing."""
    if day is None or day == "" or pd.isna(day):
        return MISSING
    lang = lang or current_language()
    pattern = DATE_PATTERNS.get(lang, DATE_PATTERNS[DEFAULT_LANGUAGE])
    return format_date(pd.Timestamp(day).date(), format=pattern, locale=_locale(lang))


def fmt_distance(metres: float | None, lang: str | None = None) -> str:
    """``850 m`` below a kilometre, then ``1,2 km`` (``1.2 km`` in English); empty when missing."""
    if _is_missing(metres):
        return ""
    metres = float(metres)  # type: ignore[arg-type]
    if metres < 1000:
        return f"{fmt_number(metres, 'count', lang)} m"
    return f"{fmt_number(metres / 1000, 'ratio', lang)} km"


def school_year_label(year: int) -> str:
    """``2025`` → ``2025–2026`` (the same in both languages)."""
    year = int(year)
    return f"{year}–{year + 1}"
