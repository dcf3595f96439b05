from pagemill.html import h1


def page(props):
    return h1(id="something-else-page")["something else"]
