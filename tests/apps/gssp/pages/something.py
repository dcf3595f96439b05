import json

from pagemill.html import p


def get_server_side_props(ctx):
    return {
        "props": {
            "resolved_url": ctx.resolved_url,
            "world": "world",
            "query": ctx.query,
            "params": ctx.params,
            "url": ctx.req.url,
            "method": ctx.req.method,
            "cookies": ctx.req.cookies,
            "locales": ctx.locales,
            "locale": ctx.locale,
            "draft_mode": ctx.draft_mode,
            "preview": ctx.preview,
        }
    }


def page(props):
    return p(id="props")[json.dumps(props, sort_keys=True)]
