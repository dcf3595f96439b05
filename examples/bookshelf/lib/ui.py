"""Small pieces of markup shared by several pages: plain functions that return elements."""

from __future__ import annotations

from collections.abc import Sequence

from pagemill import Link
from pagemill.html import Element, li, meta, nav, ol, p, span, title, ul

from lib.db import BookSummary, Crumb

SITE = "Bookshelf"


def page_head(heading: str, description: str) -> list[Element]:
    """What every page's `head(props)` returns: a `<title>` and a meta description."""
    return [
        title[f"{heading} · {SITE}" if heading != SITE else SITE],
        meta(name="description", content=description),
    ]


def stars(rating: float | None) -> Element:
    if rating is None:
        return span(class_="stars muted")["no reviews yet"]
    full = int(rating + 0.5)  # round half up: 4.5 shows five stars
    # Text is escaped for us, so "★" and a number need no special care.
    return span(class_="stars", title=f"{rating} out of 5")["★" * full + "☆" * (5 - full)]


def book_list(books: Sequence[BookSummary]) -> Element:
    if not books:
        return p(class_="muted")["No books here."]
    return ul(class_="books")[
        (
            li[
                Link(href=f"/books/{book['slug']}", class_="book-title")[book["title"]],
                span(class_="byline")[f" by {book['author']}, {book['year']} "],
                stars(book["rating"]),
            ]
            for book in books
        )
    ]


def breadcrumbs(crumbs: Sequence[Crumb]) -> Element:
    return nav(aria_label="Breadcrumb")[
        ol(class_="crumbs")[
            li[Link(href="/")["Home"]],
            (li[Link(href=crumb["href"])[crumb["name"]]] for crumb in crumbs),
        ]
    ]
