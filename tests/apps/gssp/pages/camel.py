def get_server_side_props(ctx):
    return {"notFound": True}


def page(props):
    return "never"
