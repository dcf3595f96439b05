"""Next's pages/promise/mutate-res.js: the page touches the gSSP `res` while rendering,
after gSSP resolved (props being an awaitable)."""

from pagemill.html import div

kept = {}


async def text():
    return {"text": "res"}


async def get_server_side_props(ctx):
    kept["res"] = ctx.res
    return {"props": text()}


def page(props):
    kept["res"].set_header("test-header", "this is a test header")
    return div["hello ", props["text"]]
