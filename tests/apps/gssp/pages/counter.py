from lib.counter import hit


def get_server_side_props(ctx):
    return {"props": {"count": hit("counter")}}


def page(props):
    return f"count: {props['count']}"
