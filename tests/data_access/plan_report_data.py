"""A small warehouse for report tests: the real plan 723 tasks, one ward, two schools."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from data_access.db import transaction
from data_access.models import AdminUnit, Institution
from data_access.reference.bulk import reset_sequences
from data_access.reference.plan import write_plan
from data_access.report_rules import Acting

KHTC = Acting("dept.khtc", "department", ("KHTC",))
GDTRH = Acting("dept.gdtrh", "department", ("GDTrH",))
VPS = Acting("vps", "department", ("VPS",))
LEADER = Acting("leader", "leadership")
SCHOOL_1 = Acting("school.1", "school", (), 1)
SCHOOL_2 = Acting("school.2", "school", (), 2)


def build_plan(engine: Engine, shared: Path) -> None:
    """Plan units, tasks and task units from plan_2023/, a ward and two schools."""
    with engine.begin() as connection:
        write_plan(connection, shared)
        reset_sequences(connection)
    with transaction(engine) as session:
        session.add(
            AdminUnit(id="W26734", code="26734", kind="ward", name="Phường Một", source="t")
        )
        session.flush()
        session.add_all(
            Institution(
                id=number,
                code=f"S{number}",
                name=f"Trường {number}",
                kind="school",
                ownership="public",
                ward_id="W26734",
                source="test",
            )
            for number in (1, 2)
        )
