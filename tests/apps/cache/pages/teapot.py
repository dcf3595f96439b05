from lib.counter import run


def get_server_side_props(ctx):
    ctx.res.set_header("Cache-Control", "public, s-maxage=10")
    ctx.res.status_code = 418
    return {"props": {"n": run("teapot")}}


def page(props):
    return f"run {props['n']}"
