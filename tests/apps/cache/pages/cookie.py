from lib.counter import run


def get_server_side_props(ctx):
    ctx.res.set_header("Cache-Control", "public, s-maxage=10")
    ctx.res.set_cookie("seen", "1")
    return {"props": {"n": run("cookie")}}


def page(props):
    return f"run {props['n']}"
