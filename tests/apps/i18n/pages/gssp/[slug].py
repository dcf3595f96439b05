def get_server_side_props(ctx):
    return {"props": {"params": ctx.params, "locale": ctx.locale, "resolved_url": ctx.resolved_url}}


def page(props):
    return f"slug {props['params']['slug']} in {props['locale']}"
