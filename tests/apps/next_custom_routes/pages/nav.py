"""Next's pages/nav.js: links the browser cases click."""

from pagemill.html import a, h3


def page(props):
    return [
        h3(id="nav")["Nav"],
        a(href="/first", id="to-hello")["to hello"],
        a(href="/second", id="to-hello-again")["to hello again"],
        a(href="/old-blog/about", id="to-old-blog")["to old blog"],
        a(href="/hello?overrideMe=1", id="to-overridden")["to /hello?overrideMe=1"],
        a(href="/nfl", id="to-before-files-dynamic")["to /nfl"],
        a(href="/nfl/test", id="to-before-files-dynamic-again")["to /nfl/test"],
    ]
