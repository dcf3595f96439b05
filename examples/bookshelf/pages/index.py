"""`/` — every book, sorted and paged by query parameters: `/?sort=rating&page=2`.

Shows `ctx.query` and a custom `Cache-Control` (SPEC 11).
"""

from typing import TypedDict

from pagemill import Context, Link, RouterState, ServerSideResult
from pagemill.html import Renderable, a, h1, li, nav, p, span, ul

from lib.db import BookSummary, Sort, list_books, page_number
from lib.i18n import t
from lib.ui import SITE, book_list, page_head


class Props(TypedDict):
    books: list[BookSummary]
    sort: Sort
    page: int
    pages: int
    draft_mode: bool


SORT_LABELS: dict[Sort, str] = {"title": "Title", "newest": "Newest", "rating": "Top rated"}


def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    # Query values are str, or list[str] when a key repeats (?page=1&page=2): check them.
    sort: Sort = next((key for key in SORT_LABELS if ctx.query.get("sort") == key), "title")
    # Input is checked before it reaches the database: `?page=abc` or a 30-digit page is no
    # page of this shelf.
    number = page_number(ctx.query.get("page", "1"))
    if number is None:
        return {"not_found": True}
    books, pages = list_books(sort, number)
    if number > pages:
        return {"not_found": True}

    # The list may be 10 seconds old: pagemill's response cache (and any CDN in front)
    # answers from its copy for 10 s, then serves it stale for up to a minute more while
    # one background run refreshes it. POST /api/revalidate drops it at once.
    ctx.res.set_header("Cache-Control", "public, s-maxage=10, stale-while-revalidate=59")
    # In draft mode (turned on by /api/draft) pagemill marks every response private anyway.
    props: Props = {
        "books": books,
        "sort": sort,
        "page": number,
        "pages": pages,
        "draft_mode": ctx.draft_mode,
    }
    return {"props": props}


def head(props: Props, router: RouterState) -> Renderable:
    description = "A small reading list: novels, histories and memoirs, with reviews."
    return page_head(router, t(router, SITE), t(router, description))


# `page` may take the router as a second parameter, as `head` does: here for the locale.
def page(props: Props, router: RouterState) -> Renderable:
    sort, current = props["sort"], props["page"]

    def url(sort: Sort, page: int) -> str:
        return f"/?sort={sort}&page={page}"

    def choice(text: str, href: str, chosen: bool) -> Renderable:
        return span(class_="current")[text] if chosen else Link(href=href)[text]

    banner = p(class_="draft-banner")[
        t(router, "Draft mode is on. "), a(href="/api/draft?off")[t(router, "Leave it")]
    ]

    return [
        props["draft_mode"] and banner,
        h1[t(router, "All books")],
        p(class_="sort")[
            t(router, "Sort by: "),
            (
                choice(t(router, label), url(key, 1), key == sort)
                for key, label in SORT_LABELS.items()
            ),
        ],
        book_list(props["books"], router),
        nav(class_="pager", aria_label=t(router, "Pages"))[
            ul[
                (
                    li[choice(str(n), url(sort, n), n == current)]
                    for n in range(1, props["pages"] + 1)
                )
            ]
        ],
    ]
