def get_server_side_props(ctx):
    raise RuntimeError("boom")


def page(props):
    raise AssertionError("never rendered")
