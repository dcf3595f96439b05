"""A page allowed a larger body than the app's limit."""

config = {"body_size_limit": "8kb"}


async def get_server_side_props(ctx):
    return {"props": {"length": len(await ctx.req.body())}}


def page(props):
    return f"read {props['length']}"
