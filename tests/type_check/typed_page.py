"""A page written with the public types: mypy --strict must accept it (checked by `make test`)."""

from typing import TypedDict

from pagemill import AppContext, Context, Link, RouterState, ServerSideResult
from pagemill.html import Markup, Renderable, article, div, h1, p, title


class Props(TypedDict):
    title: str
    body: str


async def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    slug = ctx.params.get("slug")
    if not isinstance(slug, str):
        return {"not_found": True}
    if slug == "old":
        return {"redirect": {"destination": "/blog/new", "permanent": True}}
    if slug == "gone":
        return {"redirect": {"destination": "/", "status_code": 303, "base_path": False}}
    ctx.res.set_header("cache-control", "public, s-maxage=10")
    return {"props": {"title": slug.title(), "body": ctx.resolved_url}}


def head(props: Props) -> Renderable:
    return title[props["title"]]


def page(props: Props) -> Renderable:
    return article[h1[props["title"]], p[props["body"]], Link(href="/")["Home"]]


async def get_initial_props(ctx: AppContext) -> dict[str, object]:
    return {"page_props": {}, "path": ctx.as_path}


def app(page: Markup, props: dict[str, object], router: RouterState) -> Renderable:
    return div(id="layout")[p[router.pathname], page]
