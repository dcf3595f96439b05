"""Next's pages/something.js."""

import json
import random
import time

from pagemill.html import div, p, span


async def get_server_side_props(ctx):
    return {
        "props": {
            "resolvedUrl": ctx.resolved_url,
            "world": "world",
            "query": ctx.query or {},
            "params": ctx.params or {},
            "time": time.time(),
            "random": random.random(),
        }
    }


def page(props):
    return [
        p["hello: ", props["world"]],
        span["time: ", str(props["time"])],
        div(id="random")[str(props["random"])],
        div(id="params")[json.dumps(props["params"])],
        div(id="initial-query")[json.dumps(props["query"])],
        div(id="resolved-url")[props["resolvedUrl"]],
    ]
