"""The one base every chart starts from: template, colours and font of the theme, the
reader's number separators, margins, and the figure that says why it is empty."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

from ioc_app.core.fmt import number_symbols
from ioc_app.core.i18n import THEMES

#: plotly's template of each page theme (plotly.py resolves the name; see base_figure).
TEMPLATES = {"light": "plotly_white", "dark": "plotly_dark"}

#: Text and grid colours of each theme, the same as the page's CSS.
THEME_COLOURS: dict[str, dict[str, str]] = {
    "light": {"text": "#1b2430", "grid": "#d5dbe3"},
    "dark": {"text": "#e6edf3", "grid": "#2c3a48"},
}
FONT_FAMILY = "system-ui, Segoe UI, Roboto, sans-serif"
MARGIN = {"l": 50, "r": 20, "t": 20, "b": 40}


def _theme(theme: str) -> str:
    return theme if theme in THEMES else "light"


def separators(lang: str) -> str:
    """plotly's ``layout.separators``: the decimal mark first, then the thousands separator
    (``",."`` in Vietnamese shows 1.234,5; ``".,"`` in English shows 1,234.5)."""
    decimal, group = number_symbols(lang)
    return decimal + group


def base_layout(lang: str, theme: str, **layout: Any) -> dict[str, Any]:
    """A layout dict in the theme's font and colours and the reader's separators.

    ``layout`` adds to or replaces the base keys; a dict given for ``margin``, ``font``,
    ``xaxis`` or ``yaxis`` is merged into the base one. No plotly template: a plain dict
    figure sent to the browser cannot name one (see :func:`base_figure`).
    """
    colours = THEME_COLOURS[_theme(theme)]
    base: dict[str, Any] = {
        "separators": separators(lang),
        "font": {"family": FONT_FAMILY, "color": colours["text"]},
        "margin": dict(MARGIN),
        "xaxis": {"gridcolor": colours["grid"], "automargin": True},
        "yaxis": {"gridcolor": colours["grid"], "automargin": True},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    for key, value in layout.items():
        merge = isinstance(value, dict) and isinstance(base.get(key), dict)
        base[key] = {**base[key], **value} if merge else value
    return base


def base_figure(lang: str, theme: str, **layout: Any) -> go.Figure:
    """An empty ``go.Figure`` on the theme's plotly template, with :func:`base_layout`."""
    return go.Figure(
        layout={"template": TEMPLATES[_theme(theme)], **base_layout(lang, theme, **layout)}
    )


def empty_figure(lang: str, theme: str, text: str = "", **layout: Any) -> go.Figure:
    """A figure without axes that says why it is empty (``text``), not bare axes."""
    figure = base_figure(lang, theme, xaxis={"visible": False}, yaxis={"visible": False}, **layout)
    if text:
        figure.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return figure


def estimate_symbols(carried: Iterable[bool], late: Iterable[Any]) -> list[str]:
    """Marker per point of a yearly series: open when the figure was carried across
    boundaries (a split unit), a diamond when its sum holds late reports estimated."""
    return [
        ("diamond" if is_late else "circle") + ("-open" if is_carried else "")
        for is_carried, is_late in zip(carried, late, strict=True)
    ]
