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
from analytics.forecast.bands import (
    CALIBRATION,
    area_cv_coverage,
    area_cv_hits,
    band_factors,
    calibrate,
    calibrated_factors,
    coverage_by_scale,
    fixed_coverage,
)
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


def test_default_bands_are_the_calibrated_ones(
    synthetic: tuple[pd.DataFrame, pd.DataFrame], result: BacktestResult
) -> None:
    auto = forecast(*synthetic, horizon=3)
    row = auto[(auto["level"] == "upper_secondary") & (auto["year"] == 2021)].iloc[0]
    # the scale the backtest records at an origin is the one the forecast uses there
    history, population = synthetic
    early = forecast(history[history["year"] <= 2015], population, horizon=3)
    at_2015 = result.residuals.query(
        "method == 'model' and origin == 2015 and level == 'upper_secondary' and horizon == 3"
    ).set_index("area_code")["scale"]
    cal = CALIBRATION.set_index(["level", "horizon"]).loc[("upper_secondary", 3)]
    first = early[(early["level"] == "upper_secondary") & (early["year"] == 2018)]
    first = first.set_index("area_code")
    np.testing.assert_allclose(
        np.log(first["upper"] / first["forecast"]), cal["z_high"] * at_2015[first.index]
    )
    np.testing.assert_allclose(
        np.log(first["lower"] / first["forecast"]), cal["z_low"] * at_2015[first.index]
    )
    assert row["lower"] < row["forecast"] < row["upper"]


@pytest.mark.parametrize("seed", range(5))
def test_calibrated_bands_contain_the_point_and_widen_with_the_horizon(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 200
    levels = rng.choice(["primary", "lower_secondary", "upper_secondary", "total"], n)
    scales = rng.uniform(0.0, 0.5, n)
    horizons = np.arange(1, 16)
    lo, hi = calibrated_factors(
        CALIBRATION, np.repeat(levels, 15), np.tile(horizons, n), np.repeat(scales, 15)
    )
    lo, hi = lo.reshape(n, 15), hi.reshape(n, 15)
    assert (lo <= 1).all() and (hi >= 1).all() and (lo > 0).all()
    assert (np.diff(lo, axis=1) <= 1e-12).all()  # the lower end never rises with the horizon
    assert (np.diff(hi, axis=1) >= -1e-12).all()  # the upper end never falls
    assert (hi[:, -1] / lo[:, -1] > hi[:, 0] / lo[:, 0]).all() | (scales == 0).any()


def test_calibrated_forecast_bands_widen_with_the_horizon(
    synthetic: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    out = forecast(*synthetic, horizon=10, add_total=True)
    assert ((out["lower"] <= out["forecast"]) & (out["forecast"] <= out["upper"])).all()
    width = np.log(out["upper"] / out["lower"])
    for _, part in width.groupby([out["area_code"], out["level"]]):
        assert (np.diff(part.to_numpy()) >= -1e-12).all()
        assert part.iloc[-1] > part.iloc[0]


def test_calibration_from_errors_is_monotone_and_scaled() -> None:
    rng = np.random.default_rng(0)
    rows = []
    for h in (1, 2, 3):
        scale = rng.uniform(0.02, 0.2, 400)
        rows.append(
            pd.DataFrame(
                {
                    "level": "primary",
                    "horizon": h,
                    "scale": scale,
                    "log_error": rng.normal(0, 1, 400) * scale * (4 - h),  # shrinking errors
                }
            )
        )
    table = calibrate(pd.concat(rows))
    assert (np.diff(table["z_high"]) >= 0).all() and (np.diff(table["z_low"]) <= 0).all()
    assert table.loc[0, "z_high"] == pytest.approx(3 * 1.2816, rel=0.15)  # 90th pct of N(0, 3)


def test_held_out_coverage_tables(result: BacktestResult) -> None:
    hits = area_cv_hits(result.residuals)
    assert set(hits["area_code"]) == set(result.residuals["area_code"])
    table = area_cv_coverage(hits)
    assert table["horizon"].tolist() == [1, 2, 3, 4, 5, "all"]
    assert table["n"].iloc[-1] == table["n"].iloc[:-1].sum() == len(hits)
    assert table[["before", "after"]].apply(lambda c: c.between(0, 1)).all().all()
    thirds = coverage_by_scale(hits)
    assert thirds["third"].tolist() == ["calm", "middle", "volatile"]
    assert thirds["n"].sum() == len(hits)
    assert fixed_coverage(result.residuals)["horizon"].iloc[-1] == "all"


def test_out_of_sample_coverage_is_a_share(result: BacktestResult) -> None:
    cover = out_of_sample_coverage(result.residuals)
    assert list(cover["horizon"]) == sorted(cover["horizon"])
    assert ((cover["inside"] >= 0) & (cover["inside"] <= 1)).all()
    assert (cover["n"] > 0).all()


def test_short_history_gets_calibrated_or_measured_default_bands() -> None:
    history = pd.DataFrame(
        {"area_code": "Q1", "year": [2015, 2016], "level": "primary", "pupils": [1000.0, 1010.0]}
    )
    out = forecast(history, None, horizon=2)  # calibrated: needs no backtest of its own
    assert (out["lower"] < out["forecast"]).all() and (out["forecast"] < out["upper"]).all()
    notes: list[str] = []
    empty = pd.DataFrame({"level": [], "horizon": [], "log_error": []})
    out = forecast(history, None, horizon=2, band_residuals=empty, notes=notes)
    assert any("too short to backtest" in n for n in notes)
    assert (out["lower"] < out["forecast"]).all() and (out["forecast"] < out["upper"]).all()
    with pytest.raises(ValueError):
        backtest(history, None, max_horizon=0)
