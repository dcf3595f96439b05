from pagemill import island
from pagemill.html import h1, p, title


def head(props):
    return title["Boom"]


def page(props):
    return [h1["Boom"], island("boom", id="boom")[p["The fallback stays"]]]
