"""Next's pages/not-found/index.js returns notFound for the locales en and nl (from
getStaticProps there; the same answer from get_server_side_props here)."""

from pagemill.html import p


def get_server_side_props(ctx):
    if ctx.locale in ("en", "nl"):
        return {"not_found": True}
    return {"props": {"locale": ctx.locale}}


def page(props):
    return p(id="not-found-page")["not-found page"]
