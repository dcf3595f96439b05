from pagemill.html import p


def get_server_side_props(ctx):
    return {"props": {"parts": ctx.params["parts"]}}


def page(props):
    return p[f"parts: {'/'.join(props['parts'])}"]
