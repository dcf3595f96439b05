"""A cached page large enough (over 1 KB) to be compressed."""

from lib.counter import run


def get_server_side_props(ctx):
    ctx.res.set_header("Cache-Control", "public, s-maxage=10, stale-while-revalidate=59")
    return {"props": {"n": run("large"), "text": "lorem ipsum " * 300}}


def page(props):
    return f"run {props['n']}: {props['text']}"
