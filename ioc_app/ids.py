"""Every component id of the application, defined once.

Pages import their ids from here; a test checks that every callback id exists in a layout.
"""

from __future__ import annotations

# Shell
URL = "url"
SHELL = "shell"
MAIN = "main-content"
NAV = "main-nav"
LANG_LINK = "lang-link"
THEME_LINK = "theme-link"
PAGE_CONTENT = "page-content"
PAGE_TITLE = "page-title"

# /about/data
ABOUT_SOURCES_TABLE = "about-sources-table"
ABOUT_DOWNLOAD = "about-download"
ABOUT_DOWNLOAD_BUTTON = "about-download-button"

# / (start page until the control room lands)
HOME_HEALTH = "home-health"
HOME_REFRESH = "home-refresh"
