"""`/book/<id>` — the old URL scheme, by number. It moved to `/books/<slug>` for good.

A page that only redirects: `"permanent": True` answers 308 Permanent Redirect, which
browsers and search engines remember. It still needs a `page` function, never called here.
"""

import re
from typing import cast

from pagemill import Context, ServerSideResult
from pagemill.html import Renderable

from lib.db import slug_for_id


def get_server_side_props(ctx: Context) -> ServerSideResult[dict[str, object]]:
    # Sync is fine: pagemill runs a sync get_server_side_props in a worker thread.
    book_id = cast(str, ctx.params["id"])
    slug = slug_for_id(int(book_id)) if re.fullmatch(r"[0-9]{1,9}", book_id) else None
    if slug is None:
        return {"not_found": True}
    return {"redirect": {"destination": f"/books/{slug}", "permanent": True}}


def page(props: dict[str, object]) -> Renderable:
    return None
