"""`/greet/<name>`: a dynamic route; a name that is too long is a 404."""

from typing import TypedDict

from pagemill import Context, ServerSideResult
from pagemill.html import Renderable, h1, title


class Props(TypedDict):
    name: str


async def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    name = ctx.params["name"]
    if not isinstance(name, str) or len(name) > 40:
        return {"not_found": True}
    return {"props": {"name": name}}


def head(props: Props) -> Renderable:
    return title[f"Hello, {props['name']}"]


def page(props: Props) -> Renderable:
    return h1["Hello, ", props["name"], "!"]
