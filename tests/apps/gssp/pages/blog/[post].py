from pagemill.html import p


async def get_server_side_props(ctx):
    if ctx.params["post"] == "post-100":
        raise RuntimeError("secret database password leaked in this message")
    return {
        "props": {"params": ctx.params, "resolved_url": ctx.resolved_url,
                  "post": ctx.params["post"], "query": ctx.query, "url": ctx.req.url}
    }


def page(props):
    return p(id="post")["Post: ", props["post"]]
