def get_server_side_props(ctx):
    return {"props": {"url": ctx.req.url, "query": ctx.query}}


def page(props):
    return "another page"
