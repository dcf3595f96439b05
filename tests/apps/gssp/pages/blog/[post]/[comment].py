from pagemill.html import p


async def get_server_side_props(ctx):
    return {"props": {"params": ctx.params}}


def page(props):
    return p(id="comment")["Comment: ", props["params"]["comment"]]
