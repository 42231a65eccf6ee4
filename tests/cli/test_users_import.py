"""School accounts and ``users import``: checked first, all or nothing, one-time passwords."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access import migrate
from data_access.db import make_engine, transaction
from data_access.models import AdminUnit, Institution, PlanUnit
from data_access.users import UserError, authenticate, create_user, import_users, list_users

REPO = Path(__file__).resolve().parents[2]


def add_school(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(PlanUnit(code="GDTrH", name_vi="GDTrH", name_en="GDTrH", kind="division"))
        session.add(AdminUnit(id="W1", code="26734", kind="ward", name="Phường", source="t"))
        session.flush()
        session.add(
            Institution(
                id=7,
                code="S7",
                name="Trường 7",
                kind="school",
                ownership="public",
                ward_id="W1",
                source="t",
            )
        )


def test_school_user_needs_an_existing_institution(migrated_engine: Engine) -> None:
    add_school(migrated_engine)
    with pytest.raises(UserError, match="--institution"):
        create_user(migrated_engine, "truong.7", "x" * 12, role="school")
    with pytest.raises(UserError, match="no institution with id 8"):
        create_user(migrated_engine, "truong.8", "x" * 12, role="school", institution_id=8)
    with pytest.raises(UserError, match="only school users"):
        create_user(migrated_engine, "lead", "x" * 12, role="leadership", institution_id=7)
    account = create_user(migrated_engine, "truong.7", "x" * 12, role="school", institution_id=7)
    assert account.institution_id == 7 and not account.must_change_password
    assert authenticate(migrated_engine, "truong.7", "x" * 12).institution_id == 7


def test_import_is_all_or_nothing_and_names_the_bad_row(migrated_engine: Engine) -> None:
    add_school(migrated_engine)
    good = {"username": "truong.7", "role": "school", "units": "", "institution": "7"}
    bad_rows = [
        ({"username": "X Y", "role": "planner", "units": "", "institution": ""}, "username"),
        ({"username": "a.b", "role": "king", "units": "", "institution": ""}, "role"),
        ({"username": "a.b", "role": "department", "units": "NOPE", "institution": ""}, "units"),
        ({"username": "a.b", "role": "school", "units": "", "institution": "99"}, "institution"),
        ({"username": "a.b", "role": "school", "units": "", "institution": ""}, "institution"),
    ]
    for row, column in bad_rows:
        with pytest.raises(UserError, match=f"row 2, column {re.escape(column)}"):
            import_users(migrated_engine, [good, row])
    with pytest.raises(UserError, match=r"row 2, column username: 'truong\.7' is given twice"):
        import_users(migrated_engine, [good, good])
    assert list_users(migrated_engine) == []
    create_user(
        migrated_engine, "dept.gdtrh", "a-long-password", role="department", units=("GDTrH",)
    )
    result = import_users(
        migrated_engine,
        [
            good,
            {"username": "dept.gdtrh", "role": "department", "units": "GDTrH", "institution": ""},
        ],
    )
    assert result.existing == ["dept.gdtrh"] and len(result.created) == 1
    account, password = result.created[0]
    assert account.must_change_password and account.institution_id == 7 and len(password) >= 12
    signed = authenticate(migrated_engine, "truong.7", password)
    assert signed is not None and signed.must_change_password
    assert authenticate(migrated_engine, "dept.gdtrh", "a-long-password") is not None


def _ioc(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ioc_app", *args],
        input=stdin,
        text=True,
        capture_output=True,
        env={**os.environ, "DATABASE_URL": url},
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_users_import_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    add_school(engine)
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(
        "username,role,units,institution\ntruong.7,school,,7\nbad user,planner,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "credentials.csv"
    refused = _ioc(url, "users", "import", str(accounts), "--out", str(out))
    assert refused.returncode == 2 and "row 2, column username" in refused.stderr
    assert not out.exists() and list_users(engine) == []
    accounts.write_text(
        "username,role,units,institution\ntruong.7,school,,7\ngdtrh.1,department,GDTrH,\n",
        encoding="utf-8",
    )
    done = _ioc(url, "users", "import", str(accounts), "--out", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["username"] for r in rows] == ["truong.7", "gdtrh.1"]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert authenticate(engine, "gdtrh.1", rows[1]["password"]).must_change_password
    again = _ioc(url, "users", "import", str(accounts), "--out", str(tmp_path / "c2.csv"))
    assert again.returncode == 0 and "exists already, left unchanged: truong.7" in again.stderr
    school = _ioc(
        url,
        "users",
        "create",
        "truong.9",
        "--role",
        "school",
        "--institution",
        "9",
        stdin="a-long-password\n",
    )
    assert school.returncode == 2 and "no institution with id 9" in school.stderr
    engine.dispose()
