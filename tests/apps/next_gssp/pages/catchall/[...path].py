"""Next's pages/catchall/[...path].js."""

import json
import random
import time

from pagemill.html import div, p


async def get_server_side_props(ctx):
    return {
        "props": {
            "world": "world",
            "params": ctx.params or {},
            "time": time.time(),
            "random": random.random(),
        }
    }


def page(props):
    return [p["hello: ", props["world"]], div(id="params")[json.dumps(props["params"])]]
