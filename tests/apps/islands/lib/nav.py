from pagemill import Link
from pagemill.html import nav

LINKS = [
    ("/", "Home"),
    ("/a", "A"),
    ("/b", "B"),
    ("/c", "C"),
    ("/badge/1", "Badge 1"),
    ("/boom", "Boom"),
]


def menu():
    return nav[
        (Link(href=href, id=f"to-{text.lower().replace(' ', '-')}")[text] for href, text in LINKS)
    ]
