import asyncio

from pagemill.html import h1, title


async def get_server_side_props(ctx):
    await asyncio.sleep(0.6)
    return {"props": {}}


def head(props):
    return title["Slow"]


def page(props):
    return h1["Slow"]
