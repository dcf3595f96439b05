from pagemill.html import p


async def get_server_side_props(ctx):
    return {"props": {"who": "server"}}


def page(props):
    return p(id="who")[props["who"]]
