"""Next's pages/hello-again.js."""

from pagemill.html import h3


def page(props):
    return h3(id="hello-again")["Hello again"]
