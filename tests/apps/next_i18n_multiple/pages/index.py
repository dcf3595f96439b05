from pagemill.html import div, p


def page(props):
    return div[p(id="page")["index page"]]
