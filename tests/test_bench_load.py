"""The load test's quick mode runs to its end against the real gunicorn command, without errors.

It asserts only that the run completes, that no request failed and that the table is
printed: the timings are the benchmark's to report, never a test's to assert.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_quick_load_run_completes_without_errors(seeded_sqlite_url: str, tmp_path: Path) -> None:
    source = seeded_sqlite_url.removeprefix("sqlite:///")
    copy = tmp_path / "load.sqlite"  # the run adds its leaders: never write the shared file
    with sqlite3.connect(source) as original, sqlite3.connect(copy) as target:
        original.backup(target)
    command = [sys.executable, "bench/bench_load.py", "--quick", "--url", f"sqlite:///{copy}"]
    command += ["--seconds", "4", "--assets"]
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "requests  errors  p50 ms  p95 ms" in run.stdout
    assert "/map html" in run.stdout
    summary = next(line for line in run.stdout.splitlines() if line.strip().startswith("all:"))
    assert " 0 errors" in summary, summary
    assert "throughput ours/floor" in run.stdout
