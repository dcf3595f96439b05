from pagemill.html import p


def page(props):
    return p(id="auto-export")["auto-export page"]
