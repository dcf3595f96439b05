from pagemill.html import h1, title


def head(props):
    return title["Plain home"]


def page(props):
    return h1["static home"]
