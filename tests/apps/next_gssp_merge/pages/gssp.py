"""Next's pages/gssp.js: returns `hi`, which wins over the app's."""

import json

from pagemill.html import p


async def get_server_side_props(ctx):
    return {"props": {"hi": "hi"}}


def page(props):
    return p[json.dumps(props, sort_keys=True)]
