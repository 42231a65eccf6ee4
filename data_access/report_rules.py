"""Who may write which quarterly report, what a report item may hold, and the errors saying no.

The rules live here once; the service (:mod:`data_access.plan_reports`), the pages and the
API call them. Exceptions map onto HTTP answers: :class:`ReportValidationError` 400,
:class:`ReportPermissionError` 403, :class:`ReportNotFoundError` 404,
:class:`QuarterOutOfRangeError` and :class:`ReportStateError` 409.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from data_access.models.plan import ITEM_STATUSES

#: Prefix of an institution's reporter id: ``school:<institution id>``.
SCHOOL_PREFIX = "school:"
#: Longest text accepted in columns (3)–(6).
MAX_TEXT = 4000
#: Item fields a reporter fills: status, progress and columns (3)–(6).
TEXT_FIELDS = ("done", "next", "difficulties", "recommendations")
ITEM_FIELDS = ("key", "status", "progress", *TEXT_FIELDS)
#: Column (2) of the summary table: the task itself, never changed through a report.
COLUMN_TWO = ("name", "name_vi", "name_en", "title", "title_vi", "title_en", "units")
COLUMN_TWO += ("lead_units", "partner_units", "due", "code", "kind")


class ReportError(ValueError):
    """A quarterly report request that cannot be done; the message says what to change."""


class ReportValidationError(ReportError):
    """A value of the request is wrong (HTTP 400); ``field`` names it (``items[2].progress``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class QuarterOutOfRangeError(ReportError):
    """The quarter is before the plan's first quarter or after the running one (HTTP 409)."""


class ReportStateError(ReportError):
    """The report is not in a state that allows the action (HTTP 409)."""


class ReportNotFoundError(LookupError):
    """No such report, reporter or task (HTTP 404)."""


class ReportPermissionError(PermissionError):
    """The caller may not write this reporter's report or this task (HTTP 403)."""


class Caller(Protocol):
    """Who acts: the application's principal or a :class:`data_access.users.Account`.

    ``institution_id`` is read with ``getattr`` (default None), so a principal without it
    simply cannot act for a school.
    """

    username: str
    role: str
    units: Collection[str]


@dataclass(frozen=True)
class Acting:
    """A plain :class:`Caller` (for the CLI, the generator and tests)."""

    username: str
    role: str
    units: Collection[str] = field(default_factory=tuple)
    institution_id: int | None = None


def school_reporter(institution_id: int) -> str:
    """The reporter id of an institution: ``school:<id>``."""
    return f"{SCHOOL_PREFIX}{int(institution_id)}"


def institution_of(reporter: str) -> int | None:
    """The institution id of a school reporter, None for a unit.

    Raises
    ------
    ReportValidationError
        ``school:`` not followed by a number.
    """
    if not reporter.startswith(SCHOOL_PREFIX):
        return None
    number = reporter[len(SCHOOL_PREFIX) :]
    if not number.isdigit():
        raise ReportValidationError("reporter", f"{reporter!r}: write school:<institution id>")
    return int(number)


def may_report(
    caller: Caller,
    reporter: str,
    task_key: str | None = None,
    *,
    reportable: Collection[str] | None = None,
) -> bool:
    """Whether ``caller`` may write ``reporter``'s report (on ``task_key``, if given).

    A department user writes the reports of its own units; a school user writes its own
    institution's report; nobody else writes reports (leadership and the Department Office
    return them, see :func:`may_return`). When ``task_key`` and ``reportable`` (the keys the
    reporter reports on) are given, the task must be one of them.
    """
    if caller.role == "department":
        allowed = reporter in set(caller.units)
    elif caller.role == "school":
        institution = getattr(caller, "institution_id", None)
        allowed = institution is not None and reporter == school_reporter(institution)
    else:
        allowed = False
    if allowed and task_key is not None and reportable is not None:
        allowed = task_key in reportable
    return allowed


def may_return(caller: Caller) -> bool:
    """Whether ``caller`` may return a submitted report: leadership or the Department Office."""
    return caller.role == "leadership" or (
        caller.role == "department" and "VPS" in set(caller.units)
    )


def checked_items(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The items of a save request, checked, as plain dicts with every field.

    Raises
    ------
    ReportValidationError
        Naming the item and field: column (2) present, unknown field, missing key, a key
        given twice, a status not in not_started/in_progress/done, a progress that is not an
        integer from 0 to 100, a text that is not a string or longer than 4,000 characters.
    """
    if isinstance(items, str | bytes | Mapping):
        raise ReportValidationError("items", "give a list of items, one per task")
    out, seen = [], set()
    for number, item in enumerate(items):
        where = f"items[{number}]"
        if not isinstance(item, Mapping):
            raise ReportValidationError(where, "each item is an object with a task key")
        fixed = sorted(set(item) & set(COLUMN_TWO))
        if fixed:
            raise ReportValidationError(
                f"{where}.{fixed[0]}",
                "column (2) (the task's name, units and due date) comes from the plan and "
                "cannot be changed in a report; send only key, status, progress and texts",
            )
        unknown = sorted(set(item) - set(ITEM_FIELDS))
        if unknown:
            raise ReportValidationError(
                f"{where}.{unknown[0]}", f"unknown field; use {', '.join(ITEM_FIELDS)}"
            )
        key = item.get("key")
        if not isinstance(key, str) or not key.strip():
            raise ReportValidationError(f"{where}.key", "the task key is required, e.g. DX-1.1")
        if key in seen:
            raise ReportValidationError(f"{where}.key", f"task {key} is given twice")
        seen.add(key)
        out.append(_checked_item(where, item))
    return out


def _checked_item(where: str, item: Mapping[str, Any]) -> dict[str, Any]:
    status = item.get("status", "not_started")
    if status not in ITEM_STATUSES:
        raise ReportValidationError(
            f"{where}.status", f"{status!r} is not one of {', '.join(ITEM_STATUSES)}"
        )
    progress = item.get("progress", 0)
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ReportValidationError(
            f"{where}.progress", f"{progress!r}: give a whole number from 0 to 100"
        )
    checked: dict[str, Any] = {"key": item["key"], "status": status, "progress": progress}
    for name in TEXT_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            raise ReportValidationError(f"{where}.{name}", "must be text")
        if value is not None and len(value) > MAX_TEXT:
            raise ReportValidationError(
                f"{where}.{name}", f"{len(value):,} characters; at most {MAX_TEXT:,}"
            )
        checked[name] = (value.strip() or None) if value is not None else None
    return checked


def diff(
    version_a: Sequence[Mapping[str, Any]], version_b: Sequence[Mapping[str, Any]]
) -> dict[str, list[str]]:
    """The fields that changed per task between two versions' items.

    Parameters
    ----------
    version_a, version_b
        The ``items`` of two versions (older first), or two versions as returned by
        :func:`data_access.plan_reports.versions` (their ``items`` are used).

    Returns
    -------
    dict
        Task key → changed fields in :data:`ITEM_FIELDS` order; a task only in one version
        lists the fields that have a value there. Unchanged tasks are left out.
    """
    before = {i["key"]: i for i in _items_of(version_a)}
    after = {i["key"]: i for i in _items_of(version_b)}
    changes = {}
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key, {}), after.get(key, {})
        fields = [f for f in ITEM_FIELDS[1:] if old.get(f) != new.get(f)]
        if fields:
            changes[key] = fields
    return changes


def _items_of(version: Any) -> list[Mapping[str, Any]]:
    return list(version["items"]) if isinstance(version, Mapping) else list(version)


#: Every refusal of the report service: callers map them onto answers (see the module's doc).
REFUSALS = (
    ReportValidationError,
    ReportPermissionError,
    ReportNotFoundError,
    QuarterOutOfRangeError,
    ReportStateError,
)
