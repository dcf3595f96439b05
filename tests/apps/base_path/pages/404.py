from pagemill.html import h1


def page(props):
    return h1["oops not found"]
