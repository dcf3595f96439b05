"""A static page (no gSSP): prerendered at build, its markup still comes as JSON to the client."""

from pagemill.html import h1, meta, title


def head(props):
    return [title["About"], meta(name="description", content="About this app")]


def page(props):
    return h1["About"]
