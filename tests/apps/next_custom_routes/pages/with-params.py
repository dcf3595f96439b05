"""Next's pages/with-params.js: shows the query the page was rendered with."""

import json

from pagemill.html import p


def get_server_side_props(ctx):
    return {"props": {"query": ctx.query}}


def page(props):
    return p(id="query")[json.dumps(props["query"])]
