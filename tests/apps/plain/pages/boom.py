async def get_server_side_props(ctx):
    raise RuntimeError("secret token in the plain app")


def page(props):
    return "never"
