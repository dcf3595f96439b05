"""A rule's destination: filled with the params its source matched, and checked at load time
for params its rule does not define (Next's `prepare-destination.ts` rules)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# A param in a destination's path or host: the "/" or "." before it goes when it is absent.
# ("?" cannot be a modifier there: it starts the query.)
_PATH_PARAM = re.compile(r"([./]?):([A-Za-z0-9_]+)([*+]?)")
_VALUE_PARAM = re.compile(r"([./]?):([A-Za-z0-9_]+)([*+?]?)")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:(?://(?:[^/?#@]*@)?)?")
_PORT = re.compile(r":\d*$")


@dataclass(frozen=True, slots=True)
class _Destination:
    head: str  # "https://" (with any user info), or ""
    host: str
    port: str  # ":8080", or ""
    path: str
    query: str | None  # without the "?"
    fragment: str  # with the "#", or ""


def _split(destination: str) -> _Destination:
    head = host = port = ""
    rest = destination
    if not destination.startswith("/") and (scheme := _ABSOLUTE.match(destination)):
        head = scheme[0]
        rest = destination[len(head) :]
        if head.endswith(("//", "@")):
            end = len(rest)
            for stop in "/?#":
                found = rest.find(stop)
                if found != -1:
                    end = min(end, found)
            host, rest = rest[:end], rest[end:]
            if found_port := _PORT.search(host):
                host, port = host[: found_port.start()], found_port[0]
    rest, hash_mark, fragment = rest.partition("#")
    path, question, query = rest.partition("?")
    return _Destination(head, host, port, path, query if question else None, hash_mark + fragment)


def _render(prefix: str, value: str | list[str] | None, modifier: str) -> str:
    if value is None or not value:
        return ""  # absent: drop the "/" or "." before it too
    if isinstance(value, str):
        return prefix + value
    if modifier in ("*", "+") and prefix:
        return "".join(prefix + segment for segment in value)
    return prefix + "/".join(value)


def _fill_path(text: str, params: Mapping[str, str | list[str]]) -> str:
    if ":" not in text:
        return text
    return _PATH_PARAM.sub(lambda m: _render(m[1], params.get(m[2]), m[3]), text)


def fill_value(text: str, params: Mapping[str, str | list[str]]) -> str:
    """`text` with each `:name` of a *known* param replaced; any other `:word` stays as is.

    This is how Next fills a destination's query values and a header rule's keys and values
    (`compileNonPath`), where colons are common (`max-age=0, s-maxage=10:...`, `?t=10:30`).
    """
    if ":" not in text:
        return text

    def replace(m: re.Match[str]) -> str:
        return _render(m[1], params[m[2]], m[3]) if m[2] in params else m[0]

    return _VALUE_PARAM.sub(replace, text)


def _fill_query(query: str, params: Mapping[str, str | list[str]]) -> str:
    fields = []
    for item in query.split("&"):
        key, equals, value = item.partition("=")
        fields.append(key + equals + fill_value(value, params))  # Next fills values, not keys
    return "&".join(fields)


def fill_destination(destination: str, params: Mapping[str, str | list[str]]) -> str:
    """`destination` with the matched params put into its host, path, query values and hash.

    `:name` takes the param as is (no percent-encoding, like Next: path params are still
    encoded, values from headers or cookies are not). A list (from `:name*`, `:name+`, or a
    repeated query key) is joined with "/": `/news/:slug*` + ["a", "b"] gives `/news/a/b`.
    In the path and host, a param with no value is left out with the "/" or "." before it
    (`/news/:slug*` + {} gives `/news`; Next errors on a plain `:name` there, and
    `destination_problems` reports that at load time). In query values only params that
    exist are replaced, so `?t=10:30` stays as written. The query is not re-encoded.

    Params the destination does not use are NOT added here. Next adds them to the query of a
    *rewrite* only, and all or nothing: when the destination's path and host use none of the
    params (`destination_params`), every param goes into the rewritten URL's query, except
    keys the destination's query already sets; redirects and header rules never get them.
    """
    if ":" not in destination:
        return destination
    parts = _split(destination)
    path = _fill_path(parts.path, params)
    if not path and parts.path and not parts.head:
        path = "/"  # `/:path*` with no segments is the root, not an empty URL
    query = "" if parts.query is None else "?" + _fill_query(parts.query, params)
    return (
        parts.head
        + _fill_path(parts.host, params)
        + parts.port
        + path
        + query
        + _fill_path(parts.fragment, params)
    )


def _path_tokens(destination: str) -> Iterable[re.Match[str]]:
    parts = _split(destination)
    for text in (parts.host, parts.path, parts.fragment):
        yield from _PATH_PARAM.finditer(text)


def destination_params(destination: str) -> frozenset[str]:
    """The param names a destination's host, path and hash use (its query does not count)."""
    return frozenset(m[2] for m in _path_tokens(destination))


def destination_problems(
    destination: str, param_names: Iterable[str], *, repeated: Iterable[str] = ()
) -> list[str]:
    """What is wrong with the params `destination` uses, given the ones its rule defines.

    `param_names` should be the rule's `available_params` (source and `has` names);
    `repeated` its `repeated_params`. Reported: a param the rule does not define (Next:
    "`destination` has segments not in `source` or `has`"), an unnamed group `:0` (Next:
    "`destination` has unnamed params"), and a `:name*` source param used as a plain `:name`
    (which Next only finds at request time: "To use a multi-match in the destination you
    must add `*`"). Query values are not checked: there an unknown `:word` is plain text.
    """
    defined = set(param_names)
    multi = set(repeated)
    problems: list[str] = []
    seen: set[str] = set()
    quoted = f'destination "{destination}"'

    def report(name: str, problem: str) -> None:
        if name not in seen:
            seen.add(name)
            problems.append(f"{quoted} {problem}")

    for token in _path_tokens(destination):
        name, modifier = token[2], token[3]
        if name.isdigit() and name not in defined:
            report(name, f"uses :{name}, an unnamed group; name it in the source (:name(...))")
        elif name not in defined:
            report(
                name,
                f"uses :{name}, which neither the source nor a `has` condition defines "
                "(write %3A for a literal colon)",
            )
        elif name in multi and modifier not in ("*", "+"):
            report(
                name,
                f'uses :{name}, which matches several segments; write ":{name}*" there',
            )
    return problems
