from pagemill.html import h1, p, title


async def get_server_side_props(ctx):
    return {"props": {"greeting": "Welcome"}}


def head(props):
    return title["Home"]


def page(props):
    return [h1["Home"], p(id="greeting")[props["greeting"]]]
