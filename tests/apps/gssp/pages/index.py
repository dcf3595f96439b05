from pagemill.html import h1, p, title


async def get_server_side_props(ctx):
    return {"props": {"url": ctx.req.url, "world": "world"}}


def head(props):
    return title["Home"]


def page(props):
    return [h1["hello ", props["world"]], p(id="url")[props["url"]], p(id="hi")[props["hi"]]]
