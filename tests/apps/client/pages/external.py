"""Redirects to an absolute URL: the client leaves it to the browser. It points back at this
server so the test stays offline."""


def get_server_side_props(ctx):
    host = ctx.req.headers["host"]
    return {"redirect": {"destination": f"http://{host}/about?external=1", "permanent": False}}


def page(props):
    raise AssertionError("a redirecting page is never rendered")
