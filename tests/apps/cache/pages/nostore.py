from lib.counter import run


def get_server_side_props(ctx):
    ctx.res.set_header("Cache-Control", "public, s-maxage=10, no-store")
    return {"props": {"n": run("nostore")}}


def page(props):
    return f"run {props['n']}"
