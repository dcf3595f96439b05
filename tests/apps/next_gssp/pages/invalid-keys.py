"""Next's pages/invalid-keys.js: props returned at the top level."""

import random
import time


async def get_server_side_props(ctx):
    return {
        "world": "world",
        "query": ctx.query or {},
        "params": ctx.params or {},
        "time": time.time(),
        "random": random.random(),
    }


def page(props):
    return "hello"
