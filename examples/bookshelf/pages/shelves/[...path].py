"""`/shelves/<shelf>/<shelf>/...` — nested shelves, any depth: `/shelves/fiction/mystery/cozy`.

A catch-all route: `[...path]` matches one or more segments and gives them as a list,
`ctx.params["path"] == ["fiction", "mystery", "cozy"]`. (`/shelves` alone does not match;
that is what `[[...path]]` is for, see pages/search/.)
"""

from typing import TypedDict, cast

from pagemill import Context, Link, RouterState, ServerSideResult
from pagemill.html import Renderable, h1, h2, li, p, section, ul

from lib.db import Shelf, get_shelf
from lib.i18n import t
from lib.ui import book_list, breadcrumbs, page_head


class Props(TypedDict):
    shelf: Shelf


def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    shelf = get_shelf(cast(list[str], ctx.params["path"]))
    if shelf is None:
        return {"not_found": True}
    return {"props": {"shelf": shelf}}


def head(props: Props, router: RouterState) -> Renderable:
    shelf = props["shelf"]
    name, description = t(router, shelf["name"]), t(router, shelf["description"])
    both = t(router, "{name}: {description}", name=name, description=description)
    return page_head(router, name, both)


def page(props: Props, router: RouterState) -> Renderable:
    shelf = props["shelf"]
    return [
        breadcrumbs(shelf["crumbs"][:-1], router),
        h1[t(router, shelf["name"])],
        p(class_="lead")[t(router, shelf["description"])],
        section[
            h2[t(router, "Shelves")],
            ul(class_="shelves")[
                (
                    li[Link(href=child["href"])[t(router, child["name"])]]
                    for child in shelf["children"]
                )
            ],
        ]
        if shelf["children"]
        else None,
        h2[t(router, "{count} books", count=len(shelf["books"]))],
        book_list(shelf["books"], router),
    ]
