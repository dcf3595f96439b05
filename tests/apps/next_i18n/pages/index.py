from pagemill.html import p


def page(props):
    return p(id="index")["index page"]
