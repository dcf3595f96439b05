"""Jinja2 templates (the optional `jinja` extra), always autoescaped, usable as children."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

try:
    import jinja2
except ImportError as error:
    raise ImportError(
        'pagemill.templates needs Jinja2, an optional extra: pip install "pagemill[jinja]"'
    ) from error

from markupsafe import Markup

StrPath = str | os.PathLike[str]


class Templates:
    """The Jinja2 templates under `directory` (or several directories, searched in order).

    Every template is autoescaped, whatever its file name ends with: a `.txt` or `.svg`
    template escapes `{{ value }}` just like an `.html` one. `globals` and `filters` are
    added to the environment. `render()` returns `Markup`, so its output can be returned
    from `page()` or placed inside a `pagemill.html` element without being escaped again.
    """

    def __init__(
        self,
        directory: StrPath | Sequence[StrPath],
        *,
        globals: Mapping[str, Any] | None = None,
        filters: Mapping[str, Callable[..., Any]] | None = None,
    ) -> None:
        # The environment stays private: handing it out would let autoescape be turned off.
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(directory),
            autoescape=True,
        )
        if globals:
            self._env.globals.update(globals)
        if filters:
            self._env.filters.update(filters)

    def render(self, name: str, /, **context: Any) -> Markup:
        """Render the template `name` (a path relative to the directory) with `context`."""
        return Markup(self._env.get_template(name).render(context))
