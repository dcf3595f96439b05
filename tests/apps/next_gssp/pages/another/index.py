"""Next's pages/another/index.js: reads world.txt beside the app."""

import time
from pathlib import Path

from pagemill.html import p, span

WORLD = Path(__file__).parents[2] / "world.txt"


async def get_server_side_props(ctx):
    return {"props": {"world": WORLD.read_text().strip(), "time": time.time()}}


def page(props):
    return [p["hello ", props["world"]], span(id="anotherTime")["time: ", str(props["time"])]]
