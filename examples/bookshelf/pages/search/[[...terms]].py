"""`/search`, `/search/<term>`, `/search/<term>/<term>/...` — search by title, author or blurb.

An optional catch-all: `[[...terms]]` also matches `/search` itself, and then the key is
absent from `ctx.params`. Each segment is one term, percent-decoded: `/search/salt/Baltic`
finds books matching both "salt" and "Baltic", `/search/Juniper%20Vale` the phrase.

The search box submits `GET /search?q=...`; the page turns that into the tidy URL with a
307 redirect, so results are always at a shareable, bookmarkable path. With JavaScript, the
box and the results are an island (`islands/search.js`, written with Preact): the results
follow as you type, from `GET /api/books?q=...`. The server-rendered form and results are
its fallback, so the page works the same without JavaScript.
"""

from typing import NotRequired, TypedDict, cast
from urllib.parse import quote

from pagemill import Context, Link, RouterState, ServerSideResult, island
from pagemill.html import Renderable, button, form, h1, input, label, p, search

from lib.db import MAX_TERM_LENGTH, MAX_TERMS, BookSummary
from lib.db import search as search_books
from lib.i18n import t
from lib.ui import book_list, page_head


class Props(TypedDict):
    terms: list[str]
    books: list[BookSummary]
    too_long: NotRequired[bool]


def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    q = ctx.query.get("q")
    if isinstance(q, str):
        path = "/".join(quote(term, safe="") for term in q.split())
        # A redirect's destination is taken as written: the locale goes in front by hand.
        prefix = "" if ctx.locale == ctx.default_locale else f"/{ctx.locale}"
        destination = f"{prefix}/search/{path}".rstrip("/")
        return {"redirect": {"destination": destination, "permanent": False}}

    terms = cast(list[str], ctx.params.get("terms", []))
    # Bound what a visitor can make the database do: a few short terms.
    if len(terms) > MAX_TERMS or any(len(term) > MAX_TERM_LENGTH for term in terms):
        ctx.res.status_code = 400
        return {"props": {"terms": [], "books": [], "too_long": True}}
    return {"props": {"terms": terms, "books": search_books(terms) if terms else []}}


def head(props: Props, router: RouterState) -> Renderable:
    what = " ".join(props["terms"])
    heading = t(router, "Search: {what}", what=what) if what else t(router, "Search")
    return page_head(router, heading, t(router, "Find a book on the shelf."))


def page(props: Props, router: RouterState) -> Renderable:
    terms = props["terms"]
    # A plain form posts to the path as written: the locale goes in front by hand.
    action = "/search" if router.locale == router.default_locale else f"/{router.locale}/search"
    return [
        h1[t(router, "Search")],
        island("search", props=live_search_props(props, router, action))[
            search_form(terms, action, router),
            results(props, router),
        ],
    ]


def live_search_props(props: Props, router: RouterState, action: str) -> dict[str, object]:
    """What the live search island needs: the page's search, and its words in this locale."""
    words = (
        "Search terms",
        "title, author or a word from the blurb",
        "Search",
        "No books here.",
        "no reviews yet",
    )
    return {
        "action": action,
        "query": " ".join(props["terms"]),
        "books": props["books"],
        # Books link to this locale's pages; the API route has no locale.
        "locale_prefix": "" if router.locale == router.default_locale else f"/{router.locale}",
        "words": {text: t(router, text) for text in words}
        | {
            "by": t(router, " by {author}, {year} ", author="{author}", year="{year}"),
            "found": t(router, "{count} found for ", count="{count}"),
        },
    }


def search_form(terms: list[str], action: str, router: RouterState) -> Renderable:
    return search[
        form(action=action, method="get", class_="search-form")[
            label(for_="q", class_="visually-hidden")[t(router, "Search terms")],
            input(
                id="q",
                name="q",
                type="search",
                value=" ".join(terms),
                placeholder=t(router, "title, author or a word from the blurb"),
            ),
            button(type="submit")[t(router, "Search")],
        ]
    ]


def results(props: Props, router: RouterState) -> Renderable:
    terms = props["terms"]
    if props.get("too_long"):
        limits = "Search for at most {terms} words of up to {letters} letters each."
        return p(class_="muted")[t(router, limits, terms=MAX_TERMS, letters=MAX_TERM_LENGTH)]
    if not terms:
        return p(class_="muted")[
            t(router, "Try "),
            Link(href="/search/winter")["winter"],
            t(router, " or "),
            Link(href="/search/salt/Baltic")["salt Baltic"],
            ".",
        ]
    return [
        p(class_="muted")[
            t(router, "{count} found for ", count=len(props["books"])),
            ", ".join(f"“{term}”" for term in terms),
        ],
        book_list(props["books"], router),
    ]
