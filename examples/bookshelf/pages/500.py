"""The 500 page: shown when a page raises. Static, rendered inside the layout, per locale."""

from pagemill import Link, RouterState
from pagemill.html import Renderable, h1, p

from lib.i18n import t
from lib.ui import page_head


def head(props: dict[str, object], router: RouterState) -> Renderable:
    return page_head(router, t(router, "Something went wrong"), t(router, "Something went wrong"))


def page(props: dict[str, object], router: RouterState) -> Renderable:
    return [
        h1[t(router, "Something went wrong")],
        p[t(router, "The bookshelf could not show this page. Please try again in a moment.")],
        p[Link(href="/")[t(router, "Back to all books")]],
    ]
