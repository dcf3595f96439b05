"""`Link`: the `<a>` element marked for in-app navigation, its href in the page's locale."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal, Self

from .context import RouterState
from .html import AttrValue, Element

# The attribute the client runtime looks for to take over a click.
MARKER = "data-pagemill-link"

# The router of the page being rendered: set by the pipeline around `page`, `head` and the
# layout, as Next's `Link` reads the router from React context. None outside rendering.
_RENDERING: ContextVar[RouterState | None] = ContextVar("pagemill_router", default=None)


@contextmanager
def rendering(router: RouterState) -> Iterator[None]:
    """Render with `router` as the page's: `Link`s built meanwhile take its locale."""
    token = _RENDERING.set(router)
    try:
        yield
    finally:
        _RENDERING.reset(token)


def current_router() -> RouterState | None:
    """The router of the page being rendered, or None outside rendering."""
    return _RENDERING.get()


def _prefetch(value: AttrValue) -> AttrValue:
    if value is None or value is False or value == "intent":
        return value
    raise ValueError(
        f"Link(prefetch={value!r}): the only prefetch is 'intent' (on hover or touch); "
        "getServerSideProps pages are never prefetched by default"
    )


def localized_href(href: str, locale: str | None, router: RouterState | None) -> str:
    """`href` in `locale` as Next's `Link` writes it: `/about` → `/fr/about`.

    Only paths of the app change (`/…`, after the base path when there is one): not other
    sites, `#hash`es, relative paths, API routes, paths that already start with the
    locale, nor any path in the default locale.
    """
    if not locale or (router is not None and locale == router.default_locale):
        return href
    if not href.startswith("/") or href.startswith("//"):
        return href
    base = router.base_path if router is not None else ""
    if base:
        if href != base and not href.startswith((base + "/", base + "?", base + "#")):
            return href
        href = href[len(base) :]
    cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href))
    path, rest = href[:cut] or "/", href[cut:]
    lowered = path.lower()
    for prefix in ("/api", "/" + locale.lower()):
        if lowered == prefix or lowered.startswith(prefix + "/"):
            return base + href
    return f"{base}/{locale}{'' if path == '/' else path}{rest}"


def _link_locale(value: AttrValue, router: RouterState | None) -> str | Literal[False] | None:
    if value is None or value is False:
        return value
    if type(value) is not str:
        raise ValueError(
            f"Link(locale={value!r}): give a locale such as 'fr', or False to leave the href "
            "as written"
        )
    if router is not None and router.locales and value not in router.locales:
        raise ValueError(
            f"Link(locale={value!r}): {value!r} is not one of the app's locales "
            f"({', '.join(router.locales)}); see [i18n] in pagemill.toml"
        )
    return value


class LinkElement(Element):
    """An `<a>` whose `prefetch=` keyword becomes the runtime's `data-pagemill-prefetch`,
    and whose `href=` gets the locale prefix of the page being rendered (`locale="en"`
    picks another locale, `locale=False` leaves the href as written), as Next's `Link`.

    Positional dicts are raw attribute names, as everywhere in `pagemill.html`.
    """

    __slots__ = ()

    def __call__(self, *attrs: Mapping[str, AttrValue], **kwattrs: AttrValue) -> Self:
        if "prefetch" in kwattrs:
            kwattrs["data_pagemill_prefetch"] = _prefetch(kwattrs.pop("prefetch"))
        router = _RENDERING.get()
        locale = _link_locale(kwattrs.pop("locale", None), router)
        href = kwattrs.get("href")
        if type(href) is str and locale is not False:
            page_locale = router.locale if router is not None else None
            kwattrs["href"] = localized_href(href, locale or page_locale, router)
        return super().__call__(*attrs, **kwattrs)


# Used exactly like `pagemill.html.a`: Link(href="/about", id="nav-about")["About"].
Link = LinkElement("a")({MARKER: True})
