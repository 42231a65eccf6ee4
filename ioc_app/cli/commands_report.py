"""``report quarterly``: the quarterly report of plan 723 (Phụ lục II) as an Excel workbook."""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from analytics import plan_report
from analytics.plan_report import QuarterReport
from ioc_app.cli.cli_audit import record_cli
from ioc_app.cli.errors import CommandError

LANGUAGES = ("vi", "en")


def register(subparsers: Any) -> None:
    """Add ``report``."""
    report = subparsers.add_parser("report", help="write reports from the warehouse")
    reports = report.add_subparsers(dest="report_command", required=True)
    quarterly = reports.add_parser(
        "quarterly",
        help="the quarterly report of plan 723 (Phụ lục II) as XLSX",
        description="Write one workbook: a summary (task states, report punctuality, what is "
        "generated), the Phụ lục II summary table (one row per task; columns "
        "(3)–(6) synthesised from the units' submitted reports), each unit's report "
        "punctuality, then one sheet per unit with its submitted report. "
        "A past quarter is judged on its last day, the running one today.",
    )
    quarterly.add_argument(
        "--quarter",
        required=True,
        metavar="YYYYQn",
        help="reporting quarter, from 2023Q1 to the current one",
    )
    quarterly.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="F.xlsx",
        help="the workbook to write (its folder must exist)",
    )
    quarterly.add_argument(
        "--unit",
        action="extend",
        nargs="+",
        default=[],
        metavar="CODE",
        help="only the tasks led by these units and their reports "
        "(repeatable; a group code such as PCM stands for its members)",
    )
    quarterly.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="vi",
        help="language of headers and labels (default vi)",
    )
    quarterly.set_defaults(func=quarterly_command)


def _check_out(path: Path) -> Path:
    """``path`` if a workbook can be written there, else a CommandError saying why."""
    if path.suffix.lower() != ".xlsx":
        raise CommandError(f"--out {path}: the file name must end in .xlsx")
    if not path.parent.is_dir():
        raise CommandError(f"--out {path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise CommandError(f"--out {path}: is a folder, not a file")
    return path


def _engine() -> Any:
    from data_access import migrate
    from data_access.db import make_engine
    from ioc_app.core.config import default_database_url

    engine = make_engine(default_database_url())
    if not migrate.is_current(engine):
        engine.dispose()
        raise CommandError("the schema is missing or old: run `python -m ioc_app db upgrade`")
    return engine


def _counted(report: QuarterReport) -> str:
    """``"3 tasks, 1 unit"``: the task rows and the units reporting for the quarter."""
    tasks, units = len(report.tasks), len(report.punctuality)
    return f"{tasks} task{'' if tasks == 1 else 's'}, {units} unit{'' if units == 1 else 's'}"


def _build(
    engine: Any, quarter: str, wanted: list[str], today: date
) -> tuple[QuarterReport, dict[str, tuple[str, str]]]:
    """The report of ``quarter`` for the ``wanted`` units (all when empty), and unit names."""
    from ioc_app.services.report_workbook import UnknownUnitError, build_report

    try:
        return build_report(engine, quarter, wanted, today)
    except UnknownUnitError as exc:
        raise CommandError(f"--unit: {exc}") from None


def _write(
    engine: Any,
    report: QuarterReport,
    out: Path,
    *,
    names: dict[str, tuple[str, str]],
    lang: str,
    wanted: list[str],
) -> None:
    """Write the workbook next to ``out``, audit it, then rename it over ``out``."""
    from ioc_app.services.report_workbook import write_workbook

    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=".xlsx", dir=out.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; the report is an ordinary file
    try:
        write_workbook(
            report,
            Path(tmp),
            lang=lang,
            names=names,
            database=engine.url.render_as_string(hide_password=True),
        )
        with engine.begin() as connection:  # the audit row is rolled back if the rename fails
            record_cli(
                connection,
                f"report_quarterly_{report.quarter}:{out.name}",
                f"{_counted(report)}, units={','.join(wanted) or 'all'}, lang={lang}",
            )
            os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def quarterly_command(args: argparse.Namespace) -> int:
    """Check the arguments, build the report, write it in one step and audit it."""
    today = date.today()
    try:
        quarter = plan_report.reporting_quarter(args.quarter, today)
    except ValueError as exc:
        raise CommandError(f"--quarter {exc}") from None
    out = _check_out(args.out)
    wanted = [code.strip() for value in args.unit for code in value.split(",") if code.strip()]
    engine = _engine()
    try:
        report, names = _build(engine, quarter, wanted, today)
        _write(engine, report, out, names=names, lang=args.lang, wanted=wanted)
    finally:
        engine.dispose()
    print(f"wrote {out}: quarter {quarter}, {_counted(report)}")
    return 0
