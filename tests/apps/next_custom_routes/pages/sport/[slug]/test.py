"""Next's pages/_sport/[slug]/test.js (pagemill keeps `_` names private: here sport/)."""

from pagemill.html import p


def get_server_side_props(ctx):
    return {"props": {"query": ctx.query, "url": ctx.req.url}}


def page(props):
    return p["/sport/[slug]/test"]
