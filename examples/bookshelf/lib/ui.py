"""Small pieces of markup shared by several pages: plain functions that return elements."""

from __future__ import annotations

from collections.abc import Sequence

from pagemill import Link, RouterState
from pagemill.html import Element, li, meta, nav, ol, p, span, title, ul

from lib.db import BookSummary, Crumb
from lib.i18n import t

SITE = "Bookshelf"


def page_head(router: RouterState, heading: str, description: str) -> list[Element]:
    """What every page's `head(props, router)` returns: a `<title>` and a meta description,
    in the page's locale (`heading` and `description` are translated already)."""
    site = t(router, SITE)
    return [
        title[f"{heading} · {site}" if heading != site else site],
        meta(name="description", content=description),
    ]


def stars(rating: float | None, router: RouterState) -> Element:
    if rating is None:
        return span(class_="stars muted")[t(router, "no reviews yet")]
    full = int(rating + 0.5)  # round half up: 4.5 shows five stars
    # Text is escaped for us, so "★" and a number need no special care.
    label = t(router, "{rating} out of 5", rating=rating)
    return span(class_="stars", title=label)["★" * full + "☆" * (5 - full)]


def book_list(books: Sequence[BookSummary], router: RouterState) -> Element:
    if not books:
        return p(class_="muted")[t(router, "No books here.")]
    # `Link` puts the page's locale in front of each href: /fr/books/... on a French page.
    return ul(class_="books")[
        (
            li[
                Link(href=f"/books/{book['slug']}", class_="book-title")[book["title"]],
                span(class_="byline")[
                    t(router, " by {author}, {year} ", author=book["author"], year=book["year"])
                ],
                stars(book["rating"], router),
            ]
            for book in books
        )
    ]


def breadcrumbs(crumbs: Sequence[Crumb], router: RouterState) -> Element:
    return nav(aria_label=t(router, "Breadcrumb"))[
        ol(class_="crumbs")[
            li[Link(href="/")[t(router, "Home")]],
            (li[Link(href=crumb["href"])[t(router, crumb["name"])]] for crumb in crumbs),
        ]
    ]
