import json

from pagemill.html import p


async def get_server_side_props(ctx):
    return {"props": {"resolved_url": ctx.resolved_url, "url": ctx.req.url}}


def page(props):
    return p(id="props")[json.dumps(props, sort_keys=True)]
