"""Next's pages/url-prop.js (written by the dev test): a prop named `url`."""

from pagemill.html import p


async def get_server_side_props(ctx):
    return {"props": {"url": "something"}}


def page(props):
    return p["url: ", props["url"]]
