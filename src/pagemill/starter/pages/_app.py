"""The layout around every page: `props` is {"pageProps": ...}, `router` knows the URL."""

from typing import Any

from markupsafe import Markup

from pagemill import Link, RouterState
from pagemill.html import Renderable, div, header, main, nav


def app(page: Markup, props: dict[str, Any], router: RouterState) -> Renderable:
    return div(class_="layout")[
        header[
            nav[
                Link(href="/", aria_current="page" if router.pathname == "/" else None)["Home"],
                " · ",
                Link(href="/greet/world")["Greet the world"],
            ]
        ],
        main[page],
    ]
