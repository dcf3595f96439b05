from pagemill.html import div, p


def app(page, props, router):
    return div[p(id="router-locale")[router.locale], page]
