"""Who may read and write which quarterly reports, on the pages and in the report API.

Writing is :func:`data_access.report_rules.may_report` (a department writes its own units'
reports, a school its own); reading follows the flow of the plan: every report goes to the
Department Office (VPS), so VPS, leadership and admin read all of them, a department the
reports of its units, a school its own.
"""

from __future__ import annotations

from data_access.report_rules import SCHOOL_PREFIX, may_report, may_return, school_reporter
from ioc_app.core.principal import ADMIN, DEPARTMENT, LEADERSHIP, SCHOOL, Principal

#: The unit every report is sent to (Phụ lục II): it reads and returns them all.
OFFICE = "VPS"


def reads_all(who: Principal) -> bool:
    """Leadership, admin and the Department Office read every unit's and school's report."""
    return who.role in (LEADERSHIP, ADMIN) or (who.role == DEPARTMENT and OFFICE in who.units)


def may_read(who: Principal, reporter: str) -> bool:
    """Whether ``who`` may read ``reporter``'s reports."""
    return reads_all(who) or may_report(who, reporter)


def own_reporters(who: Principal) -> list[str]:
    """The reporters ``who`` writes for: a department's units, a school's institution."""
    if who.role == DEPARTMENT:
        return sorted(who.units)
    if who.role == SCHOOL and who.institution_id is not None:
        return [school_reporter(who.institution_id)]
    return []


def may_send_back(who: Principal) -> bool:
    """Whether ``who`` may return a submitted report (leadership, the Department Office)."""
    return who.role == ADMIN or may_return(who)


def is_school(reporter: str) -> bool:
    """Whether ``reporter`` is an institution (``school:<id>``) rather than a unit."""
    return reporter.startswith(SCHOOL_PREFIX)
