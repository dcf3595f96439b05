async def get_server_side_props(ctx):
    raise RuntimeError("secret from the broken_error app")


def page(props):
    return "never"
