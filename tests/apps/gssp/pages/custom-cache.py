async def get_server_side_props(ctx):
    ctx.res.set_header("Cache-Control", "public, max-age=3600")
    return {"props": {}}


def page(props):
    return "cached"
