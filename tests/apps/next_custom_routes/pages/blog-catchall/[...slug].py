"""Next's pages/blog-catchall/[...slug].js (getStaticProps there): shows its params."""

import json

from pagemill.html import p


def get_server_side_props(ctx):
    return {"props": {"params": ctx.params}}


def page(props):
    return p(id="props")[json.dumps(props)]
