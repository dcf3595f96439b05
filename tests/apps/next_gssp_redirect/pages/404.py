"""Next's pages/404.js."""

from pagemill.html import p


def page(props):
    return p["oops not found"]
