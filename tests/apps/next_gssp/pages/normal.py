"""Next's pages/normal.js: a page without getServerSideProps."""

from pagemill.html import p


def page(props):
    return p(id="normal-text")["a normal page"]
