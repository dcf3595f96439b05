from pagemill.html import div, p


def app(page, props, router):
    return div(id="layout")[
        p(id="as-path")[router.as_path],
        p(id="base-path")[router.base_path],
        page,
    ]
