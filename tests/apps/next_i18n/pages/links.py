from pagemill.html import p


def page(props):
    return p(id="links")["links page"]
