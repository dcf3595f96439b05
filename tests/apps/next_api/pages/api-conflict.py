"""Next's pages/api-conflict.js: a page whose name starts with "api"."""

from pagemill.html import div


def page(props):
    return div["API - conflict"]
