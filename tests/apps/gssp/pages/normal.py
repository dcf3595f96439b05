from pagemill.html import p, title


def head(props):
    return title["Normal"]


def page(props):
    return p["a normal page"]
