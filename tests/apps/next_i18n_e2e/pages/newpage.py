from pagemill.html import p


def page(props):
    return p(id="newpage")["newpage"]
