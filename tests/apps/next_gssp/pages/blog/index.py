"""Next's pages/blog/index.js."""

import time

from pagemill.html import p


async def get_server_side_props(ctx):
    return {"props": {"slugs": ["post-1", "post-2"], "time": time.time()}}


def page(props):
    return p["Posts: ", ", ".join(props["slugs"])]
