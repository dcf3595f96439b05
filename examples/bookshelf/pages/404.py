"""The 404 page (SPEC 7): unknown URLs, and every `{"not_found": True}`.

It cannot have `get_server_side_props`; it is static, rendered inside the `_app.py` layout.
"""

from pagemill import Link
from pagemill.html import Renderable, h1, p

from lib.ui import page_head


def head(props: dict[str, object]) -> Renderable:
    return page_head("Not found", "There is no such page on the bookshelf.")


def page(props: dict[str, object]) -> Renderable:
    return [
        h1["This book isn't on the shelf"],
        p["Nothing lives at this address. It may have been lent out, or never existed."],
        p[Link(href="/")["Back to all books"], " · ", Link(href="/search")["Search"]],
    ]
