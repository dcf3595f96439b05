"""`/about` — a static page: no `get_server_side_props`, so `pagemill build` renders it once
and serves the stored HTML (Next's automatic static optimization). `props` is `{}`."""

from pagemill import Link
from pagemill.html import Renderable, code, h1, li, p, ul

from lib.ui import page_head


def head(props: dict[str, object]) -> Renderable:
    return page_head("About", "What this bookshelf is, and how it is built with pagemill.")


def page(props: dict[str, object]) -> Renderable:
    return [
        h1["About this bookshelf"],
        p[
            "A made-up reading list: every book, author and review is invented. It is the ",
            "example app of pagemill, a Python take on the Next.js Pages Router.",
        ],
        ul[
            li["Pages are Python modules under ", code["pages/"], "; the file path is the URL."],
            li["Data comes from a SQLite database, read in ", code["get_server_side_props"], "."],
            li["This page has no data, so it was rendered once, at build time."],
        ],
        p[
            Link(href="/")["Browse the books"],
            " or ",
            Link(href="/random")["pick one at random"],
            ".",
        ],
    ]
