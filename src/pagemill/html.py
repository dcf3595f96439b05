"""The HTML element builder: every HTML element as a name, used as `tag(attrs)[children]`.

    from pagemill.html import a, li, ul
    ul(class_="nav")[(li[a(href=url)[text]] for url, text in links)]

An element renders its HTML as soon as it is built: `tag(...)` renders the opening tag and
`tag[...]` the children, so a page function that builds a tree has done the rendering work
and `str(tree)` only returns it. Elements are immutable values: calling or indexing one
returns a new element, so the module-level `div` can be shared freely.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn, Protocol, Self, TypeAlias

from markupsafe import Markup

try:
    # The C function behind markupsafe.escape, without escape()'s Python wrapper and the
    # Markup object it builds: about 9x cheaper per call, and text is most of a page.
    from markupsafe._speedups import _escape_inner as _escape
except ImportError:  # markupsafe 2.x, or no C extension: the public, slower path
    from markupsafe import escape as _escape


class HasHTML(Protocol):
    """Anything that renders itself as trusted HTML (markupsafe, Jinja, htpy, pagemill)."""

    def __html__(self) -> str: ...


# What a page, a head or a child may be; strings are text and get escaped.
Renderable: TypeAlias = "Element | HasHTML | str | int | float | Iterable[Renderable] | None"

# What an attribute may be set to: True renders a bare boolean attribute, False/None omit it.
AttrValue: TypeAlias = "str | int | float | bool | HasHTML | None"

# Elements that have no end tag and can have no children.
_VOID_TAGS = "area base br col embed hr img input link meta source track wbr"
VOID_ELEMENTS = frozenset(_VOID_TAGS.split())

# Characters the HTML syntax forbids in a tag or attribute name, checked once per distinct
# name, so a name that comes from data can never break out of the tag.
_BAD_NAME = re.compile(r"[\s\"'<>/=\x00-\x1f\x7f]")


class _AttrNames(dict[str, str]):
    """A memo of attribute spellings: each distinct key is translated and validated once."""

    __slots__ = ("_keyword",)

    def __init__(self, *, keyword: bool) -> None:
        super().__init__()
        self._keyword = keyword

    def __missing__(self, key: str) -> str:
        name = key
        if self._keyword:
            # class_ and for_ dodge Python keywords; data_x, aria_x stand for data-x, aria-x.
            name = name.removesuffix("_").replace("_", "-")
        if not name or _BAD_NAME.search(name):
            raise ValueError(f"invalid HTML attribute name {key!r}")
        if len(self) < 4096:  # names come from source code; don't grow without bound on data
            self[key] = name
        return name


_KEYWORD_NAMES = _AttrNames(keyword=True)
_RAW_NAMES = _AttrNames(keyword=False)


class _RawAttrs(dict[str, "AttrValue"]):
    """Attributes keyed by their HTML names (from a positional dict, or merged)."""

    __slots__ = ()


_NO_ATTRS: Mapping[str, AttrValue] = {}

# Saved before `object` at the bottom of this module becomes the <object> element.
_new = builtins.object.__new__


def _attr_value(value: Any) -> str:
    if type(value) is int:
        return str(value)  # digits and a sign never need escaping
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape(str(value))


def _not_renderable(node: Any) -> NoReturn:
    if isinstance(node, Mapping):
        hint = "; attributes go in parentheses: tag(name=value)[children]"
    else:
        hint = "; convert it with str() to render it as text"
    raise TypeError(f"cannot render a {type(node).__name__} as HTML{hint}")


def _render_into(out: list[str], nodes: Iterable[Any]) -> None:
    # The common kinds are tested by exact type first: an identity check each, no isinstance.
    for node in nodes:
        kind = type(node)
        if kind is str:
            out.append(_escape(node))
        elif kind is Element:
            out += (node._open, node._inner, node._close)
        elif node is None or kind is bool:
            continue
        elif kind is int or kind is float:
            out.append(str(node))
        elif isinstance(node, Element):  # a subclass, such as pagemill.Link
            out += (node._open, node._inner, node._close)
        elif hasattr(node, "__html__"):
            out.append(node.__html__())
        elif kind is list or kind is tuple:
            _render_into(out, node)
        elif isinstance(node, str | int | float):  # str and number subclasses, e.g. enums
            out.append(_escape(str(node)))
        elif isinstance(node, Iterable) and not isinstance(node, Mapping | bytes | bytearray):
            _render_into(out, node)
        else:
            _not_renderable(node)


def render(node: Renderable) -> str:
    """The HTML of anything renderable: an element, an `__html__` object, text, a list..."""
    if type(node) is Element:
        return node._open + node._inner + node._close
    if type(node) is str:
        return _escape(node)
    out: list[str] = []
    _render_into(out, (node,))
    return "".join(out)


class Element:
    """An HTML element with its attributes and children, already rendered.

    `Element("my-widget")` makes a custom element; `void=True` one that has no end tag.
    """

    __slots__ = ("_attrs", "_close", "_inner", "_open", "_tag")

    _tag: str
    _close: str  # the end tag; "" for a void element
    _attrs: Mapping[str, AttrValue]  # as keywords spell them, or a _RawAttrs
    _open: str
    _inner: str  # the children's HTML

    def __init__(self, tag: str, *, void: bool | None = None) -> None:
        if not tag or _BAD_NAME.search(tag):
            raise ValueError(f"invalid HTML tag name {tag!r}")
        self._tag = tag
        self._close = "" if (tag in VOID_ELEMENTS if void is None else void) else f"</{tag}>"
        self._attrs = _NO_ATTRS
        self._open = f"<{tag}>"
        self._inner = ""

    def __call__(self, *attrs: Mapping[str, AttrValue], **kwattrs: AttrValue) -> Self:
        """A copy with these attributes added; a name given again takes the new value."""
        new: Self = _new(self.__class__)
        new._tag = tag = self._tag
        new._close = self._close
        new._inner = self._inner
        if attrs or self._attrs:
            new._attrs = kwattrs = self._merge(attrs, kwattrs)
            names = _RAW_NAMES
        else:
            new._attrs = kwattrs
            names = _KEYWORD_NAMES
        html = "<" + tag
        for key, value in kwattrs.items():
            if type(value) is str:
                html = f'{html} {names[key]}="{_escape(value)}"'
            elif value is True:
                html = f"{html} {names[key]}"
            elif value is not None and value is not False:
                html = f'{html} {names[key]}="{_attr_value(value)}"'
        new._open = html + ">"
        return new

    def __getitem__(self, children: Renderable) -> Self:
        """A copy with these children added after any it already has."""
        close = self._close
        if not close:
            raise TypeError(f"<{self._tag}> is a void element: it cannot have children")
        if type(children) is str:
            inner = _escape(children)
        elif type(children) is Element:
            inner = f"{children._open}{children._inner}{children._close}"
        else:
            out: list[str] = []
            # tag[a, b] passes the tuple (a, b): its items are the children.
            _render_into(out, children if type(children) is tuple else (children,))
            inner = "".join(out)
        new: Self = _new(self.__class__)
        new._tag = self._tag
        new._close = close
        new._attrs = self._attrs
        new._open = self._open
        # Indexed before: those children come first.
        new._inner = f"{self._inner}{inner}" if self._inner else inner
        return new

    def _merge(
        self, attrs: tuple[Mapping[str, AttrValue], ...], kwattrs: Mapping[str, AttrValue]
    ) -> _RawAttrs:
        merged = _RawAttrs()
        if isinstance(self._attrs, _RawAttrs):
            merged.update(self._attrs)
        else:
            merged.update((_KEYWORD_NAMES[key], value) for key, value in self._attrs.items())
        for raw in attrs:
            if not isinstance(raw, Mapping):
                raise TypeError(
                    f"<{self._tag}>: positional arguments must be dicts of attributes, "
                    f"not {type(raw).__name__}"
                )
            merged.update((_RAW_NAMES[key], value) for key, value in raw.items())
        merged.update((_KEYWORD_NAMES[key], value) for key, value in kwattrs.items())
        return merged

    def __str__(self) -> str:
        return self._open + self._inner + self._close

    def __html__(self) -> Markup:
        # Markup, not str: markupsafe's own formatting escapes a plain str from __html__ again.
        return Markup(self._open + self._inner + self._close)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {str(self)[:60]!r}>"

    def __eq__(self, other: builtins.object) -> bool:
        return isinstance(other, Element) and str(other) == str(self)

    def __hash__(self) -> int:
        return hash(str(self))


_ELEMENT_NAMES: list[str] = []


def _elements(tags: str) -> list[Element]:
    names = tags.split()
    _ELEMENT_NAMES.extend(name + "_" if name == "del" else name for name in names)
    return [Element(name) for name in names]


# Every element of the HTML living standard, grouped as its chapter 4 groups them. The names
# are the data: each line binds names to the tags spelled the same way (`del` is a keyword,
# so it is `del_`). Some shadow builtins inside this module (`input`, `map`, `object`), which
# is why the code above never calls those.
(html,) = _elements("html")
head, title, base, link, meta, style = _elements("head title base link meta style")
body, article, section, nav, aside, hgroup, header, footer, address = _elements(
    "body article section nav aside hgroup header footer address"
)
h1, h2, h3, h4, h5, h6 = _elements("h1 h2 h3 h4 h5 h6")
p, hr, pre, blockquote, ol, ul, menu, li, dl, dt, dd = _elements(
    "p hr pre blockquote ol ul menu li dl dt dd"
)
figure, figcaption, main, search, div = _elements("figure figcaption main search div")
a, em, strong, small, s, cite, q, dfn, abbr, ruby, rt, rp = _elements(
    "a em strong small s cite q dfn abbr ruby rt rp"
)
data, time, code, var, samp, kbd, sub, sup, i, b, u, mark = _elements(
    "data time code var samp kbd sub sup i b u mark"
)
bdi, bdo, span, br, wbr = _elements("bdi bdo span br wbr")
ins, del_ = _elements("ins del")
picture, source, img, iframe, embed, object, video, audio, track, map, area = _elements(
    "picture source img iframe embed object video audio track map area"
)
math, svg = _elements("math svg")
table, caption, colgroup, col, tbody, thead, tfoot, tr, td, th = _elements(
    "table caption colgroup col tbody thead tfoot tr td th"
)
form, label, input, button, select, datalist, optgroup, option = _elements(
    "form label input button select datalist optgroup option"
)
textarea, output, progress, meter, fieldset, legend, selectedcontent = _elements(
    "textarea output progress meter fieldset legend selectedcontent"
)
details, summary, dialog = _elements("details summary dialog")
script, noscript, template, slot, canvas = _elements("script noscript template slot canvas")

__all__ = [
    "VOID_ELEMENTS",
    "AttrValue",
    "Element",
    "HasHTML",
    "Markup",
    "Renderable",
    "render",
    *_ELEMENT_NAMES,
]
