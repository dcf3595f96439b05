from lib.counter import hit

from pagemill.html import h1, p, title


def get_server_side_props(ctx):
    return {"props": {"count": hit("counter")}}


def head(props):
    return title["Counter"]


def page(props):
    return [h1["Counter"], p(id="count")[f"count: {props['count']}"]]
