import asyncio


async def get_server_side_props(ctx):
    await asyncio.sleep(0.1)  # long enough for concurrent requests to overlap
    return {"props": {"user": ctx.req.cookies.get("user", "anonymous")}}


def page(props):
    return f"you are {props['user']}"
