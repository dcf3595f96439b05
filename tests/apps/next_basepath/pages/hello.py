from pagemill.html import a, h1


def page(props):
    return a(id="other-page-link", href="/docs/other-page")[h1["Hello World"]]
