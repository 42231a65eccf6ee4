"""The base figure: the reader's separators, the theme's colours, merged layouts."""

from __future__ import annotations

import pandas as pd

from ioc_app.core.figures import base_figure, base_layout, empty_figure, separators
from layouts.forecast_chart import forecast_figure


def test_separators_put_the_decimal_mark_first() -> None:
    # plotly reads layout.separators as decimal mark, then thousands separator
    assert separators("vi") == ",."  # 1.234,5
    assert separators("en") == ".,"  # 1,234.5


def test_a_layout_key_merges_into_the_base_one() -> None:
    layout = base_layout("vi", "dark", margin={"t": 40}, yaxis={"title": "x"}, height=300)
    assert layout["margin"] == {"l": 50, "r": 20, "t": 40, "b": 40}
    assert layout["yaxis"]["title"] == "x" and layout["yaxis"]["gridcolor"] == "#2c3a48"
    assert layout["font"]["color"] == "#e6edf3" and layout["height"] == 300


def test_base_and_empty_figures_follow_language_and_theme() -> None:
    figure = base_figure("en", "light")
    assert figure.layout.separators == ".,"
    assert figure.layout.template.layout.paper_bgcolor == "white"  # plotly_white
    empty = empty_figure("vi", "dark", "Chưa có dữ liệu.")
    assert empty.layout.separators == ",." and empty.layout.xaxis.visible is False
    assert empty.layout.annotations[0].text == "Chưa có dữ liệu."


def test_the_forecast_chart_groups_thousands_as_the_reader_does() -> None:
    table = pd.DataFrame(
        {
            "period": ["history", "history", "forecast"],
            "year": [2023, 2024, 2025],
            "pupils": [12000.0, 12500.0, float("nan")],
            "forecast": [float("nan"), float("nan"), 13000.0],
            "lower": [float("nan"), float("nan"), 12000.0],
            "upper": [float("nan"), float("nan"), 14000.0],
            "baseline": [float("nan"), float("nan"), 12900.0],
            "seats": [float("nan")] * 3,
        }
    )
    for lang, expected in (("vi", ",."), ("en", ".,")):
        layout = forecast_figure(table, title="t", theme="dark", lang=lang, show_baseline=False)[
            "layout"
        ]
        assert layout["separators"] == expected
        assert layout["yaxis"]["tickformat"] == ",d"  # "," = the separators' group mark
