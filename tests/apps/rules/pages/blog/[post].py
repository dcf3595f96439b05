def get_server_side_props(ctx):
    return {
        "props": {
            "query": ctx.query,
            "params": ctx.params,
            "resolved_url": ctx.resolved_url,
            "url": ctx.req.url,
        }
    }


def page(props):
    return f"post {props['params']['post']}"
