def get_server_side_props(ctx):
    return {"props": {"locale": ctx.locale}}


def page(props):
    return f"home in {props['locale']}"
