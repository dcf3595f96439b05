"""`/about` — a static page: no `get_server_side_props`, so `pagemill build` renders it once
and serves the stored HTML (Next's automatic static optimization). `props` is `{}`."""

from pagemill import Link, RouterState
from pagemill.html import Renderable, code, h1, li, p, ul

from lib.i18n import t
from lib.ui import page_head


def head(props: dict[str, object], router: RouterState) -> Renderable:
    description = "What this bookshelf is, and how it is built with pagemill."
    return page_head(router, t(router, "About"), t(router, description))


# A static page is prerendered once per locale: `router.locale` is "en", then "fr".
def page(props: dict[str, object], router: RouterState) -> Renderable:
    made_up = "A made-up reading list: every book, author and review is invented. It is the "
    return [
        h1[t(router, "About this bookshelf")],
        p[
            t(router, made_up),
            t(router, "example app of pagemill, a Python take on the Next.js Pages Router."),
        ],
        ul[
            li[
                t(router, "Pages are Python modules under "),
                code["pages/"],
                t(router, "; the file path is the URL."),
            ],
            li[
                t(router, "Data comes from a SQLite database, read in "),
                code["get_server_side_props"],
                ".",
            ],
            li[t(router, "This page has no data, so it was rendered once, at build time.")],
        ],
        p[
            Link(href="/")[t(router, "Browse the books")],
            t(router, " or "),
            Link(href="/random")[t(router, "pick one at random")],
            ".",
        ],
    ]
