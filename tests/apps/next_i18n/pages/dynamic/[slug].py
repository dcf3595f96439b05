from pagemill.html import p


def page(props):
    return p(id="dynamic")["dynamic page"]
