from pagemill.html import p


async def get_server_side_props(ctx):
    return {"props": {"params": ctx.params, "resolved_url": ctx.resolved_url}}


def page(props):
    return p(id="shop")[repr(props["params"])]
