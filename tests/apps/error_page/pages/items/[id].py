async def get_server_side_props(ctx):
    return {"props": {"id": ctx.params["id"]}}


def page(props):
    return props["id"]
