"""Spreadsheet formula injection: text cells that Excel or LibreOffice would run, made inert.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` is a formula to a spreadsheet (tab and
carriage return are stripped first by some of them). Anyone who can name an institution or fill
in a text field could otherwise plant ``=HYPERLINK(...)`` or a DDE call in every export. As
OWASP recommends, such text is written with a leading apostrophe; real numbers, negative ones
included, are left as numbers. ``restore`` undoes it when such a file is loaded again.

This module knows nothing of Dash or Flask, so pages, the CLI and reports can all use it.
"""

from __future__ import annotations

import pandas as pd

#: The first characters that make a spreadsheet treat a text cell as a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Make one cell value safe to write to a CSV or XLSX file.

    Parameters
    ----------
    value
        Any cell value.

    Returns
    -------
    object
        ``"'" + value`` when ``value`` is text beginning with one of ``TRIGGERS``; ``value``
        itself otherwise (numbers, dates, ``None``, other text).

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def restore(value: object) -> object:
    """Undo ``neutralise``: strip exactly one apostrophe that precedes one of ``TRIGGERS``.

    Text that itself began with an apostrophe and a trigger (``'=x``) therefore loses the
    apostrophe, as it would when typed into a spreadsheet.

    Parameters
    ----------
    value
        A cell value as read from a file.

    Returns
    -------
    object
        ``value`` without that apostrophe; anything else unchanged.
    """
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(TRIGGERS):
        return value[1:]
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` safe to write with ``to_csv`` or ``to_excel``.

    Parameters
    ----------
    frame
        The table to export. Write it with ``index=False``, or ``reset_index()`` first: the
        index is not changed.

    Returns
    -------
    pandas.DataFrame
        A copy in which every text cell and column name goes through ``neutralise``; numeric,
        date and boolean columns keep their values and dtypes. ``frame`` is not changed.
    """
    safe = frame.copy()
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            safe.isetitem(position, column.map(neutralise))
    if not isinstance(safe.columns, pd.MultiIndex):
        safe.columns = [neutralise(name) for name in safe.columns]
    return safe
