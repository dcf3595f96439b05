async def get_server_side_props(ctx):
    ctx.res.set_header("content-type", "text/plain")
    ctx.res.end("hello from gssp")
    return {"props": {}}


def page(props):
    raise AssertionError("never rendered")
