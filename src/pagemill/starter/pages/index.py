"""`/`: props from `get_server_side_props`, on every request."""

from datetime import UTC, datetime
from typing import TypedDict

from pagemill import Context, Link, ServerSideResult
from pagemill.html import Renderable, h1, p, title


class Props(TypedDict):
    now: str
    visitor: str


async def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    # Props travel as JSON: return a str, not the datetime itself.
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return {"props": {"now": now, "visitor": ctx.req.headers.get("user-agent", "someone")}}


def head(props: Props) -> Renderable:
    return title["Welcome to pagemill"]


def page(props: Props) -> Renderable:
    return [
        h1["Welcome to pagemill"],
        p["Rendered on the server at ", props["now"], " for ", props["visitor"], "."],
        p["Edit ", "pages/index.py", " and save: this page updates in place."],
        p[
            Link(href="/greet/pagemill")["A dynamic page"],
            " · ",
            Link(href="/api/hello")["An API route"],
        ],
    ]
