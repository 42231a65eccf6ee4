"""Global model settings (one set for every area: nothing is tuned per area)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelOptions:
    """Settings of the enrolment models, chosen once on the GSO 2002–2016 backtest.

    Attributes
    ----------
    ratio_alpha, ratio_beta, ratio_phi : float
        Damped-trend Holt smoothing of every progression/transition/intake ratio: level
        weight, trend weight and trend damping per year.
    entrant_window : int
        Years of primary totals used to recover yearly entry cohorts (level-flow model).
    entrant_smoothing : float
        Second-difference penalty of that recovery.
    population_trend_years : int
        Years used to extrapolate population beyond its last known year.
    births_weight : float
        Weight of the change in (smoothed) births six years earlier in the growth of grade-1
        entrants; the rest follows the population of entry age (or total population).
    births_smoothing_years : int
        Centred moving-average window applied to births (survey birth rates are noisy).
    detect_breaks : bool
        Detect boundary changes (a one-year population or pupil jump) and rescale the years
        before them to the new territory.
    break_population_jump, break_pupils_jump : float
        Log jumps (vs the area's median yearly change) that mark a boundary change.
    outlier_jump, outlier_agree : float
        A single year deviating by more than ``outlier_jump`` (log) from the mean of its two
        neighbours, which agree within ``outlier_agree``, is replaced by that mean.
    min_train_years : int
        Years of history before the first backtest origin.
    coverage : float
        Central coverage of the error bands (0.8 = 10th to 90th percentile).
    """

    ratio_alpha: float = 0.8
    ratio_beta: float = 0.2
    ratio_phi: float = 0.5
    entrant_window: int = 8
    entrant_smoothing: float = 3.0
    population_trend_years: int = 5
    births_weight: float = 0.3
    births_smoothing_years: int = 5
    detect_breaks: bool = True
    break_population_jump: float = 0.08
    break_pupils_jump: float = 0.15
    outlier_jump: float = 0.2
    outlier_agree: float = 0.1
    min_train_years: int = 6
    coverage: float = 0.8
