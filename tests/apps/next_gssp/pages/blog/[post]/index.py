"""Next's pages/blog/[post]/index.js: `post-100` raises."""

import json
import time

from pagemill.html import div, p, span


async def get_server_side_props(ctx):
    if ctx.params["post"] == "post-100":
        raise RuntimeError("such broken..")
    return {
        "props": {
            "params": ctx.params,
            "resolvedUrl": ctx.resolved_url,
            "post": ctx.params["post"],
            "time": time.time(),
        }
    }


def page(props):
    return [
        p["Post: ", props["post"]],
        span["time: ", str(props["time"])],
        div(id="params")[json.dumps(props["params"])],
        div(id="resolved-url")[props["resolvedUrl"]],
    ]
