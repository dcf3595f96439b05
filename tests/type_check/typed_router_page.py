"""A page that takes the router, with Links in other locales: mypy --strict must accept it."""

from typing import TypedDict

from pagemill import Link, RouterState
from pagemill.html import Renderable, h1, nav, p, title


class Props(TypedDict):
    title: str


def head(props: Props, router: RouterState) -> Renderable:
    return title[f"{props['title']} ({router.locale or 'en'})"]


def page(props: Props, router: RouterState) -> Renderable:
    query: str | list[str] | None = router.query.get("tab")
    return [
        h1[props["title"]],
        p[router.route, " ", router.as_path, " ", str(router.is_preview), " ", str(query)],
        nav[
            Link(href="/about")["About"],
            Link(href=router.as_path, locale="fr")["Français"],
            Link(href="/fr/about", locale=False)["As written"],
        ],
    ]
