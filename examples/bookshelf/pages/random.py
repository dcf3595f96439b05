"""`/random` — send the reader to a random book.

`"permanent": False` answers 307 Temporary Redirect: nothing may cache or remember where it
pointed, since it points somewhere else every time.
"""

from pagemill import Context, ServerSideResult
from pagemill.html import Renderable

from lib.db import random_slug


def get_server_side_props(ctx: Context) -> ServerSideResult[dict[str, object]]:
    return {"redirect": {"destination": f"/books/{random_slug()}", "permanent": False}}


def page(props: dict[str, object]) -> Renderable:
    return None
