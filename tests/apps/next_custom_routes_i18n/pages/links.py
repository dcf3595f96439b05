"""Next's pages/links.js (its links are for the browser case)."""

from pagemill.html import a, p


def get_server_side_props(ctx):
    return {"props": {"locale": ctx.locale}}


def page(props):
    return [
        p(id="links")["Links"],
        a(href="/about", id="to-about")["to /about"],
        a(href="/catch-all/hello", id="to-catch-all")["to /catch-all/hello"],
        a(href="/", id="to-index")["to /"],
    ]
