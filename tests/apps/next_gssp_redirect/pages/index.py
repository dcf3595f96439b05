"""Next's test/integration/gssp-redirect/pages/index.js."""

from pagemill.html import p


def page(props):
    return p(id="index")["Index Page"]
