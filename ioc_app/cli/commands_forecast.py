"""``ioc forecast`` and ``ioc backtest``: enrolment projections and their measured accuracy."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from analytics import forecast_service as service
from analytics.forecast import (
    BacktestResult,
    InputError,
    area_cv_coverage,
    area_cv_hits,
    backtest,
    check_coverage,
    coverage_by_scale,
    fixed_coverage,
    forecast,
    read_gso,
    read_history_csv,
    read_population_csv,
)
from analytics.forecast.levels import LEVELS
from ioc_app.cli.errors import CommandError, InputFileError

#: Horizons at which the model must beat the better baseline by this share (see docs).
TARGET_HORIZONS, TARGET_GAIN = (3, 4, 5), 0.15


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``forecast`` and ``backtest`` sub-commands."""
    fc = subparsers.add_parser(
        "forecast",
        help="project pupils per area, level and year with an 80%% band",
        description="Project pupils per area × level × year. The 80%% band is calibrated on "
        "held-out GSO provinces and scaled by each series' recent growth and size.",
    )
    _add_sources(fc)
    fc.add_argument(
        "--horizon",
        type=int,
        required=True,
        metavar="N",
        help="years to project after the last history year (>= 1)",
    )
    fc.add_argument(
        "--out",
        required=True,
        metavar="F.csv",
        help="output: area_code,year,level,forecast,lower,upper",
    )
    fc.set_defaults(func=run_forecast)

    bt = subparsers.add_parser(
        "backtest",
        help="rolling-origin MAPE of the model vs persistence and drift",
        description="Refit at every origin on data up to it only; print and write the "
        "MAPE per horizon and level for the model and two baselines.",
    )
    _add_sources(bt)
    bt.add_argument(
        "--from-warehouse",
        action="store_true",
        help="backtest on the warehouse's own history (DATABASE_URL) instead of files",
    )
    bt.add_argument(
        "--geo",
        choices=("ward", "old_district", "city"),
        default="ward",
        help="with --from-warehouse: the kind of area (default ward)",
    )
    bt.add_argument(
        "--level",
        choices=LEVELS,
        action="append",
        help="with --from-warehouse: only this level (repeatable; default all)",
    )
    bt.add_argument(
        "--max-horizon",
        type=int,
        default=5,
        metavar="N",
        help="largest horizon evaluated (default 5)",
    )
    bt.add_argument("--out", metavar="B.csv", help="write horizon,level,method,mape,n to this file")
    bt.set_defaults(func=run_backtest)


def _add_sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--history",
        metavar="H.csv",
        help="area_code,area_name,year,level,pupils[,grade][,ownership]",
    )
    parser.add_argument(
        "--population",
        metavar="P.csv",
        help="area_code,year,age_group,population[,births][,net_migration]",
    )
    parser.add_argument(
        "--from-gso",
        metavar="FILE",
        help="read the statistics office's long provincial file instead",
    )


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and validate the inputs named on the command line."""
    try:
        if args.from_gso:
            if args.history or args.population:
                raise CommandError(
                    "--from-gso replaces --history and --population; give one or the other"
                )
            return read_gso(args.from_gso)
        if not args.history or not args.population:
            raise CommandError("--history and --population are required (or use --from-gso FILE)")
        history = read_history_csv(args.history)
        population = read_population_csv(args.population)
        check_coverage(
            history, population, history_source=args.history, population_source=args.population
        )
        return history, population
    except InputError as exc:
        raise InputFileError(exc.source, exc.message, row=exc.row, column=exc.column) from None


def _write_atomic(frame: pd.DataFrame, path: str) -> None:
    """Write a CSV in one step (a temporary file renamed over the target)."""
    target = Path(path)
    if not target.parent.exists():
        raise CommandError(f"{path}: the folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".forecast-", suffix=".csv", dir=target.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            frame.to_csv(handle, index=False)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        print(f"note: {note}", file=sys.stderr)


def run_forecast(args: argparse.Namespace) -> int:
    """Handle ``ioc forecast``."""
    if args.horizon < 1:
        raise CommandError(f"--horizon must be at least 1 year (got {args.horizon})")
    history, population = _load(args)
    notes: list[str] = []
    try:
        result = forecast(history, population, horizon=args.horizon, notes=notes)
    except InputError as exc:
        raise InputFileError(exc.source, exc.message, row=exc.row, column=exc.column) from None
    out = result.copy()
    for column in ("forecast", "lower", "upper"):
        out[column] = out[column].round().astype("int64")
    _print_notes(notes)
    _write_atomic(out, args.out)
    print(
        f"wrote {len(out)} rows ({out['area_code'].nunique()} areas × "
        f"{out['level'].nunique()} levels × {args.horizon} years) to {args.out}"
    )
    return 0


def format_backtest(result: BacktestResult) -> str:
    """Human-readable MAPE table with the improvement over the better baseline."""
    table = result.table()
    origins = result.origins
    lines = (
        [
            f"Rolling-origin backtest, origins {origins[0]}–{origins[-1]}: MAPE in % "
            "(model / persistence / drift)"
        ]
        if origins
        else ["No backtest origin."]
    )
    header = f"{'horizon':>7}  " + "  ".join(f"{lv:>23}" for lv in (*LEVELS, "overall"))
    header += f"  {'model/best':>10}"
    lines.append(header)
    improvement = result.improvement()
    for h in table.index:
        cells = []
        for lv in (*LEVELS, "overall"):
            vals = [
                table.get((lv, m), pd.Series(dtype=float)).get(h, float("nan"))
                for m in ("model", "persistence", "drift")
            ]
            cells.append(" / ".join(f"{v:5.2f}" for v in vals).rjust(23))
        ratio = improvement["ratio"].get(h, float("nan"))
        lines.append(f"{h:>7}  " + "  ".join(cells) + f"  {ratio:10.3f}")
    if len(improvement):
        beats = bool((improvement["ratio"] < 1).all())
        target = improvement.loc[improvement.index.isin(TARGET_HORIZONS), "ratio"]
        gain = bool(len(target)) and bool((target <= 1 - TARGET_GAIN).all())
        lines.append(f"model beats both baselines at every horizon: {'yes' if beats else 'NO'}")
        if len(target):
            lines.append(
                f"at least {TARGET_GAIN:.0%} better than the better baseline at "
                f"horizons {', '.join(map(str, target.index))}: "
                f"{'yes' if gain else 'NO'}"
            )
    return "\n".join(lines)


def format_coverage(result: BacktestResult, *, generated: bool = False) -> str:
    """Held-out 80 % band coverage before/after calibration (and of the shipped table)."""
    hits = area_cv_hits(result.residuals)
    lines = []
    if hits.empty:
        lines.append("80 % band coverage on held-out areas: needs at least two areas.")
    else:
        table = area_cv_coverage(hits)
        k = min(5, hits["area_code"].nunique())
        lines.append(
            f"80 % band coverage on held-out areas ({k}-fold over areas: bands from the "
            "other folds only; before = pooled 10th–90th percentile, after = calibrated):"
        )
        lines.append(f"{'horizon':>7}  {'before':>7}  {'after':>7}  {'n':>6}")
        for row in table.itertuples(index=False):
            lines.append(f"{row.horizon!s:>7}  {row.before:7.1%}  {row.after:7.1%}  {row.n:>6}")
        thirds = coverage_by_scale(hits)
        lines.append(
            "by local scale (calm / middle / volatile third): before "
            + " / ".join(f"{v:.1%}" for v in thirds["before"])
            + ", after "
            + " / ".join(f"{v:.1%}" for v in thirds["after"])
        )
    if generated:
        shipped = fixed_coverage(result.residuals)
        per = shipped[shipped["horizon"] != "all"]
        lines.append(
            "coverage of the production bands (calibrated on the GSO provinces) on the "
            "warehouse's own history, which is generated data: "
            + ", ".join(f"h{h} {v:.1%}" for h, v in zip(per["horizon"], per["inside"], strict=True))
            + f"; overall {shipped['inside'].iloc[-1]:.1%} (n = {shipped['n'].iloc[-1]})"
        )
    return "\n".join(lines)


def _load_warehouse(args: argparse.Namespace) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Grade-level history and population of every area of ``--geo`` from DATABASE_URL.

    The model sees only what the warehouse holds (facts, late reports estimated by the
    one rule, population): never the generator's parameters.
    """
    if args.history or args.population or args.from_gso:
        raise CommandError("--from-warehouse replaces --history, --population and --from-gso")
    from data_access.db import make_engine
    from ioc_app.services import forecasts as page

    url = os.environ.get("DATABASE_URL")
    if not url:
        raise CommandError("--from-warehouse reads DATABASE_URL, which is not set")
    bind = make_engine(url)
    try:
        _, grades, population = page.engine_inputs(
            page.reference_of(bind), page.rows_of(bind), args.geo
        )
    finally:
        bind.dispose()
    grades = service.engine_input(grades)
    if args.level:
        grades = grades[grades["level"].isin(args.level)]
    if grades.empty:
        raise CommandError("the warehouse holds no enrolment facts for grades 1-12")
    return grades, population


def run_backtest(args: argparse.Namespace) -> int:
    """Handle ``ioc backtest``."""
    if args.max_horizon < 1:
        raise CommandError(f"--max-horizon must be at least 1 year (got {args.max_horizon})")
    history, population = _load_warehouse(args) if args.from_warehouse else _load(args)
    result = backtest(history, population, max_horizon=args.max_horizon)
    if not result.origins:
        raise CommandError("the history is too short to backtest (need more years)")
    print(format_backtest(result))
    print(format_coverage(result, generated=args.from_warehouse))
    if args.out:
        out = result.mape[["horizon", "level", "method", "mape", "n"]].copy()
        out["mape"] = out["mape"].round(3)
        out = out.sort_values(["horizon", "level", "method"], ignore_index=True)
        _write_atomic(out, args.out)
        print(f"wrote {len(out)} rows to {args.out}")
    return 0
