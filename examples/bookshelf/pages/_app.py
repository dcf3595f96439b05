"""The layout around every page (SPEC 3.3): a header with the site nav, then the page.

There is deliberately no `get_initial_props` here. It would run on every request and, as in
Next.js, turn every page into a server-rendered one: `about.py` and `404.py` could no longer be
prerendered at build time.
"""

from typing import Any

from markupsafe import Markup
from pagemill import Link, RouterState
from pagemill.html import Element, a, div, footer, header, main, nav, p

# (href, label, the route pattern that makes the link active)
NAV = [
    ("/", "All books", "/"),
    ("/shelves/fiction", "Fiction", None),
    ("/shelves/nonfiction", "Nonfiction", None),
    ("/search", "Search", "/search/[[...terms]]"),
    ("/about", "About", "/about"),
    ("/slow", "Slow report", "/slow"),
]

# The nav in French; the books themselves are not translated. `router.locale` is "en" or
# "fr" (pagemill.toml's [i18n]); links to French pages carry the /fr prefix.
FRENCH = {
    "All books": "Tous les livres",
    "Fiction": "Romans",
    "Nonfiction": "Essais",
    "Search": "Recherche",
    "About": "À propos",
    "Slow report": "Rapport lent",
}


def localized(href: str, router: RouterState) -> str:
    if router.locale in (None, router.default_locale):
        return href
    return f"/{router.locale}" + ("" if href == "/" else href)


def language_switch(router: RouterState) -> Element:
    # as_path never contains the locale, so the same path works for every language.
    other, label = ("en", "English") if router.locale == "fr" else ("fr", "Français")
    href = router.as_path if other == router.default_locale else f"/{other}{router.as_path}"
    return a(href=href, hreflang=other, class_="language")[label]


def is_active(href: str, pattern: str | None, router: RouterState) -> bool:
    # `router.pathname` is the route *pattern* ("/books/[slug]"), the same for every book;
    # `router.as_path` is the URL actually shown ("/shelves/fiction/fantasy?x=1").
    if pattern is not None:
        return router.pathname == pattern
    return router.as_path == href or router.as_path.startswith(href + "/")


def app(page: Markup, props: dict[str, Any], router: RouterState) -> Element:
    # `props` is {"pageProps": {...}} (plus app props, if get_initial_props returned any);
    # this layout needs only the router.
    return div(class_="layout")[
        header(class_="site-header")[
            Link(href="/", class_="logo")["📚 Bookshelf"],
            nav(class_="site-nav")[
                (
                    Link(
                        href=localized(href, router),
                        aria_current="page" if is_active(href, pattern, router) else None,
                    )[FRENCH[label] if router.locale == "fr" else label]
                    for href, label, pattern in NAV
                ),
                # /random answers with a redirect. On an in-app navigation the data route says
                # so as JSON and the client follows it without reloading the page.
                Link(href="/random", title="Take me to a random book")["🎲 Surprise me"],
                language_switch(router),
            ],
        ],
        main[page],
        footer(class_="site-footer")[
            p[
                "A pagemill example app. Every book and review here is made up. ",
                Link(href="/books/the-lost-book")["A book that is not here"],
            ]
        ],
    ]
