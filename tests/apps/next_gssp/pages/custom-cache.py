"""Next's pages/custom-cache.js."""


async def get_server_side_props(ctx):
    ctx.res.set_header("Cache-Control", "public, max-age=3600")
    return {"props": {"world": "world"}}


def page(props):
    return f"hello {props['world']}"
