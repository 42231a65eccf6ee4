"""What a school needs to reach the next DX level: who may see it and the plan itself.

One rule for the API, /school and /dx: a school user sees its own institution only;
departments, leadership and admin see every school; planners and anonymous callers none.
Results hold no language; the pages word them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from analytics import dx_next_level
from data_access.queries import dx, registry
from ioc_app.core.principal import ADMIN, DEPARTMENT, LEADERSHIP, SCHOOL, Principal
from ioc_app.core.warehouse import cache, engine
from ioc_app.services.indicators import TIMEOUT

#: Roles that see the plan of every school.
ALL_SCHOOLS = frozenset({LEADERSHIP, DEPARTMENT, ADMIN})


def may_see(who: Principal, institution_id: int) -> bool:
    """Whether ``who`` may see the next-level plan of ``institution_id``."""
    if who.role in ALL_SCHOOLS:
        return True
    return who.role == SCHOOL and who.institution_id == institution_id


class PlanNotFoundError(LookupError):
    """No such institution, or no assessment of it in that school year."""


@cache.memoize(timeout=TIMEOUT)
def plan(data_version: str, institution_id: int, year: int) -> dict[str, Any]:
    """The plan of one school and school year as plain data.

    Returns
    -------
    dict
        ``institution_id, name, code, school_year, criteria_set, status, basis`` (``reviewed``
        when the review has scored the criteria, else ``self``), ``scored`` (False when the
        assessment holds group totals only: no criteria to plan with) and ``groups`` (see
        :class:`dx_next_level.GroupPlan`; steps as dicts).

    Raises
    ------
    PlanNotFoundError
        For an unknown institution or a school year without its assessment.
    """
    bind = engine()
    found = registry.institutions(bind, institution_id=institution_id)
    if found.empty:
        raise PlanNotFoundError(f"no institution {institution_id}")
    assessment = dx.latest_assessment(bind, institution_id, year)
    if assessment is None:
        raise PlanNotFoundError(f"institution {institution_id} has no DX assessment in {year}")
    scores = dx.assessment_scores(bind, assessment["id"])
    groups = (
        dx_next_level.next_level(dx.set_criteria(bind, assessment["set_id"]), scores)
        if not scores.empty
        else []
    )
    row = found.iloc[0]
    return {
        "institution_id": institution_id,
        "name": str(row["name"]),
        "code": str(row["code"]),
        "school_year": year,
        "criteria_set": assessment["set_code"],
        "status": assessment["status"],
        "basis": "reviewed" if scores["reviewed_score"].notna().any() else "self",
        "scored": not scores.empty,
        "groups": [asdict(group) for group in groups],
    }


def latest_plan(data_version: str, institution_id: int) -> dict[str, Any] | None:
    """The plan of the institution's latest assessed school year (None when it has none)."""
    years = dx.institution_years(engine(), institution_id)
    return plan(data_version, institution_id, years[-1]) if years else None
