"""`/slow` — a page whose data takes a moment (an expensive report, say).

Navigate here from another page: after ~100 ms a thin progress bar shows at the top
until the props arrive, so a slow page never feels like a dead click.
"""

import asyncio
from typing import TypedDict

from pagemill import Context, ServerSideResult
from pagemill.html import Renderable, h1, li, p, ul

from lib.db import list_books
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


def head(props: Props) -> Renderable:
    return page_head("A slow report", "Books on the first page of the list, by initial.")


def page(props: Props) -> Renderable:
    return [
        h1["A slow report"],
        p["This page waits 0.8 s for its data: navigate here in-app to see the progress bar."],
        ul[(li[f"{letter}: {count}"] for letter, count in props["counts"].items())],
    ]
