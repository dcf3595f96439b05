"""The data-URL codec: a page path to its `/_next/data/<build_id>/….json` URL and back.

`/` is `index`, and a path that is or starts with `/index` gets another `/index` in front,
so `index.json` and `index/index.json` stay distinct. Locale segments pass through: the
caller adds and strips them.
"""

from __future__ import annotations

_PREFIX = "/_next/data/"
_SUFFIX = ".json"


def data_path(page_path: str) -> str:
    """The part of a data URL between the build id and `.json`: `/` → `/index`."""
    if page_path == "/":
        return "/index"
    if page_path == "/index" or page_path.startswith("/index/"):
        return "/index" + page_path
    return page_path


def data_url(build_id: str, page_path: str, query: str = "", locale: str | None = None) -> str:
    """The data URL the client fetches for `page_path` (without base path), e.g.
    `/_next/data/B/blog/post-1.json?x=1`.

    `query` is an encoded query string without `?`. With a `locale`, the locale is put in front
    of the page path before it is encoded, as Next's client does: `/` in `fr` → `/fr.json`.
    """
    if locale:
        page_path = f"/{locale}" if page_path == "/" else f"/{locale}{page_path}"
    url = _PREFIX + build_id + data_path(page_path) + _SUFFIX
    return f"{url}?{query}" if query else url


def parse_data_url(path: str) -> tuple[str, str] | None:
    """`(build_id, page_path)` of a data URL's path (no base path, no query), or None when
    it is not a well-formed data URL."""
    if not path.startswith(_PREFIX) or not path.endswith(_SUFFIX):
        return None
    build_id, slash, rest = path[len(_PREFIX) : -len(_SUFFIX)].partition("/")
    if not build_id or not slash or "" in rest.split("/"):
        return None
    return build_id, _page_path("/" + rest)


def _page_path(encoded: str) -> str:
    """Undo `data_path`, as Next's denormalizePagePath does."""
    if encoded == "/index":
        return "/"
    if encoded.startswith("/index/"):
        return encoded.removeprefix("/index")
    return encoded
