def get_server_side_props(ctx):
    return {"not_found": True}


def page(props):
    raise AssertionError("a missing page is never rendered")
