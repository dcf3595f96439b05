async def get_server_side_props(ctx):
    return {"props": {"text": "lorem ipsum " * 400}}


def page(props):
    return props["text"]
