"""`Link`: the `<a>` element marked for in-app navigation by the client runtime."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

from .html import AttrValue, Element

# The attribute the client runtime looks for to take over a click.
MARKER = "data-pagemill-link"


def _prefetch(value: AttrValue) -> AttrValue:
    if value is None or value is False or value == "intent":
        return value
    raise ValueError(
        f"Link(prefetch={value!r}): the only prefetch is 'intent' (on hover or touch); "
        "getServerSideProps pages are never prefetched by default"
    )


class LinkElement(Element):
    """An `<a>` whose `prefetch=` keyword becomes the runtime's `data-pagemill-prefetch`.

    Positional dicts are raw attribute names, as everywhere in `pagemill.html`.
    """

    __slots__ = ()

    def __call__(self, *attrs: Mapping[str, AttrValue], **kwattrs: AttrValue) -> Self:
        if "prefetch" in kwattrs:
            kwattrs["data_pagemill_prefetch"] = _prefetch(kwattrs.pop("prefetch"))
        return super().__call__(*attrs, **kwattrs)


# Used exactly like `pagemill.html.a`: Link(href="/about", id="nav-about")["About"].
Link = LinkElement("a")({MARKER: True})
