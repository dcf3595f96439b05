"""What compiled page functions call per request: escaping, attribute and child rendering.

Each helper does exactly what `pagemill.html` does for the same value, using its functions
(`_escape`, `_attr_value`, `render`), so the compiled path and the general path cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from .. import html as h
from ..html import _attr_value, render

__all__ = ["Fragment", "attr", "child", "escape", "markup", "open_tag", "render"]

# The very escape function `pagemill.html` chose (markupsafe's C one when it is there).
escape: Callable[[str], str] = vars(h)["_escape"]
_escape = escape


class Fragment(str):
    """HTML already rendered by compiled code, on its way to being rendered again as is.

    Only ever handed to `render` (never to user code), which inserts it through `__html__`.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return self


def child(value: Any) -> str:
    """One child's HTML: `render`, with the commonest case (text) first."""
    if type(value) is str:
        return _escape(value)
    return render(value)


def markup(html: str) -> Markup:
    """What a compiled `page`/`head`/`app` returns: its HTML, trusted as `Element` is."""
    return Markup(html)


def attr(prefix: str, value: Any) -> str:
    """One attribute (`prefix` is `" name"`) as `Element.__call__` renders it."""
    if type(value) is str:
        return f'{prefix}="{_escape(value)}"'
    if value is True:
        return prefix
    if value is None or value is False:
        return ""
    return f'{prefix}="{_attr_value(value)}"'


def open_tag(spec: tuple[tuple[str, str], ...], tail: str, *values: Any) -> str:
    """An opening tag whose values are all evaluated before any is rendered, as the general
    path does: `spec` holds, per value, the static text before it and its `" name"`."""
    html = ""
    for (before, prefix), value in zip(spec, values, strict=True):
        html += before + attr(prefix, value)
    return html + tail
