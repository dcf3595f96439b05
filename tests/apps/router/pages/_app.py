"""The layout: Links the locale is added to, and a language switch made of Links."""

from pagemill import Link
from pagemill.html import div, main, nav


def app(page, props, router):
    return div[
        nav[
            Link(href="/", id="nav-home")["Home"],
            Link(href="/about", id="nav-about")["About"],
            Link(href="/items/1", id="nav-item")["Item 1"],
            Link(href=router.as_path, locale="en", id="nav-en")["English"],
            Link(href=router.as_path, locale="fr", id="nav-fr")["Français"],
            Link(href="/fr/about", locale=False, id="nav-as-given")["French about, as given"],
        ],
        main(id="page")[page],
    ]
