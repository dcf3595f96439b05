"""`/slow` — a page whose data takes a moment (an expensive report, say).

Navigate here from another page: after ~100 ms a thin progress bar shows at the top
until the props arrive, so a slow page never feels like a dead click.
"""

import asyncio
from typing import TypedDict

from pagemill import Context, RouterState, ServerSideResult
from pagemill.html import Renderable, h1, li, p, ul

from lib.db import list_books
from lib.i18n import t
from lib.ui import page_head


class Props(TypedDict):
    counts: dict[str, int]


async def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    await asyncio.sleep(0.8)  # stands in for a slow query or a call to another service
    books, _ = await asyncio.to_thread(list_books, "title", 1)
    counts: dict[str, int] = {}
    for book in books:
        initial = book["title"][:1].upper()
        counts[initial] = counts.get(initial, 0) + 1
    return {"props": {"counts": dict(sorted(counts.items()))}}


def head(props: Props, router: RouterState) -> Renderable:
    description = t(router, "Books on the first page of the list, by initial.")
    return page_head(router, t(router, "A slow report"), description)


def page(props: Props, router: RouterState) -> Renderable:
    wait = "This page waits 0.8 s for its data: navigate here in-app to see the progress bar."
    return [
        h1[t(router, "A slow report")],
        p[t(router, wait)],
        ul[(li[f"{letter}: {count}"] for letter, count in props["counts"].items())],
    ]
