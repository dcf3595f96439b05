"""Next's pages/promise/index.js: props is an awaitable."""

from pagemill.html import div


async def text():
    return {"text": "promise"}


async def get_server_side_props(ctx):
    return {"props": text()}


def page(props):
    return div["hello ", props["text"]]
