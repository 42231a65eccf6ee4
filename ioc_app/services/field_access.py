"""Which figures a caller may see on the pages every signed-in user opens (/school, /ward).

Each figure belongs to the data domains it is computed from (Phụ lục I of the plan). A
department user sees the figures of the domains it supervises, leadership and admin see all,
a planner none; the DX level belongs to whoever may open /dx. Registry facts (name, kind,
address, licence, location, the number of institutions) are public and not listed here.
Unknown figures are hidden: the rule is deny-by-default.
"""

from __future__ import annotations

from collections.abc import Iterable

from ioc_app.core.principal import ADMIN, DEPARTMENT, LEADERSHIP, Principal
from ioc_app.services.domains import domains, may_read
from ioc_app.services.indicators import version

#: The DX index is not one of the seven domains: /dx is open to leadership and departments.
DX = "dx"
DX_ROLES = frozenset({LEADERSHIP, DEPARTMENT, ADMIN})
#: Figure → the domains (slugs) it is computed from; all of them must be readable.
FIELD_DOMAINS: dict[str, frozenset[str]] = {
    key: frozenset(value)
    for key, value in {
        # a school's pupils and classes
        "pupils": {"students"},
        "classes": {"students"},
        "class_size": {"students"},
        "class_size_vs_norm": {"students"},
        # its teachers
        "teachers": {"staff"},
        "pupil_teacher_ratio": {"students", "staff"},
        "staffing_vs_norm": {"students", "staff"},
        # its rooms
        "classrooms": {"facilities"},
        "classroom_shortfall": {"students", "facilities"},
        # a centre's activity, licence inspections and violations
        "learners": {"non-public"},
        "staff": {"non-public"},
        "courses": {"non-public"},
        "inspections": {"non-public"},
        "violations": {"non-public"},
        # the DX index
        "dx_level": {DX},
        "dx_level3_share": {DX},
        # the number of institutions is public (the public map lists them)
        "schools": set(),
    }.items()
}


def readable_domains(who: Principal) -> frozenset[str]:
    """The domain slugs (and ``dx``) whose figures ``who`` may read."""
    slugs = {row["slug"] for row in domains(version()) if may_read(who, row)}
    if who.role in DX_ROLES:
        slugs.add(DX)
    return frozenset(slugs)


def visible_fields(who: Principal, fields: Iterable[str]) -> list[str]:
    """``fields`` that ``who`` may see, in their order (unknown fields are hidden)."""
    readable = readable_domains(who)
    return [f for f in fields if f in FIELD_DOMAINS and FIELD_DOMAINS[f] <= readable]


def domain_fields(who: Principal, slug: str, keys: Iterable[str]) -> list[str]:
    """The figures ``keys`` of domain ``slug`` that ``who`` may see through the API.

    A figure named in :data:`FIELD_DOMAINS` needs all of its domains; any other figure of a
    domain's table belongs to that domain alone. A bearer token's domain scope narrows the
    readable domains too.
    """
    readable = {d for d in readable_domains(who) if d == DX or who.may_read_domain(d)}
    return [k for k in keys if FIELD_DOMAINS.get(k, frozenset({slug})) <= readable]
