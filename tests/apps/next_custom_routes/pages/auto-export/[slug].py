"""Next's pages/auto-export/[slug].js (a static page there, whose query the browser fills)."""

from pagemill.html import p


def get_server_side_props(ctx):
    return {"props": {"query": ctx.query}}


def page(props):
    return p(id="auto-export")["auto-export ", props["query"]["slug"]]
