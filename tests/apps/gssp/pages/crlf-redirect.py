async def get_server_side_props(ctx):
    return {"redirect": {"destination": "/a\r\nSet-Cookie: injected=1", "permanent": False}}


def page(props):
    raise AssertionError("a redirecting page must not render")
