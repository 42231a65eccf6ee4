"""The application shell: header, navigation from the page table, language and theme."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from ioc_app.core import ids
from ioc_app.core.guard import principal
from ioc_app.core.i18n import current_language, current_theme, t
from ioc_app.core.sessions import csrf_token
from ioc_app.pages import PAGES
from ioc_app.router import first_render


def nav_links(lang: str) -> list[Any]:
    """Links to the pages the caller may open, in table order."""
    who = principal()
    return [
        dcc.Link(page.title(lang), href=page.path, className="nav-link")
        for page in PAGES
        if page.nav and "<" not in page.path and page.permits(who)
    ]


def user_box(lang: str) -> Any:
    """Who is signed in, with a sign-out link; a sign-in link for visitors."""
    who = principal()
    if who.is_anonymous:
        return html.A(t("auth.signin", lang), href="/login", className="button-link")
    return html.Div(
        [
            html.Span(f"{t('auth.signed_in_as', lang)} ", className="muted"),
            html.Strong(who.username),
            html.Span(f" · {t('role.' + who.role, lang)}", className="muted"),
            # A form, not a link: sign-out is a POST with the session's token (CSRF).
            html.Form(
                [
                    dcc.Input(type="hidden", name="csrf", value=csrf_token()),
                    html.Button(t("auth.signout", lang), type="submit", className="button-link"),
                ],
                method="post",
                action="/logout",
                className="signout-form",
            ),
        ],
        className="user-box",
    )


def shell() -> Any:
    """The layout around every page (rendered per request: it depends on the caller)."""
    lang = current_language()
    theme = current_theme()
    other_theme = "light" if theme == "dark" else "dark"
    content, title, rendered = first_render() or (None, None, None)
    return html.Div(
        [
            html.A(t("nav.skip", lang), href="#" + ids.MAIN, className="skip-link"),
            html.Header(
                [
                    html.A(
                        [html.Span("IOC", className="brand-mark"), t("app.title", lang)],
                        href="/",
                        className="brand",
                    ),
                    html.Nav(
                        nav_links(lang),
                        id=ids.NAV,
                        className="nav",
                        **{"aria-label": t("nav.label", lang)},
                    ),
                    html.Div(
                        [
                            html.A(
                                t("lang.switch", lang),
                                id=ids.LANG_LINK,
                                href=f"/set-lang/{'en' if lang == 'vi' else 'vi'}",
                                lang="en" if lang == "vi" else "vi",
                                className="button-link",
                            ),
                            html.A(
                                t(f"theme.{other_theme}", lang),
                                id=ids.THEME_LINK,
                                href=f"/set-theme/{other_theme}",
                                className="button-link",
                            ),
                            user_box(lang),
                        ],
                        className="header-tools",
                    ),
                ],
                className="app-header",
            ),
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.PAGE_TITLE, data=title),
            dcc.Store(id=ids.PAGE_RENDERED, data=rendered),
            html.Main(
                dcc.Loading(
                    html.Div(content, id=ids.PAGE_CONTENT),
                    delay_show=300,
                    target_components={ids.PAGE_CONTENT: "children"},
                ),
                id=ids.MAIN,
                tabIndex="-1",
                className="app-main",
            ),
            html.Footer(
                [
                    html.Span(t("app.department", lang)),
                    " · ",
                    dcc.Link(
                        t("data.generated_badge", lang) + " — " + PAGES_ABOUT_TITLE[lang],
                        href="/about/data",
                    ),
                ],
                className="app-footer",
            ),
        ],
        id=ids.SHELL,
        className=f"app theme-{theme}",
        lang=lang,
    )


PAGES_ABOUT_TITLE = {"vi": "nguồn dữ liệu", "en": "data sources"}
