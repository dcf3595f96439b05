"""`/shelves/<shelf>/<shelf>/...` — nested shelves, any depth: `/shelves/fiction/mystery/cozy`.

A catch-all route: `[...path]` matches one or more segments and gives them as a list,
`ctx.params["path"] == ["fiction", "mystery", "cozy"]`. (`/shelves` alone does not match;
that is what `[[...path]]` is for, see pages/search/.)
"""

from typing import TypedDict, cast

from pagemill import Context, Link, ServerSideResult
from pagemill.html import Renderable, h1, h2, li, p, section, ul

from lib.db import Shelf, get_shelf
from lib.ui import book_list, breadcrumbs, page_head


class Props(TypedDict):
    shelf: Shelf


def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    shelf = get_shelf(cast(list[str], ctx.params["path"]))
    if shelf is None:
        return {"not_found": True}
    return {"props": {"shelf": shelf}}


def head(props: Props) -> Renderable:
    shelf = props["shelf"]
    return page_head(shelf["name"], f"{shelf['name']}: {shelf['description']}")


def page(props: Props) -> Renderable:
    shelf = props["shelf"]
    return [
        breadcrumbs(shelf["crumbs"][:-1]),
        h1[shelf["name"]],
        p(class_="lead")[shelf["description"]],
        section[
            h2["Shelves"],
            ul(class_="shelves")[
                (li[Link(href=child["href"])[child["name"]]] for child in shelf["children"])
            ],
        ]
        if shelf["children"]
        else None,
        h2[f"{len(shelf['books'])} books"],
        book_list(shelf["books"]),
    ]
