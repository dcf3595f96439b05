from lib.counter import run


def get_server_side_props(ctx):
    ctx.res.set_header("Cache-Control", "public, s-maxage=10")
    ctx.res.set_header("Vary", "Accept-Language")
    language = ctx.req.headers.get("accept-language", "")
    return {"props": {"n": run("vary"), "language": language}}


def page(props):
    return f"run {props['n']} for {props['language']}"
