"""Numbers and dates as Vietnamese offices write them: ``1.234,5`` and ``dd/mm/yyyy``.

Vietnamese writes ``.`` between thousands and ``,`` before decimals; spreadsheets set to English
write the opposite. A value is converted only when its form says which one it is:
``1.234.567`` and ``1.234,5`` are Vietnamese, ``1,234,567`` and ``1,234.5`` English, ``7,5`` is
7.5 either way, and so is ``0.871`` (no group of thousands begins with 0). ``1.234`` alone
could be either: a whole-number column reads it as 1234 (it
cannot hold 1.234), any other column refuses it with a message saying how to write it.
"""

from __future__ import annotations

import math
import re
from datetime import date

# A first group of thousands never starts with 0: "0.871" is a decimal in either convention.
_VI_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_EN_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")


class FormatError(ValueError):
    """A value whose form cannot be read safely; the message says how to write it."""


def parse_number(text: str, *, whole: bool = False) -> float:
    """The number written as ``text`` (``nan``/``inf`` come back as such, for the caller).

    Parameters
    ----------
    text
        The cell's text, stripped.
    whole
        The column holds whole numbers: ``1.234`` and ``1,234`` are thousands.

    Raises
    ------
    FormatError
        When ``text`` is not a number, or its separators could mean two numbers.
    """
    compact = text.replace(" ", "").replace("\u00a0", "")
    if _AMBIGUOUS.match(compact):
        if whole:
            return float(compact.replace(".", "").replace(",", ""))
        if compact[-4] == ",":  # "7,500": a decimal comma is the Vietnamese reading
            raise FormatError(
                f"{text!r} could be {compact.replace(',', '')} or {compact.replace(',', '.')}; "
                "write it without a thousands separator"
            )
        raise FormatError(
            f"{text!r} could be {compact.replace('.', '')} or {compact}; write it without a "
            "thousands separator, with ',' or '.' before decimals"
        )
    if _VI_THOUSANDS.match(compact):
        compact = compact.replace(".", "").replace(",", ".")
    elif _EN_THOUSANDS.match(compact):
        compact = compact.replace(",", "")
    elif compact.count(",") == 1 and "." not in compact:
        compact = compact.replace(",", ".")
    try:
        return float(compact)
    except ValueError:
        raise FormatError(f"is not a number: {text!r}") from None


def parse_date(text: str) -> date:
    """A date written ``dd/mm/yyyy`` (also ``d/m/yyyy``, ``.`` or ``-``) or ``yyyy-mm-dd``.

    Raises
    ------
    FormatError
        When ``text`` is neither, or names no real day (``31/02/2024``; ``02/31/2024``, the
        American order, is refused with a hint).
    """
    compact = text.strip()
    iso = _ISO.match(compact)
    dmy = _DMY.match(compact)
    if iso:
        year, month, day = (int(x) for x in iso.groups())
    elif dmy:
        day, month, year = (int(x) for x in dmy.groups())
        if month > 12 and day <= 12:
            raise FormatError(f"{text!r} looks like month/day/year; write dd/mm/yyyy")
    else:
        raise FormatError(f"is not a date: {text!r} (write dd/mm/yyyy)")
    try:
        return date(year, month, day)
    except ValueError:
        raise FormatError(f"is not a real day: {text!r}") from None


def written_number(value: object) -> str:
    """A stored number as text that :func:`parse_number` reads back as the same float.

    The shortest exact form (``repr``), with a trailing zero where it would look like a
    thousands separator (``6.125`` → ``6.1250``); None and NaN are written empty.
    """
    if value is None or value == "":
        return ""
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return ""
    text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    return text + "0" if _AMBIGUOUS.match(text) else text
