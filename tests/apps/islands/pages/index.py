from pagemill.html import h1, title


def head(props):
    return title["Home"]


def page(props):
    return h1["Home"]
