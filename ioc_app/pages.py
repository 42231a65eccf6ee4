"""The page table: every page's path, titles, layout, callbacks and who may open it.

Navigation, routing and the guard are all built from this one table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from callbacks import about_data as about_data_callbacks
from callbacks import home as home_callbacks
from ioc_app.guard import PUBLIC, SIGNED_IN, Access
from ioc_app.i18n import pick
from ioc_app.principal import Principal
from layouts import about_data, home


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
        regex = re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", re.escape(self.path).replace(r"\<", "<")
                       .replace(r"\>", ">"))
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
    Page("home", "/", "Tổng quan", "Overview", home.layout, SIGNED_IN, home_callbacks),
    Page("about_data", "/about/data", "Nguồn dữ liệu", "Data sources", about_data.layout,
         PUBLIC, about_data_callbacks),
]


def page_for_path(path: str) -> Page | None:
    """The page serving ``path``, or None."""
    for page in PAGES:
        if page.pattern.match(path):
            return page
    return None
