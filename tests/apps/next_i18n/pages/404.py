from pagemill.html import h1


def page(props):
    return h1(id="not-found")["This page could not be found | 404"]
