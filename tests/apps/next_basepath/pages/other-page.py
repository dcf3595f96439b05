from pagemill.html import h1


def page(props):
    return h1(id="other-page-title")["Hello Other"]
