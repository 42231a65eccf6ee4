"""Rolling-origin backtest, baselines and error bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.forecast import (
    METHODS,
    BacktestResult,
    backtest,
    forecast,
    out_of_sample_coverage,
    residual_quantiles,
)
from analytics.forecast.backtest import baselines
from analytics.forecast.bands import band_factors
from analytics.forecast.synthetic import simulate


@pytest.fixture(scope="module")
def synthetic() -> tuple[pd.DataFrame, pd.DataFrame]:
    return simulate(12, first_year=2004, last_year=2018, seed=3, noise=0.02)


@pytest.fixture(scope="module")
def result(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> BacktestResult:
    return backtest(*synthetic, max_horizon=5)


def test_baselines_are_persistence_and_five_year_drift() -> None:
    history = np.array([[np.nan, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0]])
    out = baselines(history, origin=6, horizon=3)
    np.testing.assert_allclose(out["persistence"], [[20, 20, 20]])
    np.testing.assert_allclose(out["drift"], [[22, 24, 26]])  # mean change 2 a year
    short = baselines(np.array([[np.nan, np.nan, np.nan, np.nan, 8.0, 11.0]]), 5, 2)
    np.testing.assert_allclose(short["drift"], [[14, 17]])  # only one change known


def test_table_has_every_method_level_and_horizon(result: BacktestResult) -> None:
    assert result.origins == tuple(range(2009, 2018))
    table = result.table()
    assert list(table.index) == [1, 2, 3, 4, 5]
    for level in ("primary", "lower_secondary", "upper_secondary", "overall"):
        for method in METHODS:
            assert table[(level, method)].notna().all()
    mape = result.mape
    overall_n = mape[(mape["level"] == "overall") & (mape["method"] == "model")]["n"].sum()
    level_n = mape[(mape["level"] != "overall") & (mape["method"] == "model")]["n"].sum()
    assert overall_n == level_n
    assert (
        mape[mape["method"] == "model"].set_index(["level", "horizon"])["n"]
        == mape[mape["method"] == "drift"].set_index(["level", "horizon"])["n"]
    ).all()


def test_mape_matches_the_residuals(result: BacktestResult) -> None:
    rows = result.residuals
    part = rows[
        (rows["method"] == "persistence") & (rows["level"] == "primary") & (rows["horizon"] == 2)
    ]
    expected = ((part["forecast"] - part["actual"]).abs() / part["actual"]).mean() * 100
    got = result.mape.query("method == 'persistence' and level == 'primary' and horizon == 2")
    assert got["mape"].iloc[0] == pytest.approx(expected)


def test_model_beats_baselines_on_cohort_data(result: BacktestResult) -> None:
    assert (result.improvement()["ratio"] < 1).all()


def test_backtest_does_not_peek_after_the_origin(
    synthetic: tuple[pd.DataFrame, pd.DataFrame], result: BacktestResult
) -> None:
    history, population = synthetic
    last = history["year"].max()
    changed_h = history.assign(
        pupils=np.where(history["year"] == last, history["pupils"] * 3, history["pupils"])
    )
    changed_p = population.assign(
        population=np.where(
            population["year"] >= last - 1, population["population"] * 2, population["population"]
        )
    )
    again = backtest(changed_h, changed_p, max_horizon=5)
    keys = ["area_code", "origin", "horizon", "level", "method"]
    before = result.residuals.set_index(keys).sort_index()
    after = again.residuals.set_index(keys).sort_index()
    early = before.index.get_level_values("origin") < last - 1
    np.testing.assert_allclose(
        after.loc[before.index[early], "forecast"], before.loc[early, "forecast"], rtol=1e-12
    )
    # the changed final year does alter the errors measured against it
    assert not np.allclose(after["actual"], before["actual"])


def test_quantiles_and_band_factors() -> None:
    residuals = pd.DataFrame(
        {"level": "primary", "horizon": 1, "log_error": np.linspace(-0.1, 0.1, 101)}
    )
    q = residual_quantiles(residuals, coverage=0.8)
    assert q.loc[0, "q_low"] == pytest.approx(-0.08)
    assert q.loc[0, "q_high"] == pytest.approx(0.08)
    lo, hi = band_factors(q, np.array(["primary", "primary"]), np.array([1, 3]))
    np.testing.assert_allclose(lo, np.exp([-0.08, -0.24]))  # linear beyond the last horizon
    np.testing.assert_allclose(hi, np.exp([0.08, 0.24]))
    biased = pd.DataFrame({"level": ["total"], "horizon": [1], "q_low": [0.02], "q_high": [0.05]})
    lo, hi = band_factors(biased, np.array(["lower_secondary"]), np.array([1]))
    assert lo[0] == 1.0 and hi[0] == pytest.approx(np.exp(0.05))  # band keeps the point


def test_forecast_bands_come_from_the_given_errors(
    synthetic: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    quantiles = pd.DataFrame(
        {
            "level": ["primary", "lower_secondary", "upper_secondary"],
            "horizon": [1, 1, 1],
            "q_low": [-0.1, -0.2, -0.3],
            "q_high": [0.1, 0.2, 0.3],
        }
    )
    out = forecast(*synthetic, horizon=2, band_residuals=quantiles)
    one = out[(out["year"] == 2019)].set_index("level")
    np.testing.assert_allclose(
        one["upper"] / one["forecast"],
        np.exp(one.index.map({"primary": 0.1, "lower_secondary": 0.2, "upper_secondary": 0.3})),
    )
    two = out[(out["year"] == 2020) & (out["level"] == "primary")].iloc[0]
    assert two["lower"] / two["forecast"] == pytest.approx(np.exp(-0.2))


def test_default_bands_equal_the_backtest_quantiles(
    synthetic: tuple[pd.DataFrame, pd.DataFrame], result: BacktestResult
) -> None:
    auto = forecast(*synthetic, horizon=3)
    given = forecast(*synthetic, horizon=3, band_residuals=result)
    pd.testing.assert_frame_equal(auto, given)
    q = residual_quantiles(result.residuals[result.residuals["method"] == "model"])
    row = auto[(auto["level"] == "upper_secondary") & (auto["year"] == 2021)].iloc[0]
    q3 = q[(q["level"] == "upper_secondary") & (q["horizon"] == 3)].iloc[0]
    assert row["upper"] / row["forecast"] == pytest.approx(np.exp(max(q3["q_high"], 0)))


def test_out_of_sample_coverage_is_a_share(result: BacktestResult) -> None:
    cover = out_of_sample_coverage(result.residuals)
    assert list(cover["horizon"]) == sorted(cover["horizon"])
    assert ((cover["inside"] >= 0) & (cover["inside"] <= 1)).all()
    assert (cover["n"] > 0).all()


def test_short_history_falls_back_to_measured_default_bands() -> None:
    history = pd.DataFrame(
        {"area_code": "Q1", "year": [2015, 2016], "level": "primary", "pupils": [1000.0, 1010.0]}
    )
    notes: list[str] = []
    out = forecast(history, None, horizon=2, notes=notes)
    assert any("too short to backtest" in n for n in notes)
    assert (out["lower"] < out["forecast"]).all() and (out["forecast"] < out["upper"]).all()
    with pytest.raises(ValueError):
        backtest(history, None, max_horizon=0)
