"""The benchmark page: 100 list items built from per-request props.

`get_server_side_props` builds the items on every request from the `page` query parameter,
100 of them unless `?n=` says otherwise (nothing is cached between requests); `page()`
renders them as a `ul` of `li`, each with attributes and a few child elements.
bench/baseline/app.py hand-writes the same page with Starlette + Jinja2 and must produce the
same markup inside `<div id="__next">`.
"""

from lib.catalog import make_items, number

from pagemill.html import a, h1, li, p, small, span, title, ul


async def get_server_side_props(ctx):
    page = number(ctx.query.get("page"), 1)
    return {"props": {"page": page, "items": make_items(page, number(ctx.query.get("n"), 100))}}


def head(props):
    return title[f"Items, page {props['page']}"]


def page(props):
    return [
        h1["Items"],
        ul(class_="items")[
            (
                li(id=f"item-{item['id']}", class_="item", data_price=item["price"])[
                    a(href=f"/items/{item['id']}", class_="name")[item["name"]],
                    span(class_="price")[f"${item['price']:.2f}"],
                    small(class_="tags")[", ".join(item["tags"])],
                ]
                for item in props["items"]
            )
        ],
        p(class_="count")[f"{len(props['items'])} items"],
    ]
