"""Next's pages/index.js: it must never render for a data request."""

import time

from pagemill.html import p, span


async def get_server_side_props(ctx):
    return {"props": {"url": ctx.req.url, "world": "world", "time": time.time()}}


def page(props):
    if props["url"].startswith("/_next/data/"):
        raise AssertionError("invalid render for data request")
    return [p["hello ", props["world"]], span["time: ", str(props["time"])]]
