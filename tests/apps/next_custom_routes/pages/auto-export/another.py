"""Next's pages/auto-export/another.js."""

from pagemill.html import p


def get_server_side_props(ctx):
    return {"props": {"query": ctx.query}}


def page(props):
    return p(id="auto-export-another")["auto-export another"]
