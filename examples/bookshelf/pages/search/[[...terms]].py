"""`/search`, `/search/<term>`, `/search/<term>/<term>/...` — search by title, author or blurb.

An optional catch-all: `[[...terms]]` also matches `/search` itself, and then the key is
absent from `ctx.params`. Each segment is one term, percent-decoded: `/search/salt/Baltic`
finds books matching both "salt" and "Baltic", `/search/Juniper%20Vale` the phrase.

The search box submits `GET /search?q=...`; the page turns that into the tidy URL with a
307 redirect, so results are always at a shareable, bookmarkable path.
"""

from typing import NotRequired, TypedDict, cast
from urllib.parse import quote

from pagemill import Context, Link, ServerSideResult
from pagemill.html import Renderable, button, form, h1, input, label, p, search

from lib.db import BookSummary
from lib.db import search as search_books
from lib.ui import book_list, page_head


MAX_TERMS = 10
MAX_TERM_LENGTH = 100


class Props(TypedDict):
    terms: list[str]
    books: list[BookSummary]
    too_long: NotRequired[bool]


def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    q = ctx.query.get("q")
    if isinstance(q, str):
        path = "/".join(quote(term, safe="") for term in q.split())
        return {"redirect": {"destination": f"/search/{path}".rstrip("/"), "permanent": False}}

    terms = cast(list[str], ctx.params.get("terms", []))
    # Bound what a visitor can make the database do: a few short terms.
    if len(terms) > MAX_TERMS or any(len(term) > MAX_TERM_LENGTH for term in terms):
        ctx.res.status_code = 400
        return {"props": {"terms": [], "books": [], "too_long": True}}
    return {"props": {"terms": terms, "books": search_books(terms) if terms else []}}


def head(props: Props) -> Renderable:
    what = " ".join(props["terms"])
    return page_head(f"Search: {what}" if what else "Search", "Find a book on the shelf.")


def page(props: Props) -> Renderable:
    terms = props["terms"]
    return [
        h1["Search"],
        search[
            form(action="/search", method="get", class_="search-form")[
                label(for_="q", class_="visually-hidden")["Search terms"],
                input(
                    id="q",
                    name="q",
                    type="search",
                    value=" ".join(terms),
                    placeholder="title, author or a word from the blurb",
                ),
                button(type="submit")["Search"],
            ]
        ],
        results(props),
    ]


def results(props: Props) -> Renderable:
    terms = props["terms"]
    if props.get("too_long"):
        return p(class_="muted")[
            f"Search for at most {MAX_TERMS} words of up to {MAX_TERM_LENGTH} letters each."
        ]
    if not terms:
        return p(class_="muted")[
            "Try ",
            Link(href="/search/winter")["winter"],
            " or ",
            Link(href="/search/salt/Baltic")["salt Baltic"],
            ".",
        ]
    return [
        p(class_="muted")[f"{len(props['books'])} found for ", ", ".join(f"“{t}”" for t in terms)],
        book_list(props["books"]),
    ]
