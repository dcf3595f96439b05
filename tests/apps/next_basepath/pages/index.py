from pagemill.html import h1, p


def page(props):
    return [h1(id="index-page")["index page"], p(id="prop")["hello world"]]
