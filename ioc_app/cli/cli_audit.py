"""The audit log from the command line: who (the operating-system user) exported what."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert

from data_access.models import AuditLog


def os_user() -> str:
    """The operating-system user running the command (``cli`` when it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (e.g. in a container)
        return "cli"


def record_cli(connection: Any, target: str, detail: str, action: str = "export") -> None:
    """Append one audit entry for the command-line user, inside ``connection``'s
    transaction (so it is rolled back with whatever it records)."""
    connection.execute(
        insert(AuditLog).values(
            at=datetime.now(UTC).replace(tzinfo=None),
            username=os_user()[:64],
            role="cli",
            action=action,
            target=target[:200],
            detail=detail,
            ip=None,
        )
    )
