"""Next's pages/early-request-end.js: gSSP ends the response itself."""

from pagemill.html import p


async def get_server_side_props(ctx):
    ctx.res.status_code = 200
    ctx.res.end("hello from gssp")
    return {"props": {}}


def page(props):
    return p["early request end"]
