from lib.counter import run


def get_server_side_props(ctx):
    # s-maxage without `public`: shared, but not for requests with Authorization.
    ctx.res.set_header("Cache-Control", "s-maxage=10")
    return {"props": {"n": run("shared")}}


def page(props):
    return f"run {props['n']}"
