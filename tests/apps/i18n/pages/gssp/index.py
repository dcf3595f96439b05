def get_server_side_props(ctx):
    return {
        "props": {
            "locale": ctx.locale,
            "locales": ctx.locales,
            "default_locale": ctx.default_locale,
            "query": ctx.query,
            "resolved_url": ctx.resolved_url,
            "url": ctx.req.url,
        }
    }


def page(props):
    return f"gssp in {props['locale']}"
