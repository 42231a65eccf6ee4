"""``audit prune``: deletes audit rows older than the retention, says how many, is audited."""

from __future__ import annotations

import contextlib
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from data_access import migrate
from data_access.db import make_engine
from data_access.models import AuditLog
from ioc_app.cli import main


def _run(url: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.delenv("IOC_AUDIT_RETENTION_DAYS", raising=False)
        for key, value in (env or {}).items():
            patch.setenv(key, value)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def test_prune_deletes_old_rows_says_how_many_and_is_audited(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as connection:
        for days in (1, 20, 40, 400):
            connection.execute(
                insert(AuditLog).values(
                    at=now - timedelta(days=days),
                    username="leader",
                    role="leadership",
                    action="read",
                    target=f"{days} days ago",
                )
            )
    status, out, _ = _run(url, "audit", "prune", "--days", "30")
    assert status == 0 and "deleted 2 audit row(s) older than 30 days" in out
    status, out, _ = _run(url, "audit", "prune", env={"IOC_AUDIT_RETENTION_DAYS": "10"})
    assert status == 0 and "deleted 1 audit row(s) older than 10 days" in out
    status, out, _ = _run(url, "audit", "prune")  # default 365: nothing that old is left
    assert status == 0 and "deleted 0" in out
    with engine.connect() as connection:
        rows = connection.execute(select(AuditLog.action, AuditLog.target, AuditLog.detail)).all()
    assert ("read", "1 days ago", None) in rows
    prunes = [r for r in rows if r.action == "prune"]
    assert [r.detail for r in prunes] == [
        "deleted 2 rows older than 30 days",
        "deleted 1 rows older than 10 days",
        "deleted 0 rows older than 365 days",
    ]
    status, _, err = _run(url, "audit", "prune", env={"IOC_AUDIT_RETENTION_DAYS": "soon"})
    assert status == 2 and "IOC_AUDIT_RETENTION_DAYS" in err
    engine.dispose()
