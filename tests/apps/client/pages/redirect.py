def get_server_side_props(ctx):
    return {"redirect": {"destination": "/about", "permanent": False}}


def page(props):
    raise AssertionError("a redirecting page is never rendered")
