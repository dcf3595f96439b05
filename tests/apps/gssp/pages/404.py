from pagemill.html import h1


def page(props):
    return h1["custom 404: This page could not be found."]
