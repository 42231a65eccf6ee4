"""A fresh clone stands alone: it migrates and seeds with no ``shared/`` folder beside it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def clone_files(dest: Path) -> int:
    """Copy what a clone would hold (tracked and untracked-not-ignored files) into ``dest``."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    copied = 0
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if not source.is_file():  # tracked but deleted in the working tree
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1
    return copied


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.mark.slow
def test_a_clone_migrates_and_seeds_without_shared_data(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    assert clone_files(clone) > 0
    assert not (clone.parent / "shared").exists()
    database = tmp_path / "warehouse.sqlite"
    env = {k: v for k, v in os.environ.items() if k not in ("IOC_SHARED_DATA", "PYTHONSAFEPATH")}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        IOC_ENV="development",
        PYTHONPATH=str(clone),
    )

    code = run(
        ["-c", "import data_access, ioc_app; print(data_access.__file__, ioc_app.__file__)"],
        clone,
        env,
    )
    assert code.returncode == 0, code.stderr
    imported = [Path(f) for f in code.stdout.split()]
    assert all(f.is_relative_to(clone) for f in imported), imported  # the copy's own code

    upgrade = run(["-m", "ioc_app", "db", "upgrade"], clone, env)
    assert upgrade.returncode == 0, upgrade.stderr
    seed = run(["-m", "ioc_app", "seed", "--scale", "city"], clone, env)
    assert seed.returncode == 0, seed.stderr

    data = run(
        ["-c", "from data_access.paths import shared_data_dir; print(shared_data_dir())"],
        clone,
        env,
    )
    assert Path(data.stdout.strip()) == clone / "data" / "reference", data.stdout + data.stderr

    with sqlite3.connect(database) as conn:
        (institutions,) = conn.execute("SELECT count(*) FROM institution").fetchone()
    assert institutions > 0
