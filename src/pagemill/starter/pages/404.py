"""The page for every unknown URL and every `{"not_found": True}`."""

from pagemill import Link
from pagemill.html import Renderable, h1, p, title


def head(props: dict[str, object]) -> Renderable:
    return title["Page not found"]


def page(props: dict[str, object]) -> Renderable:
    return [h1["This page could not be found."], p[Link(href="/")["Back home"]]]
