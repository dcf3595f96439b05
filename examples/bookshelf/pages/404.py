"""The 404 page (SPEC 7): unknown URLs, and every `{"not_found": True}`.

It cannot have `get_server_side_props`; it is static, rendered inside the `_app.py` layout.
"""

from pagemill import Link, RouterState
from pagemill.html import Renderable, h1, p

from lib.i18n import t
from lib.ui import page_head


def head(props: dict[str, object], router: RouterState) -> Renderable:
    description = t(router, "There is no such page on the bookshelf.")
    return page_head(router, t(router, "Not found"), description)


# Prerendered per locale, and shown for /fr/... URLs in French.
def page(props: dict[str, object], router: RouterState) -> Renderable:
    return [
        h1[t(router, "This book isn't on the shelf")],
        p[
            t(
                router,
                "Nothing lives at this address. It may have been lent out, or never existed.",
            )
        ],
        p[
            Link(href="/")[t(router, "Back to all books")],
            " · ",
            Link(href="/search")[t(router, "Search")],
        ],
    ]
