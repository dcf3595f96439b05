def get_server_side_props(ctx):
    return {"props": {"params": ctx.params}}


def page(props):
    return "/another/[id]"
