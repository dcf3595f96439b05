async def get_server_side_props(ctx):
    raise RuntimeError("secret from the error_page app")


def page(props):
    return "never"
