from pagemill.html import p


def page(props):
    return p["hello from another"]
