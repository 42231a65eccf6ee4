"""``python -m ioc_app users …`` and ``db upgrade`` run as real processes on a real file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _ioc(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "ioc_app", *args],
        input=stdin,
        text=True,
        capture_output=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_users_create_list_disable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert _ioc(url, "db", "upgrade").returncode == 0
    created = _ioc(
        url, "users", "create", "nguyen.an", "--role", "planner", stdin="a-long-password\n"
    )
    assert created.returncode == 0, created.stderr
    weak = _ioc(url, "users", "create", "tran.binh", "--role", "planner", stdin="short\n")
    assert weak.returncode == 2 and "at least 10 characters" in weak.stderr
    bad_role = _ioc(url, "users", "create", "le.chi", "--role", "king", stdin="x" * 12 + "\n")
    assert bad_role.returncode != 0 and "king" in bad_role.stderr
    no_unit = _ioc(url, "users", "create", "le.chi", "--role", "department", stdin="x" * 12 + "\n")
    assert no_unit.returncode == 2 and "--unit" in no_unit.stderr
    duplicate = _ioc(
        url, "users", "create", "nguyen.an", "--role", "planner", stdin="a-long-password\n"
    )
    assert duplicate.returncode == 2 and "exists already" in duplicate.stderr
    assert _ioc(url, "users", "disable", "nguyen.an").returncode == 0
    listed = json.loads(_ioc(url, "users", "list", "--json").stdout)
    assert listed == [{"username": "nguyen.an", "role": "planner", "units": [], "active": False}]


def test_password_hashes_are_strong(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    _ioc(url, "db", "upgrade")
    _ioc(url, "users", "create", "nguyen.an", "--role", "planner", stdin="a-long-password\n")
    import sqlite3

    stored = (
        sqlite3.connect(tmp_path / "cli.sqlite")
        .execute("SELECT password_hash FROM app_user")
        .fetchone()[0]
    )
    assert stored.startswith("scrypt:") and "a-long-password" not in stored
