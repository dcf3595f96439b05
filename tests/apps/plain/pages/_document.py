from pagemill.html import link, meta, script

html_attrs = {"lang": "en", "class": "theme-dark"}
body_attrs = {"class": "plain-body", "data-app": "plain"}


def head():
    return [meta(name="description", content="plain app"), link(rel="stylesheet", href="/site.css")]


body_end = script(src="/extra.js")
