"""Property tests: any valid history gives non-negative forecasts inside consistent bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.forecast import LEVELS, forecast

FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(FAST, max_examples=12)


@st.composite
def histories(draw: st.DrawFn, *, owners: bool = False) -> pd.DataFrame:
    n_areas = draw(st.integers(1, 3))
    n_years = draw(st.integers(4, 12))
    last = 2020
    rows = []
    for a in range(n_areas):
        levels = draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=3, unique=True))
        for owner in ("public", "private") if owners else (None,):
            for level in levels:
                value = draw(st.floats(0, 200_000))
                steps = draw(st.lists(st.floats(-0.3, 0.3), min_size=n_years, max_size=n_years))
                for i, step in enumerate(steps):
                    value = value * float(np.exp(step))
                    row = {
                        "area_code": f"A{a}",
                        "area_name": f"Area {a}",
                        "year": last - n_years + 1 + i,
                        "level": level,
                        "pupils": round(value),
                    }
                    if owner:
                        row["ownership"] = owner
                    rows.append(row)
    return pd.DataFrame(rows)


def populations(history: pd.DataFrame, growth: float) -> pd.DataFrame:
    years = range(int(history["year"].min()) - 12, int(history["year"].max()) + 1, 3)
    return pd.DataFrame(
        [
            {
                "area_code": a,
                "year": y,
                "age_group": "total",
                "population": 50_000 * (1 + growth) ** (y - 2000),
            }
            for a in history["area_code"].unique()
            for y in years
        ]
    )


@FAST
@given(
    history=histories(),
    horizon=st.integers(1, 8),
    growth=st.floats(-0.03, 0.05),
    with_population=st.booleans(),
)
def test_forecasts_are_finite_non_negative_and_inside_their_bands(
    history: pd.DataFrame, horizon: int, growth: float, with_population: bool
) -> None:
    population = populations(history, growth) if with_population else None
    result = forecast(history, population, horizon=horizon, add_total=True)
    values = result[["forecast", "lower", "upper"]].to_numpy()
    assert np.isfinite(values).all()
    assert (values >= 0).all()
    assert (result["lower"] <= result["forecast"] * (1 + 1e-12)).all()
    assert (result["forecast"] <= result["upper"] * (1 + 1e-12)).all()
    expected_rows = history.groupby("area_code")["level"].nunique().add(1).sum() * horizon
    assert len(result) == expected_rows
    assert set(result["year"]) == set(range(2021, 2021 + horizon))


@FAST
@given(history=histories(), horizon=st.integers(1, 6))
def test_total_rows_equal_the_sum_of_levels(history: pd.DataFrame, horizon: int) -> None:
    result = forecast(history, None, horizon=horizon, add_total=True)
    levels = result[result["level"] != "total"].groupby(["area_code", "year"])["forecast"].sum()
    total = result[result["level"] == "total"].set_index(["area_code", "year"])["forecast"]
    np.testing.assert_allclose(total.loc[levels.index], levels, rtol=1e-12)


@FEWER
@given(history=histories(owners=True), horizon=st.integers(1, 5))
def test_ownership_rows_add_up_to_area_rows(history: pd.DataFrame, horizon: int) -> None:
    detail = forecast(history, None, horizon=horizon, keep_ownership=True)
    total = forecast(history, None, horizon=horizon)
    summed = detail.groupby(["area_code", "level", "year"])["forecast"].sum()
    np.testing.assert_allclose(
        total.set_index(["area_code", "level", "year"])["forecast"].loc[summed.index],
        summed,
        rtol=1e-9,
        atol=1e-9,
    )


@FEWER
@given(history=histories(), scale=st.floats(0.1, 10))
def test_forecast_scales_with_the_history(history: pd.DataFrame, scale: float) -> None:
    base = forecast(history, None, horizon=4)
    scaled = forecast(history.assign(pupils=history["pupils"] * scale), None, horizon=4)
    np.testing.assert_allclose(scaled["forecast"], base["forecast"] * scale, rtol=1e-7, atol=1e-6)
