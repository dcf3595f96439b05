"""Jinja2 templates (the optional `jinja` extra), always autoescaped, usable as children."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
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

    A relative directory is the app folder's (`Templates("templates")` in any module of the
    app means `<app>/templates`), wherever the server was started; a directory that does
    not exist is an error at once, not at the first render.

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
        folders = [directory] if isinstance(directory, str | os.PathLike) else list(directory)
        base = _app_folder(sys._getframe(1).f_globals.get("__file__"))
        found = [base / folder if base is not None else Path(folder) for folder in folders]
        for folder in found:
            if not folder.is_dir():
                raise FileNotFoundError(
                    f"Templates: the folder {os.fspath(folder)!r} does not exist. Create it, or "
                    "give the folder the templates are in (a relative folder is the app "
                    "folder's)."
                )
        # The environment stays private: handing it out would let autoescape be turned off.
        self._env = jinja2.Environment(loader=jinja2.FileSystemLoader(found), autoescape=True)
        if globals:
            self._env.globals.update(globals)
        if filters:
            self._env.filters.update(filters)

    def render(self, name: str, /, **context: Any) -> Markup:
        """Render the template `name` (a path relative to the directory) with `context`."""
        return Markup(self._env.get_template(name).render(context))


def _app_folder(module_file: object) -> Path | None:
    """The app folder of the module creating the templates: the nearest folder above it
    that holds `pages/`; None outside an app (a script, a shell)."""
    if not isinstance(module_file, str):
        return None
    for folder in Path(module_file).resolve().parents:
        if (folder / "pages").is_dir():
            return folder
    return None
