"""The layout every page shares: nav links, an input and a details whose state must survive
in-app navigations, and an inline script that must not run again when it is unchanged."""

from markupsafe import Markup

from pagemill import Link
from pagemill.html import a, details, div, input, main, nav, p, script, summary

LINKS = [
    ("nav-home", "/", "Home"),
    ("nav-about", "/about", "About"),
    ("nav-slow", "/slow", "Slow"),
    ("nav-counter", "/counter", "Counter"),
    ("nav-redirect", "/redirect", "Redirect"),
    ("nav-redirect-no-base", "/redirect-no-base", "Redirect without base path"),
    ("nav-external", "/external", "External redirect"),
    ("nav-missing", "/missing", "Missing"),
    ("nav-boom", "/boom", "Boom"),
    ("nav-long", "/long", "Long"),
    ("nav-hash", "/long#target", "Long, at the target"),
    ("nav-script", "/script", "Script"),
    ("nav-api", "/api/hello", "API"),
]


def app(page, props, router):
    base = router.base_path
    links = [
        Link(href=base + href, id=id_, class_="active" if router.pathname == href else None)[text]
        for id_, href, text in LINKS
    ]
    links.append(Link(href=base + "/counter?via=intent", id="nav-intent", prefetch="intent")["Intent"])
    links.append(a(href=base + "/about", id="plain-link")["Plain link"])
    if router.locale is not None:
        links.append(Link(href=base + "/fr/about", id="nav-fr-about")["À propos"])
    return div(id="layout")[
        nav[links],
        input(id="layout-input", placeholder="Type here"),
        details(id="layout-details")[summary["More"], p["Opened by a person"]],
        script[Markup("window.layoutRuns = (window.layoutRuns || 0) + 1;")],
        main(id="page")[page],
    ]
