from pagemill.html import div, p


def app(page, props, router):
    return div[p(id="router")[f"{router.locale}|{router.default_locale}|{router.as_path}"], page]
