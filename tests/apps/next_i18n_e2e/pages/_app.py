from pagemill.html import div, p


def app(page, props, router):
    return div[
        p(id="current-locale")[router.locale],
        p(id="router-locale")[router.locale],
        p(id="router-pathname")[router.pathname],
        p(id="router-as-path")[router.as_path],
        page,
    ]
