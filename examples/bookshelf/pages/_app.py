"""The layout around every page: a header with the site nav, then the page.

There is deliberately no `get_initial_props` here. It would run on every request and, as in
Next.js, turn every page into a server-rendered one: `about.py` and `404.py` could no longer be
prerendered at build time.
"""

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from pagemill import Link, RouterState
from pagemill.html import Element, a, div, footer, header, main, nav, p

from lib.i18n import t

# (href, label, the route pattern that makes the link active)
NAV = [
    ("/", "All books", "/"),
    ("/shelves/fiction", "Fiction", None),
    ("/shelves/nonfiction", "Nonfiction", None),
    ("/search", "Search", "/search/[[...terms]]"),
    ("/about", "About", "/about"),
    ("/slow", "Slow report", "/slow"),
]


def language_switch(router: RouterState) -> Element:
    # The same page in the other language, through /api/language: it sets the NEXT_LOCALE
    # cookie (so `/` stops sending a French-preferring browser to /fr once English is
    # picked), then redirects. `as_path` never contains the locale.
    other, label = ("en", "English") if router.locale == "fr" else ("fr", "Français")
    query = urlencode({"locale": other, "path": router.as_path})
    return a(href=f"/api/language?{query}", hreflang=other, class_="language")[label]


def is_active(href: str, pattern: str | None, router: RouterState) -> bool:
    # `router.pathname` is the route *pattern* ("/books/[slug]"), the same for every book;
    # `router.as_path` is the URL actually shown ("/shelves/fiction/fantasy?x=1").
    if pattern is not None:
        return router.pathname == pattern
    return router.as_path == href or router.as_path.startswith(href + "/")


def app(page: Markup, props: dict[str, Any], router: RouterState) -> Element:
    # `props` is {"pageProps": {...}} (plus app props, if get_initial_props returned any);
    # this layout needs only the router. Every `Link` gets the page's locale in front of its
    # href, as Next's does: "/about" is "/fr/about" on a French page.
    return div(class_="layout")[
        header(class_="site-header")[
            Link(href="/", class_="logo")[t(router, "📚 Bookshelf")],
            nav(class_="site-nav", aria_label=t(router, "Site"))[
                (
                    Link(
                        href=href,
                        aria_current="page" if is_active(href, pattern, router) else None,
                    )[t(router, label)]
                    for href, label, pattern in NAV
                ),
                # /random answers with a redirect. On an in-app navigation the data route says
                # so as JSON and the client follows it without reloading the page.
                Link(href="/random", title=t(router, "Take me to a random book"))[
                    t(router, "🎲 Surprise me")
                ],
                language_switch(router),
            ],
        ],
        main[page],
        footer(class_="site-footer")[
            p[
                t(router, "A pagemill example app. Every book and review here is made up. "),
                Link(href="/books/the-lost-book")[t(router, "A book that is not here")],
            ]
        ],
    ]
