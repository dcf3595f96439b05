"""The document shell (SPEC 3.4): what every page's `<html>`, `<head>` and `<body>` share."""

from pagemill.html import link, meta

# Extra <head> content for every page; each page adds its own <title> and description.
# Files under public/ are served from the site root.
head = [
    link(rel="stylesheet", href="/styles.css"),
    link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
    meta(name="theme-color", content="#7a4b2a"),
]
