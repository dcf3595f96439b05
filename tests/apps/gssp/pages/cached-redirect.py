async def get_server_side_props(ctx):
    ctx.res.set_header("Cache-Control", "public, s-maxage=60")
    return {"redirect": {"destination": "/something", "permanent": False}}


def page(props):
    raise AssertionError("a redirecting page must not render")
