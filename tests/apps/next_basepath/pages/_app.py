"""What Next's fixture pages print of `useRouter()`, shown once for every page."""

import json

from pagemill.html import div, p


def app(page, props, router):
    return div[
        p(id="base-path")[router.base_path],
        p(id="pathname")[router.pathname],
        p(id="as-path")[router.as_path],
        p(id="query")[json.dumps(router.query)],
        page,
    ]
