from pagemill.html import p


def get_server_side_props(ctx):
    return {"props": {"params": ctx.params, "locale": ctx.locale}}


def page(props):
    return p(id="comment")["comment page"]
