async def get_server_side_props(ctx):
    return {"props": {"hi": "hi"}}


def page(props):
    return f"{props['hi']} {props['hello']}"
