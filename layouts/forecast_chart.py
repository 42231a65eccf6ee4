"""The forecast page's chart: history, forecast with its band, baseline and seats, as a plain
plotly figure dict built from numpy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import layouts.forecast_texts  # noqa: F401  (registers the fc.chart.* texts)
from ioc_app.core.figures import THEME_COLOURS, base_layout
from ioc_app.core.i18n import t

#: Series colours of each theme (text and grid come from the base figure).
THEMES = {
    "light": {
        "history": "#0b5cad",
        "forecast": "#c2410c",
        "band": "rgba(194, 65, 12, 0.16)",
        "baseline": "#6b7280",
        "seats": "#1b7f3b",
    },
    "dark": {
        "history": "#5aa9ff",
        "forecast": "#ff9a5c",
        "band": "rgba(255, 154, 92, 0.18)",
        "baseline": "#9aa7b4",
        "seats": "#6fd98f",
    },
}


def _array(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype=float)


def _line(x: np.ndarray, y: np.ndarray, name: str, **style: Any) -> dict[str, Any]:
    return {"type": "scatter", "x": x, "y": y, "name": name, **style}


def forecast_figure(
    table: pd.DataFrame, *, title: str, theme: str, lang: str, show_baseline: bool
) -> dict[str, Any]:
    """History, forecast with its 80 % band, the baseline and seats, by school year.

    Built as a plain figure dict from numpy arrays: plotly's figure classes validate every
    property and take several times longer for the same JSON.
    """
    colours = THEMES.get(theme, THEMES["light"])
    grid = THEME_COLOURS.get(theme, THEME_COLOURS["light"])["grid"]
    past = table[table["period"] == "history"]
    future = table[table["period"] == "forecast"]
    traces: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    if len(future) and len(past):
        # the forecast line and band start from the last observed year
        last = past.iloc[-1]
        start = float(last["pupils"])

        def joined(column: str) -> np.ndarray:
            return np.concatenate([[start], _array(future[column])])

        years = np.concatenate([[float(last["year"])], _array(future["year"])])
        traces.append(
            _line(
                years,
                joined("lower"),
                "",
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        traces.append(
            _line(
                years,
                joined("upper"),
                t("fc.chart.band", lang),
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=colours["band"],
                hoverinfo="skip",
            )
        )
        if show_baseline:
            traces.append(
                _line(
                    years,
                    joined("baseline"),
                    t("fc.chart.baseline", lang),
                    mode="lines",
                    line={"color": colours["baseline"], "dash": "dot"},
                )
            )
        traces.append(
            _line(
                years,
                joined("forecast"),
                t("fc.chart.forecast", lang),
                mode="lines+markers",
                marker={"size": 5},
                line={"color": colours["forecast"], "dash": "dash", "width": 2.5},
            )
        )
        edge = float(past["year"].max()) + 0.5
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": edge,
                "x1": edge,
                "y0": 0,
                "y1": 1,
                "line": {"color": grid, "width": 1.5, "dash": "dot"},
            }
        )
    traces.append(_history(past, colours["history"], lang))
    seats = table.dropna(subset=["seats"])
    if len(seats):
        traces.append(
            _line(
                _array(seats["year"]),
                _array(seats["seats"]),
                t("fc.chart.seats", lang),
                mode="lines",
                line={"color": colours["seats"], "width": 1.8, "shape": "hv"},
            )
        )
    layout = base_layout(
        lang,
        theme,
        title={"text": title, "x": 0, "font": {"size": 15}},
        height=420,
        margin={"l": 56, "r": 12, "t": 40, "b": 40},
        shapes=shapes,
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.08, "yanchor": "top", "x": 0, "font": {"size": 11}},
        xaxis={"tickformat": "d", "hoverformat": "d"},
        yaxis={
            "title": {"text": t("fc.chart.y", lang)},
            "rangemode": "tozero",
            "tickformat": ",d",
        },
    )
    return {"data": traces, "layout": layout}


def _history(past: pd.DataFrame, colour: str, lang: str) -> dict[str, Any]:
    """The observed pupils; a year whose sum holds schools estimated for late reports is a
    larger open diamond, and says how many in its hover text."""
    late = past.get("estimated_schools", pd.Series(0, index=past.index)).fillna(0).astype(int)
    marked = late.to_numpy() > 0
    return _line(
        _array(past["year"]),
        _array(past["pupils"]),
        t("fc.chart.history", lang),
        mode="lines+markers",
        marker={
            "size": np.where(marked, 11, 6).tolist(),
            "symbol": np.where(marked, "diamond-open", "circle").tolist(),
            "line": {"width": 2},
        },
        line={"color": colour, "width": 2.5},
        customdata=[f" ({t('fc.chart.estimated', lang).format(n=n)})" if n else "" for n in late],
        hovertemplate="%{y:,.0f}%{customdata}",
    )


def empty_figure(lang: str, theme: str) -> dict[str, Any]:
    """A blank chart that takes the same space."""
    layout = base_layout(
        lang, theme, height=420, xaxis={"visible": False}, yaxis={"visible": False}
    )
    return {"data": [], "layout": layout}
