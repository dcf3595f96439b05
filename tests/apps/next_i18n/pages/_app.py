"""What Next's fixture pages print of `useRouter()`, shown once for every page."""

import json

from pagemill.html import div, p


def app(page, props, router):
    return div[
        p(id="router-locale")[router.locale],
        p(id="router-default-locale")[router.default_locale],
        p(id="router-locales")[json.dumps(router.locales)],
        p(id="router-query")[json.dumps(router.query)],
        p(id="router-pathname")[router.pathname],
        p(id="router-as-path")[router.as_path],
        page,
    ]
