"""Who is calling: the signed-in user's role and units, or an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_login import UserMixin

from data_access.tokens import TokenScope

ANONYMOUS = "anonymous"
LEADERSHIP = "leadership"
PLANNER = "planner"
DEPARTMENT = "department"
ADMIN = "admin"
SCHOOL = "school"


@dataclass(frozen=True)
class Principal(UserMixin):
    """A caller. Department users carry the unit codes (plan_2023/units.csv) they belong to,
    school users the institution they report for."""

    username: str = ""
    role: str = ANONYMOUS
    units: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    #: The institution a ``school`` user reports for (None for every other role).
    institution_id: int | None = None
    #: A one-time password is in use: nothing but choosing a new one until it is done.
    must_change_password: bool = False
    #: A bearer token's limits (None: a session, limited by the role and units only).
    scope: TokenScope | None = None

    @property
    def is_authenticated(self) -> bool:  # type: ignore[override]
        return self.role != ANONYMOUS

    @property
    def is_anonymous(self) -> bool:  # type: ignore[override]
        return self.role == ANONYMOUS

    def get_id(self) -> str:
        return str(self.user_id)

    @property
    def label(self) -> str:
        """How the audit log names this caller, e.g. ``department:GDTrH+KHTC``."""
        if self.role == DEPARTMENT:
            return f"{DEPARTMENT}:{'+'.join(sorted(self.units))}"
        if self.role == SCHOOL:
            return f"{SCHOOL}:{self.institution_id}"
        return self.role

    def may_read_domain(self, slug: str) -> bool:
        """Whether a bearer token's scope lets this caller read domain ``slug`` (sessions:
        always; the role and units are checked by :meth:`may_read_units`)."""
        return self.scope is None or self.scope.allows_domain(slug)

    def may_read_ward(self, code: str) -> bool:
        """Whether a bearer token's scope lets this caller read 2025 ward ``code``."""
        return self.scope is None or self.scope.allows_ward(code)

    @property
    def may_write(self) -> bool:
        """Whether this caller may change data through the API (a read-only token may not)."""
        return self.scope is None or self.scope.write_reports

    def may_read_units(self, supervising_units: frozenset[str]) -> bool:
        """Whether this caller may read data supervised by any of ``supervising_units``."""
        if self.role in (LEADERSHIP, ADMIN):
            return True
        return self.role == DEPARTMENT and bool(self.units & supervising_units)


ANONYMOUS_PRINCIPAL = Principal()


def principal_of(account: Any, scope: TokenScope | None = None) -> Principal:
    """The caller an account (``data_access.users.Account``) signs in as; ``scope`` when it
    calls with an API token."""
    return Principal(
        scope=scope,
        username=account.username,
        role=account.role,
        units=frozenset(account.units),
        user_id=account.id,
        institution_id=getattr(account, "institution_id", None),
        must_change_password=bool(getattr(account, "must_change_password", False)),
    )
