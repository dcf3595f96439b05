"""Next's pages/not-found/[slug].js."""

from pagemill.html import p


async def get_server_side_props(ctx):
    if "hiding" in ctx.query:
        return {"not_found": True}
    return {"not_found": False, "props": {"hello": "world"}}


def page(props):
    return p["hello ", props["hello"]]
