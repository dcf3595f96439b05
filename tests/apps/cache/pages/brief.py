"""Fresh for one second the first time it runs (then served stale for half a minute while
one run refreshes it), and for a minute after that: tests see one stale window, then hits."""

from lib.counter import run


async def get_server_side_props(ctx):
    n = run("brief")
    fresh = 1 if n == 1 else 60
    ctx.res.set_header("Cache-Control", f"public, s-maxage={fresh}, stale-while-revalidate=30")
    return {"props": {"n": n}}


def page(props):
    return f"run {props['n']}"
