"""Next's test/integration/api-support/pages/index.js."""

from pagemill.html import div


def page(props):
    return div["API - support"]
