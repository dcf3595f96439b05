"""Next's pages/another.js."""

from pagemill.html import p


def page(props):
    return p(id="another")["another Page"]
