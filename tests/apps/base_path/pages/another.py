from pagemill.html import h1


def page(props):
    return h1["another Page"]
