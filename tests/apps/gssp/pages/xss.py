async def get_server_side_props(ctx):
    return {"props": {"evil": "</script><script>alert(1)</script>&\u2028"}}


def page(props):
    return props["evil"]
