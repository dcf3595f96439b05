"""Page functions compiled at load time into direct string building: the fast render path.

`compile_renderers(module, source, names)` gives, for each of a page module's rendering
functions (`page`, `head`, `_app`'s `app`), a version that builds the HTML string directly
(static parts rendered once, dynamic values escaped per request), or the function itself with
the reason it could not be compiled. The compiled function renders byte for byte what the
original does; it is only ever handed to the pipeline, which renders what it returns, while the
module keeps its own functions. `PAGEMILL_COMPILE=0` turns compiling off.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from .functions import NotCompiled, compile_function
from .source import ModuleSource

__all__ = ["Renderer", "compile_renderers", "enabled"]

ENV_SWITCH = "PAGEMILL_COMPILE"


@dataclass(frozen=True, slots=True)
class Renderer:
    """One rendering function of a page module, as the pipeline will call it."""

    name: str
    function: Callable[..., Any]
    fast: bool
    reason: str | None = None  # why it stays on the general path


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1") != "0"


def compile_renderers(
    module: ModuleType, source: str | None, names: Sequence[str]
) -> dict[str, Renderer]:
    """Each of `names` the module defines as a callable, compiled when it can be.

    Never raises: a function that cannot be compiled (or a compiler bug) keeps the general
    path, with the reason.
    """
    found = {name: getattr(module, name) for name in names if callable(getattr(module, name, None))}
    if not found:
        return {}
    parsed: ModuleSource | None = None
    problem = "compiling is turned off (PAGEMILL_COMPILE=0)" if not enabled() else None
    if problem is None and source is None:
        problem = "its source is not available"
    if problem is None and source is not None:
        try:
            parsed = ModuleSource.parse(source, getattr(module, "__file__", None) or "<page>")
        except (SyntaxError, ValueError):
            problem = "its source does not match the loaded code"
    renderers = {}
    for name, function in found.items():
        if parsed is None:
            renderers[name] = Renderer(name, function, False, problem)
            continue
        try:
            renderers[name] = Renderer(name, compile_function(function, parsed, vars(module)), True)
        except NotCompiled as exc:
            renderers[name] = Renderer(name, function, False, str(exc))
        except Exception as exc:  # a bug here must never cost the page
            reason = f"the compiler failed ({type(exc).__name__}: {exc})"
            renderers[name] = Renderer(name, function, False, reason)
    return renderers
