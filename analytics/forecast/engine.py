"""Run the right model (grade progression or level flow) for a panel at one origin."""

from __future__ import annotations

import numpy as np

from analytics.forecast.cohort import grades_to_levels, project_grades
from analytics.forecast.levelflow import project_levels
from analytics.forecast.options import ModelOptions
from analytics.forecast.panel import Panel
from analytics.forecast.prepare import Prepared, prepare


def project(
    panel: Panel,
    origin_year: int,
    horizon: int,
    *,
    options: ModelOptions,
    mask_population: bool,
    notes: list[str] | None = None,
) -> tuple[np.ndarray, Prepared]:
    """Project pupils per level for ``horizon`` years after ``origin_year``.

    Parameters
    ----------
    panel : Panel
    origin_year : int
        Last year of history the model may use.
    horizon : int
        Number of years to project (>= 1).
    options : ModelOptions, keyword-only
    mask_population : bool, keyword-only
        Hide population data after the origin (True in backtests).
    notes : list of str, optional, keyword-only
        Receives notes about interpolation and cleaning.

    Returns
    -------
    projection : numpy.ndarray
        ``(3, S, horizon)`` pupils per level and stratum.
    prepared : Prepared
        The cleaned inputs (for baselines computed on the same history).
    """
    prep = prepare(
        panel, origin_year, options=options, mask_population=mask_population, notes=notes
    )
    if panel.grade_level:
        out = grades_to_levels(project_grades(prep, horizon, options=options))
    else:
        out = project_levels(prep, horizon, options=options)
    return out, prep
