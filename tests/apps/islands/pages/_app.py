from lib.nav import menu

from pagemill.html import div, main


def app(page, props, router):
    return div[menu(), main(id="page")[page]]
