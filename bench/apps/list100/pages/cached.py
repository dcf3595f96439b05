"""The benchmark page again, shared by the response cache for 60 s (`public, s-maxage=60`).

`?slow=1` makes gSSP take 50 ms (a slow query), to count runs under concurrent misses.
"""

import asyncio

from lib.catalog import make_items

from pagemill.html import a, h1, li, p, small, span, title, ul

runs = {"count": 0}


async def get_server_side_props(ctx):
    runs["count"] += 1
    run = runs["count"]  # this run's number, before other runs overlap it
    if "slow" in ctx.query:
        await asyncio.sleep(0.05)
    ctx.res.set_header("Cache-Control", "public, s-maxage=60, stale-while-revalidate=60")
    return {"props": {"page": 1, "items": make_items(1), "runs": run}}


def head(props):
    return title["Items (cached)"]


def page(props):
    return [
        h1["Items"],
        p[f"gSSP runs so far in this process: {props['runs']}"],
        ul(class_="items")[
            (
                li(id=f"item-{item['id']}", class_="item", data_price=item["price"])[
                    a(href=f"/items/{item['id']}")[item["name"]],
                    span(class_="price")[f"{item['price']:.2f}"],
                    small[", ".join(item["tags"])],
                ]
                for item in props["items"]
            )
        ],
    ]
