from lib.counter import run


def get_server_side_props(ctx):
    run("missing")
    ctx.res.set_header("Cache-Control", "public, s-maxage=10")
    return {"not_found": True}


def page(props):
    return "never"
