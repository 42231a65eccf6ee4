"""The page table: every page's path, titles, layout, callbacks and who may open it.

Navigation, routing and the guard are all built from this one table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from flask import redirect, request, url_for

from callbacks import about_data as about_data_callbacks
from callbacks import admin as admin_callbacks
from callbacks import control_room as control_room_callbacks
from callbacks import domain as domain_callbacks
from callbacks import dx as dx_callbacks
from callbacks import forecast as forecast_callbacks
from callbacks import intake as intake_callbacks
from callbacks import map as map_callbacks
from callbacks import plan as plan_callbacks
from callbacks import report as report_callbacks
from callbacks import school as school_callbacks
from callbacks import ward as ward_callbacks
from ioc_app.core.forbidden import forbidden_response
from ioc_app.core.guard import PUBLIC, SIGNED_IN, Access
from ioc_app.core.i18n import pick
from ioc_app.core.principal import Principal
from ioc_app.services.domains import may_open as may_open_domain
from layouts import about_data, control_room, domain, forecast, school, ward
from layouts import admin as admin_layout
from layouts import dx as dx_layout
from layouts import intake as intake_layout
from layouts import map as map_layout
from layouts import plan as plan_layout
from layouts import report as report_layout


@dataclass(frozen=True)
class Page:
    """One page of the application."""

    key: str
    path: str
    title_vi: str
    title_en: str
    layout: Callable[..., Any]
    access: Access
    callbacks: ModuleType | None = None
    nav: bool = True
    #: Extra check on the path's variables (e.g. a domain page and the caller's units).
    authorize: Callable[[Principal, dict[str, str]], bool] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        """The path as a regular expression with named groups for ``<variables>``."""
        regex = re.sub(
            r"<(\w+)>",
            r"(?P<\1>[^/]+)",
            re.escape(self.path).replace(r"\<", "<").replace(r"\>", ">"),
        )
        return re.compile(f"^{regex}/?$")

    def title(self, lang: str | None = None) -> str:
        """The page title in the current language."""
        return pick(self.title_vi, self.title_en, lang)

    def permits(self, who: Principal, path: str | None = None) -> bool:
        """Whether ``who`` may open this page (at ``path``, when it has variables)."""
        if not self.access.permits(who):
            return False
        if self.authorize is None or path is None:
            return True
        match = self.pattern.match(path)
        return bool(match) and self.authorize(who, match.groupdict())


PAGES: list[Page] = [
    Page(
        "control_room",
        "/",
        "Điều hành",
        "Control room",
        control_room.layout,
        Access.of("leadership"),
        control_room_callbacks,
    ),
    Page(
        "domains",
        "/domains",
        "Lĩnh vực dữ liệu",
        "Data domains",
        domain.index_layout,
        Access.of("leadership", "department"),
    ),
    Page(
        "domain",
        "/domains/<slug>",
        "Lĩnh vực dữ liệu",
        "Data domain",
        domain.layout,
        Access.of("leadership", "department"),
        domain_callbacks,
        nav=False,
        authorize=may_open_domain,
    ),
    Page(
        "plan",
        "/plan",
        "Tiến độ kế hoạch",
        "Plan progress",
        plan_layout.layout,
        Access.of("leadership", "department"),
        plan_callbacks,
    ),
    Page(
        "report",
        "/report",
        "Báo cáo quý",
        "Quarterly report",
        report_layout.layout,
        Access.of("leadership", "department", "school"),
        report_callbacks,
    ),
    Page(
        "dx",
        "/dx",
        "Chỉ số chuyển đổi số",
        "DX index",
        dx_layout.layout,
        Access.of("leadership", "department"),
        dx_callbacks,
    ),
    Page(
        "intake",
        "/intake",
        "Nạp dữ liệu",
        "Data intake",
        intake_layout.layout,
        Access.of("department"),
        intake_callbacks,
    ),
    Page(
        "forecast",
        "/forecast",
        "Dự báo tuyển sinh",
        "Enrolment forecast",
        forecast.layout,
        Access.of("leadership", "planner"),
        forecast_callbacks,
    ),
    Page(
        "ward",
        "/ward/<code>",
        "Phường, xã",
        "Ward",
        ward.layout,
        SIGNED_IN,
        ward_callbacks,
        nav=False,
    ),
    Page(
        "school",
        "/school/<id>",
        "Cơ sở giáo dục",
        "Institution",
        school.layout,
        SIGNED_IN,
        school_callbacks,
        nav=False,
    ),
    Page(
        "admin",
        "/admin",
        "Quản trị",
        "Administration",
        admin_layout.layout,
        admin_layout.ADMIN_ONLY,
        admin_callbacks,
    ),
    Page(
        "about_data",
        "/about/data",
        "Nguồn dữ liệu",
        "Data sources",
        about_data.layout,
        PUBLIC,
        about_data_callbacks,
    ),
    Page(
        "map", "/map", "Bản đồ trường học", "School map", map_layout.layout, PUBLIC, map_callbacks
    ),
]


def landing_path(who: Principal, wanted: str = "/") -> str:
    """Where to send ``who`` after sign-in: ``wanted`` if they may open it, else their
    first page in the table (planners land on the forecast, departments on their domains)."""
    page = page_for_path(wanted.split("?", 1)[0])
    if page is not None and page.permits(who, wanted.split("?", 1)[0]):
        return wanted
    for candidate in PAGES:
        if candidate.nav and "<" not in candidate.path and candidate.permits(who):
            return candidate.path
    return "/map"


def page_for_path(path: str) -> Page | None:
    """The page serving ``path``, or None."""
    for page in PAGES:
        if page.pattern.match(path):
            return page
    return None


def check_page(who: Principal, path: str) -> Any:
    """The guard's decision on a page request: None to serve it, else a redirect or a 403.

    An anonymous caller is sent to sign in; a signed-in one refused a page gets the 403 page
    with a link to a page they may open. Unknown paths are served (the shell's 404 page).
    """
    page = page_for_path(path)
    if page is None or page.permits(who, path):
        return None
    if who.is_anonymous:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return forbidden_response(who, landing_path(who))
