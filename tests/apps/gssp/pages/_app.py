from pagemill.html import div, nav, p

from pagemill import Link


async def get_initial_props(ctx):
    return {
        "page_props": {"hi": "override me", "hello": "world"},
        "app_props": {
            "url": ctx.req.url,
            "query": ctx.query,
            "pathname": ctx.pathname,
            "as_path": ctx.as_path,
        },
    }


def app(page, props, router):
    return div(id="layout")[
        nav[Link(href="/")["Home"], " ", Link(href="/something")["Something"]],
        p(id="router")[f"{router.pathname} {router.as_path}"],
        page,
    ]
