def get_server_side_props(ctx):
    return {"props": {}}


def page(props):
    return "limits"
