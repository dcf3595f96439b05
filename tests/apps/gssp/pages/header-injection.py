def get_server_side_props(ctx):
    ctx.res.set_header("x-note", ctx.query.get("note", ""))
    return {"props": {}}


def page(props):
    return "never with a line break"
