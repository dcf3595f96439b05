"""Next's pages/_app.js: `getInitialProps` returns `appProps` (the request URL, query,
pathname and asPath), and the layout shows the router's asPath and query."""

import json

from pagemill.html import div, p


async def get_initial_props(ctx):
    return {
        "page_props": {},
        "appProps": {
            "url": ctx.req.url,
            "query": ctx.query,
            "pathname": ctx.pathname,
            "asPath": ctx.as_path,
        },
    }


def app(page, props, router):
    return div[
        page,
        p(id="as-path")[router.as_path],
        p(id="router-query")[json.dumps(router.query, sort_keys=True)],
    ]
