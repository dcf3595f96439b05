"""Next's pages/blog/[post]/index.js."""

import json

from pagemill.html import div, p


def get_server_side_props(ctx):
    return {"props": {"query": ctx.query}}


def page(props):
    return [p["post: ", props["query"]["post"]], div(id="query")[json.dumps(props["query"])]]
