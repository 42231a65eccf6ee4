"""Enrolment forecasts per area × level × year with error bands from backtests (see docs)."""

# Public API: forecast/backtest, scenario levers and readers (no Dash, Flask or SQL).
from analytics.forecast.api import FORECAST_COLUMNS, backtest, forecast
from analytics.forecast.backtest import METHODS, BacktestResult
from analytics.forecast.bands import (
    CALIBRATION,
    area_cv_coverage,
    area_cv_hits,
    calibrate,
    coverage_by_scale,
    fixed_coverage,
    out_of_sample_coverage,
    residual_quantiles,
)
from analytics.forecast.inputs import (
    InputError,
    check_coverage,
    read_gso,
    read_history_csv,
    read_population_csv,
    validate_history,
    validate_population,
)
from analytics.forecast.levels import DEFAULT_CLASS_SIZE, LEVEL_AGES, LEVEL_GRADES, LEVELS
from analytics.forecast.options import ModelOptions
from analytics.forecast.scenario import (
    Levers,
    apply_migration_change,
    classes_needed,
    seat_gap,
)

__all__ = [
    "CALIBRATION",
    "DEFAULT_CLASS_SIZE",
    "FORECAST_COLUMNS",
    "LEVELS",
    "LEVEL_AGES",
    "LEVEL_GRADES",
    "METHODS",
    "BacktestResult",
    "InputError",
    "Levers",
    "ModelOptions",
    "apply_migration_change",
    "area_cv_coverage",
    "area_cv_hits",
    "backtest",
    "calibrate",
    "check_coverage",
    "classes_needed",
    "coverage_by_scale",
    "fixed_coverage",
    "forecast",
    "out_of_sample_coverage",
    "read_gso",
    "read_history_csv",
    "read_population_csv",
    "residual_quantiles",
    "seat_gap",
    "validate_history",
    "validate_population",
]
