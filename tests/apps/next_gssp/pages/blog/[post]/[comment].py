"""Next's pages/blog/[post]/[comment].js."""

import time

from pagemill.html import p, span


async def get_server_side_props(ctx):
    return {
        "props": {
            "post": ctx.query["post"],
            "comment": ctx.query["comment"],
            "time": time.time(),
        }
    }


def page(props):
    return [
        p["Post: ", props["post"]],
        p["Comment: ", props["comment"]],
        span["time: ", str(props["time"])],
    ]
