"""The route table: page files become URL patterns, checked, ordered and matched as Next.js does.

A pattern is `/`-separated segments, each static (`blog`), a param (`[slug]`), a catch-all
(`[...path]`, one or more segments) or an optional catch-all (`[[...path]]`, zero or more).
The table is a segment trie; its depth-first walk in precedence order is the route order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar
from urllib.parse import unquote

from pagemill.errors import AppLoadError, BadRequest

T = TypeVar("T")

# Route params as a page sees them: one string per `[x]`, a list per catch-all.
Params = dict[str, str | list[str]]


def route_pattern(relpath: str) -> str:
    """The route pattern of a page file, given its path under `pages/` with `/` separators."""
    if not relpath.endswith(".py"):
        raise ValueError(f"not a page file (expected a .py path): {relpath!r}")
    parts = relpath.removesuffix(".py").split("/")
    if parts[-1] == "index":
        parts.pop()
    return "/" + "/".join(parts)


class SegmentKind(Enum):
    """What a pattern segment matches; at one level, this is also their precedence."""

    STATIC = "static"  # exactly its own text
    PARAM = "param"  # [x]: any one segment
    CATCH_ALL = "catch-all"  # [...x]: one or more segments
    OPTIONAL_CATCH_ALL = "optional catch-all"  # [[...x]]: zero or more segments


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a route pattern, parsed."""

    text: str  # as written: "blog", "[slug]", "[...path]"
    kind: SegmentKind
    name: str  # the param name; a static segment's own text
    problem: str | None = None  # why `text` is not a valid segment (it is then kept as static)


def parse_segment(text: str) -> Segment:
    """Parse one pattern segment; a malformed one comes back with its `problem` set."""
    if not (text.startswith("[") and text.endswith("]")):
        # Brackets inside a name are literal (`post-[id]`), but unbalanced ones are a typo.
        if _balanced(text):
            return Segment(text, SegmentKind.STATIC, text)
        return _malformed(text, _extra_brackets(text))
    name = text[1:-1]
    optional = name.startswith("[") and name.endswith("]")
    if optional:
        name = name[1:-1]
    if name.startswith("…"):
        return _malformed(
            text, f"Detected a three-dot character ('…') at ('{name}'). Did you mean ('...')?"
        )
    catch_all = name.startswith("...")
    if catch_all:
        name = name[3:]
    if "[" in name or "]" in name:
        return _malformed(text, _extra_brackets(name))
    if name.startswith("."):
        return _malformed(
            text,
            f"Segment names may not start with erroneous periods ('{name}'). "
            "A catch-all takes exactly three periods: [...name].",
        )
    if not name:
        return _malformed(
            text, f"Segment names may not be empty ('{text}'). Name the param, e.g. [id]."
        )
    if optional and not catch_all:
        return _malformed(
            text,
            f'Optional route parameters are not yet supported ("{text}"). '
            f"Use [{name}] for exactly one segment or [[...{name}]] for zero or more.",
        )
    if not catch_all:
        return Segment(text, SegmentKind.PARAM, name)
    kind = SegmentKind.OPTIONAL_CATCH_ALL if optional else SegmentKind.CATCH_ALL
    return Segment(text, kind, name)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _extra_brackets(name: str) -> str:
    return (
        f"Segment names may not start or end with extra brackets ('{name}'). "
        "Write a dynamic segment as [name], [...name] or [[...name]]."
    )


def _malformed(text: str, problem: str) -> Segment:
    return Segment(text, SegmentKind.STATIC, text, problem)


@dataclass(frozen=True, slots=True)
class Route(Generic[T]):
    """A page's URL pattern, the file it comes from, and what the caller attaches to it."""

    pattern: str  # "/blog/[post]"
    source: str  # "pages/blog/[post].py", named in error messages
    payload: T
    segments: tuple[Segment, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Parsed once here so neither building nor matching parses patterns again.
        parsed = tuple(parse_segment(s) for s in self.pattern.split("/") if s)
        object.__setattr__(self, "segments", parsed)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.segments if s.kind is not SegmentKind.STATIC)

    @property
    def is_dynamic(self) -> bool:
        return any(s.kind is not SegmentKind.STATIC for s in self.segments)


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """The route a path matched and its decoded params."""

    route: Route[T]
    params: Params


@dataclass(slots=True)
class _Param(Generic[T]):
    name: str
    source: str  # the first file that put a `[name]` at this level
    node: _Node[T]


@dataclass(slots=True)
class _Node(Generic[T]):
    """One level of the trie: the route ending here, then children in precedence order."""

    route: Route[T] | None = None
    static: dict[str, _Node[T]] = field(default_factory=dict)
    param: _Param[T] | None = None
    # A catch-all is always a pattern's last segment, so it holds a route, not a subtree.
    catch_all: Route[T] | None = None
    optional_catch_all: Route[T] | None = None


class RouteTable(Generic[T]):
    """The app's routes, in precedence order, matched first match wins. Use `build`."""

    def __init__(self, root: _Node[T], routes: tuple[Route[T], ...]) -> None:
        self._root = root
        self.routes = routes
        self._by_pattern = {route.pattern: route for route in routes}

    @classmethod
    def build(cls, routes: Iterable[Route[T]]) -> RouteTable[T]:
        """Check and order `routes`; raise `AppLoadError` listing every problem found."""
        root: _Node[T] = _Node()
        problems: list[str] = []
        for route in routes:
            route_problems = _path_problems(route)
            if not route_problems:
                route_problems = _insert(root, route)
            problems += route_problems
        ordered = tuple(_walk(root, problems))
        if problems:
            raise AppLoadError(problems)
        return cls(root, ordered)

    def get(self, pattern: str) -> Route[T] | None:
        return self._by_pattern.get(pattern)

    def match(self, path: str) -> Match[T] | None:
        """The first route matching `path`, a normalized, still percent-encoded URL path.

        Raises `BadRequest` when a param of the matching route is not valid percent-encoded
        UTF-8.
        """
        segments = path.split("/")[1:] if path != "/" else []
        if "" in segments:  # the caller normalizes slashes; an empty segment matches nothing
            return None
        found = _find(self._root, segments, 0)
        if found is None:
            return None
        route, raw = found
        # Decoded only now, so a bad escape is an error only for the route that matched.
        params: Params = {
            name: _unquote(value) if isinstance(value, str) else [_unquote(v) for v in value]
            for name, value in raw.items()
        }
        return Match(route, params)


def _path_problems(route: Route[T]) -> list[str]:
    """What is wrong with one route on its own: its segments and its param names."""
    problems = [f"{route.source}: {s.problem}" for s in route.segments if s.problem]
    seen: list[str] = []
    for index, segment in enumerate(route.segments):
        if segment.kind is SegmentKind.STATIC:
            continue
        is_last = index == len(route.segments) - 1
        if segment.kind is not SegmentKind.PARAM and not is_last:
            problems.append(
                f"{route.source}: Catch-all must be the last part of the URL. "
                f"Nothing may follow {segment.text} in {route.pattern}; make it the file name."
            )
        for other in seen:
            if other == segment.name:
                problems.append(
                    f'{route.source}: You cannot have the same slug name "{other}" repeat '
                    "within a single dynamic path. Rename one of them."
                )
            elif _word_chars(other) == _word_chars(segment.name):
                problems.append(
                    f'{route.source}: You cannot have the slug names "{other}" and '
                    f'"{segment.name}" differ only by non-word symbols within a single '
                    "dynamic path. Give them names that differ in letters or digits."
                )
        seen.append(segment.name)
    return problems


def _word_chars(name: str) -> str:
    return re.sub(r"\W", "", name)


def _insert(root: _Node[T], route: Route[T]) -> list[str]:
    """Add a valid route to the trie, or say which other file it conflicts with."""
    node = root
    for segment in route.segments:
        if segment.kind is SegmentKind.STATIC:
            node = node.static.setdefault(segment.name, _Node())
        elif segment.kind is SegmentKind.PARAM:
            if node.param is None:
                node.param = _Param(segment.name, route.source, _Node())
            elif node.param.name != segment.name:
                return [_different_names(node.param.source, node.param.name, route, segment)]
            node = node.param.node
        else:
            return _insert_catch_all(node, route, segment)
    if node.route is not None:
        return [_duplicate(node.route, route)]
    node.route = route
    return []


def _insert_catch_all(node: _Node[T], route: Route[T], segment: Segment) -> list[str]:
    optional = segment.kind is SegmentKind.OPTIONAL_CATCH_ALL
    same, other = (
        (node.optional_catch_all, node.catch_all)
        if optional
        else (node.catch_all, node.optional_catch_all)
    )
    if other is not None:
        first, then = ("a required", "optional") if optional else ("an optional", "required")
        return [
            f"{other.source} and {route.source}: You cannot use both {first} and {then} "
            f'catch-all route at the same level ("{other.segments[-1].text}" and '
            f'"{segment.text}"). Keep one of them: [[...name]] also matches the path with no '
            "segment there, [...name] does not."
        ]
    if same is not None:
        if same.segments[-1].name != segment.name:
            return [_different_names(same.source, same.segments[-1].name, route, segment)]
        return [_duplicate(same, route)]
    if optional:
        node.optional_catch_all = route
    else:
        node.catch_all = route
    return []


def _different_names(source: str, name: str, route: Route[T], segment: Segment) -> str:
    return (
        f"{source} and {route.source}: You cannot use different slug names for the same "
        f"dynamic path ('{name}' !== '{segment.name}'). Rename one so both use the same name."
    )


def _duplicate(first: Route[T], route: Route[T]) -> str:
    return (
        f"{first.source} and {route.source}: Duplicate page detected; both resolve to "
        f"{route.pattern}. Delete or rename one of them."
    )


def _walk(node: _Node[T], problems: list[str]) -> Iterator[Route[T]]:
    """The routes in precedence order; also reports a route an optional catch-all shadows."""
    if node.route is not None:
        yield node.route
        if node.optional_catch_all is not None:
            catch_all = node.optional_catch_all
            problems.append(
                f"{node.route.source} and {catch_all.source}: You cannot define a route with "
                f'the same specificity as an optional catch-all route ("{node.route.pattern}" '
                f'and "{catch_all.pattern}"). {catch_all.pattern} already matches '
                f"{node.route.pattern}; delete one, or use [...{catch_all.segments[-1].name}] "
                "to require a segment."
            )
    for key in sorted(node.static):
        yield from _walk(node.static[key], problems)
    if node.param is not None:
        yield from _walk(node.param.node, problems)
    if node.catch_all is not None:
        yield node.catch_all
    if node.optional_catch_all is not None:
        yield node.optional_catch_all


def _find(node: _Node[T], segments: list[str], index: int) -> tuple[Route[T], Params] | None:
    """Depth first in precedence order; a dead end backtracks to the next kind of child.

    The params come back as they appear in the path, still percent-encoded.
    """
    if index == len(segments):
        if node.route is not None:
            return node.route, {}
        if node.optional_catch_all is not None:
            return node.optional_catch_all, {}  # no segments: the param is absent
        return None
    segment = segments[index]
    child = _static_child(node, segment)
    if child is not None and (found := _find(child, segments, index + 1)):
        return found
    if node.param is not None and (found := _find(node.param.node, segments, index + 1)):
        found[1][node.param.name] = segment
        return found
    for catch_all in (node.catch_all, node.optional_catch_all):
        if catch_all is not None:
            return catch_all, {catch_all.segments[-1].name: segments[index:]}
    return None


def _static_child(node: _Node[T], segment: str) -> _Node[T] | None:
    child = node.static.get(segment)
    if child is None and "%" in segment:
        # Browsers percent-encode what a file name may hold raw (`über.py`, `a b.py`).
        try:
            child = node.static.get(_unquote(segment))
        except BadRequest:
            return None
    return child


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _unquote(segment: str) -> str:
    """Percent-decode one segment strictly, as JavaScript's decodeURIComponent does."""
    if "%" not in segment:
        return segment
    if _BAD_ESCAPE.search(segment):
        raise BadRequest(f"malformed percent-escape in URL segment {segment!r}")
    try:
        return unquote(segment, errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(f"URL segment {segment!r} is not percent-encoded UTF-8") from None
