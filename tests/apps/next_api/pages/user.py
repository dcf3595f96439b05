"""Next's pages/user.js (a page beside the API routes)."""

from pagemill.html import div


def page(props):
    return div["User"]
