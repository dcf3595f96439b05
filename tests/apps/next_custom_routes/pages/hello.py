"""Next's pages/hello.js."""

from pagemill.html import a, h3


def page(props):
    return [h3(id="hello")["Hello"], a(href="/nav", id="to-nav")["to nav"]]
