def get_server_side_props(ctx):
    return {
        "props": {
            "locale": ctx.locale,
            "params": ctx.params,
            "query": ctx.query,
            "resolved_url": ctx.resolved_url,
        }
    }


def page(props):
    return f"new {props['params']['slug']} in {props['locale']}"
