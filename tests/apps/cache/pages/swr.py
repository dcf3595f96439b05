import asyncio

from lib.counter import run


async def get_server_side_props(ctx):
    if "slow" in ctx.query:
        await asyncio.sleep(0.2)
    ctx.res.set_header("Cache-Control", "public, s-maxage=10, stale-while-revalidate=59")
    return {"props": {"n": run("swr"), "q": ctx.query}}


def page(props):
    return f"run {props['n']}"
