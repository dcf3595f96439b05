"""Client islands: `island(name, props)[fallback]`, and the app's `islands/` checked and served."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from . import html as h
from .errors import AppLoadError, PageError
from .results import dump_json, find_serialization_problem, next_data_script_json

ISLANDS_DIR = "islands"
ISLANDS_PREFIX = "/_next/static/islands/"
JAVASCRIPT_TYPE = b"text/javascript; charset=utf-8"
# An island's name is its module's file name: islands/<name>.js.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_PROPS_OPEN = h.render(h.script(type="application/json", data_island_props=True)["\x00"])
_PROPS_OPEN = _PROPS_OPEN[: _PROPS_OPEN.index("\x00")]
# What rendered markup says of the islands in it (attribute values are always escaped).
_RENDERED = re.compile(r'data-island="([^"]*)"')
# `island("name"` (or `island(name="name"`) in Python source: the names an app uses literally.
_USED = re.compile(r"""\bisland\(\s*(?:name\s*=\s*)?(["'])([^"'\\\n]*)\1""")
# `export function mount`, `export const mount`, `export { mount }`, `export { x as mount }`.
_EXPORTS = re.compile(
    r"\bexport\s+(?:async\s+)?function\s*\*?\s*(\w+)|\bexport\s+(?:const|let|var)\s+(\w+)"
    r"|\bexport\s*\{([^}]*)\}"
)
# Relative module specifiers: `from "./x.js"`, `import "./x.js"`, `import("./x.js")`.
_IMPORTS = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*(["'])(\.{1,2}/[^"'\n]+)\1""")
_SKIPPED_DIRS = {"__pycache__", "node_modules", "venv"}


class Island(h.Element):
    """An island's container. Its `data-pm-keep` value is a digest of all it renders (name,
    attributes, props, fallback), so the client's morph keeps a mounted island exactly when
    the new page renders it the same, and replaces it when anything in it changed."""

    __slots__ = ("_key",)
    _key: str

    def __call__(self, *attrs: Mapping[str, h.AttrValue], **kwattrs: h.AttrValue) -> Self:
        return self._rekeyed(super().__call__(*attrs, **kwattrs))

    def __getitem__(self, children: h.Renderable) -> Self:
        return self._rekeyed(super().__getitem__(children))

    def _rekeyed(self, new: Self) -> Self:
        old = f' data-pm-keep="{self._key}"'
        rendered = new._open.replace(old, "", 1) + new._inner
        digest = hashlib.blake2b(rendered.encode(), digest_size=8).hexdigest()
        new._key = key = f"{self._key.partition(':')[0]}:{digest}"
        new._open = new._open.replace(old, f' data-pm-keep="{key}"', 1)
        attrs = h._RawAttrs(new._attrs)
        attrs["data-pm-keep"] = key
        new._attrs = attrs
        return new


def island(
    name: str, props: Mapping[str, Any] | None = None, *, tag: str = "div", **attrs: h.AttrValue
) -> Island:
    """The server-rendered container of the island `islands/<name>.js`, used like an element:
    `island("rating", props={"stars": 4})[fallback]`. The props reach the module's `mount`
    as JSON, escaped as `__NEXT_DATA__` is; the children are the fallback (what shows before
    the script runs, and without JavaScript)."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(
            f"island name {name!r}: use the module's file name without .js, "
            "letters, digits, - and _ (islands/rating.js is island('rating'))"
        )
    if props is None:
        props = {}
    elif type(props) is not dict:
        if not isinstance(props, Mapping):
            raise _props_error(name, f"props must be a dict, got {type(props).__name__}.")
        props = dict(props)
    try:
        encoded = dump_json(props)
    except (TypeError, ValueError):
        found = find_serialization_problem(props)
        path, reason = found if found is not None else ("", "it nests too deeply for JSON.")
        raise _props_error(name, reason, path) from None
    # Built as a plain element, then keyed once (each later call or index keys it again).
    pending = f"{name}:"
    plain = h.Element(tag)({"data-island": name, "data-pm-keep": pending}, **attrs)
    container: Island = object.__new__(Island)
    container._tag, container._close = plain._tag, plain._close
    container._attrs, container._open = plain._attrs, plain._open
    container._inner = _PROPS_OPEN + next_data_script_json(encoded).decode() + "</script>"
    container._key = pending
    return container._rekeyed(container)


def _props_error(name: str, reason: str, path: str = "") -> PageError:
    frame = sys._getframe(2)  # the code that called island()
    where = f"{_shown_path(frame.f_code.co_filename)}, line {frame.f_lineno}"
    return PageError(f'Error serializing `props{path}` of island "{name}" in "{where}": {reason}')


def _shown_path(filename: str) -> str:
    relative = os.path.relpath(filename)
    return filename if relative.startswith("..") else relative


@dataclass(frozen=True, slots=True)
class IslandModule:
    """One island: `islands/<name>.js`, its URL and the files it imports (transitively)."""

    name: str
    source: str  # islands/rating.js
    url: str  # without the base path
    imports: tuple[str, ...]  # URLs of the modules it imports by relative path, in order

    @property
    def files(self) -> tuple[str, ...]:
        return (self.url, *self.imports)


class Islands:
    """The app's `islands/` folder, read once: each island module (every `*.js` at its top
    level, except `_`-prefixed helpers) and every file under it, served by its path under a
    prefix that changes with the folder's content, so relative imports between them work
    and every URL can be cached for good."""

    def __init__(self, app_dir: Path, base_path: str, runtime_url: str) -> None:
        self.app_dir = app_dir
        self.base_path = base_path
        self.runtime_url = base_path + runtime_url
        folder = app_dir / ISLANDS_DIR
        files = sorted(_files(folder)) if folder.is_dir() else []
        digest = hashlib.sha256()
        contents: dict[str, bytes] = {}
        for path in files:
            relative = path.relative_to(folder).as_posix()
            contents[relative] = content = path.read_bytes()
            digest.update(relative.encode() + b"\0" + content + b"\0")
        self.fingerprint = digest.hexdigest()[:12] if files else ""
        self.prefix = f"{ISLANDS_PREFIX}{self.fingerprint}/"
        self.files: dict[str, tuple[bytes, bytes]] = {
            self.prefix + relative: (content, _content_type(relative))
            for relative, content in contents.items()
        }
        self._sizes: dict[str, tuple[int, int]] = {}  # URL → bytes raw and gzipped, as asked
        self.modules: dict[str, IslandModule] = {}
        problems: list[str] = []
        for relative, content in contents.items():
            if "/" in relative or not relative.endswith(".js") or relative.startswith("_"):
                continue
            source = f"{ISLANDS_DIR}/{relative}"
            name = relative.removesuffix(".js")
            text = content.decode("utf-8", "replace")
            if not _NAME.fullmatch(name):
                problems.append(
                    f"{source}: an island's file name is its name: use letters, digits, - and _ "
                    "(and put helper modules in a subfolder, or start their name with _)."
                )
            elif not _exports_mount(text):
                problems.append(
                    f"{source}: an island module must export `mount`: "
                    "`export function mount(element, props, context) { ... }` (it may return "
                    "a cleanup function; helper modules go in a subfolder, or start with _)."
                )
            else:
                self.modules[name] = self._module(name, source, relative, contents)
        if problems:
            raise AppLoadError(problems)
        self._tags: dict[tuple[str, ...], str] = {}
        # Whether rendered pages are looked through for islands: not in an app without any.
        self.active = bool(self.modules)

    def _module(
        self, name: str, source: str, relative: str, contents: Mapping[str, bytes]
    ) -> IslandModule:
        imports = tuple(self.prefix + path for path in _imported(relative, contents))
        return IslandModule(name, source, self.prefix + relative, imports)

    def cost(self, names: Iterable[str]) -> tuple[int, int]:
        """Bytes (raw, gzipped) of the island modules a page with these islands loads, with
        what they import, each file counted once (for `pagemill build`'s summary)."""
        urls = {url: None for name in names for url in self.modules[name].files}
        sizes = [self._size(url) for url in urls]
        return sum(raw for raw, _ in sizes), sum(packed for _, packed in sizes)

    def _size(self, url: str) -> tuple[int, int]:
        if url not in self._sizes:
            content = self.files[url][0]
            self._sizes[url] = len(content), len(gzip.compress(content, mtime=0))
        return self._sizes[url]

    def check_uses(self, used: Mapping[str, list[tuple[str, int]]]) -> None:
        """Every island name the app's code uses must have its module."""
        self.active = self.active or bool(used)
        problems = [
            f'{source}, line {line}: there is no island "{name}" (no {ISLANDS_DIR}/{name}.js). '
            f"{self.known()}"
            for name, places in used.items()
            if name not in self.modules
            for source, line in places
        ]
        if problems:
            raise AppLoadError(problems)

    def known(self) -> str:
        if not self.modules:
            return f"The app has no islands: add {ISLANDS_DIR}/<name>.js beside pages/."
        names = ", ".join(sorted(self.modules))
        return f"The islands in {ISLANDS_DIR}/ are: {names}."

    def head_tags(self, body: str, page: Callable[..., Any] | None = None) -> str:
        """The head tags a page needs for the islands its `body` renders: a modulepreload of
        each module (and what it imports) and the island runtime; none without islands."""
        if 'data-island="' not in body:
            return ""
        # Sorted: one entry per set of islands, whatever order a page shows them in.
        names = tuple(sorted(set(_RENDERED.findall(body))))
        tags = self._tags.get(names)
        if tags is None:
            tags = self._tags[names] = self._head_tags(names, page)
        return tags

    def _head_tags(self, names: tuple[str, ...], page: Callable[..., Any] | None) -> str:
        urls: dict[str, str | None] = {}
        for name in names:
            module = self.modules.get(name)
            if module is None:
                where = self._source_of(page)
                raise PageError(
                    f'{where}renders the island "{name}", but there is no '
                    f"{ISLANDS_DIR}/{name}.js. {self.known()}"
                )
            urls[module.url] = name
            for url in module.imports:
                urls.setdefault(url, None)
        links = (
            h.link(rel="modulepreload", href=self.base_path + url, data_island_module=name)
            for url, name in urls.items()
        )
        runtime = h.script(type="module", src=self.runtime_url)
        return h.render([*links, runtime])

    def _source_of(self, page: Callable[..., Any] | None) -> str:
        code = getattr(page, "__code__", None)
        if code is None:
            return "The page "
        path = Path(code.co_filename)
        return f'"{path.relative_to(self.app_dir) if path.is_relative_to(self.app_dir) else path}" '


def rendered_islands(html: str) -> list[str]:
    """The island names in rendered markup, in order of first use."""
    return list(dict.fromkeys(_RENDERED.findall(html)))


def used_islands(app_dir: Path) -> dict[str, list[tuple[str, int]]]:
    """Each island name the app's Python code passes to `island()` as a literal, and where:
    (file relative to the app, line)."""
    used: dict[str, list[tuple[str, int]]] = {}
    for path in sorted(app_dir.rglob("*.py")):
        parts = path.relative_to(app_dir).parts
        if any(part.startswith(".") or part in _SKIPPED_DIRS for part in parts[:-1]):
            continue
        text = path.read_text("utf-8", "replace")
        if "island(" not in text:
            continue
        for found in _USED.finditer(text):
            start = text.rfind("\n", 0, found.start()) + 1
            if text[start : found.start()].lstrip().startswith("#"):
                continue  # a comment
            line = text.count("\n", 0, found.start()) + 1
            used.setdefault(found.group(2), []).append(("/".join(parts), line))
    return used


def _files(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(part.startswith(".") for part in parts):
            yield path


def _content_type(relative: str) -> bytes:
    if relative.endswith((".js", ".mjs")):
        return JAVASCRIPT_TYPE
    guessed = mimetypes.guess_type(relative)[0] or "application/octet-stream"
    return (guessed + "; charset=utf-8" if guessed.startswith("text/") else guessed).encode()


def _exports_mount(text: str) -> bool:
    for found in _EXPORTS.finditer(text):
        function, variable, listed = found.groups()
        if "mount" in (function, variable):
            return True
        if listed is not None:
            for item in listed.split(","):
                if re.fullmatch(r"(?:\w+\s+as\s+)?mount", item.strip()):
                    return True
    return False


def _imported(relative: str, contents: Mapping[str, bytes]) -> Iterator[str]:
    """The files under islands/ a module imports by relative path, depth first, each once."""
    seen = {relative}
    stack = [relative]
    while stack:
        current = stack.pop()
        text = contents[current].decode("utf-8", "replace")
        for found in _IMPORTS.finditer(text):
            target = os.path.normpath(os.path.join(os.path.dirname(current), found.group(2)))
            target = target.replace(os.sep, "/")
            if target in contents and target not in seen:
                seen.add(target)
                stack.append(target)
                yield target
