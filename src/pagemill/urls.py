"""URL rules with no I/O: slash normalization, base path, query parsing and `resolved_url`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar
from urllib.parse import parse_qsl, quote, quote_plus

from .types import Params, Query

_REPEATED_SLASHES = re.compile(r"[/\\]{2,}|\\")
# encodeURIComponent leaves these unescaped; resolved_url must match Next's.
_URI_COMPONENT_SAFE = "-_.!~*'()"


def slash_redirect(path: str, trailing_slash: bool) -> str | None:
    """The path to 308 to when `path` has `//`, `\\` or the wrong trailing slash, else None.

    Never applies under `/_next/`. Without trailing slashes a base path's root is no
    exception: `/docs/` goes to `/docs`, as `next start` 15.5 answers.
    """
    if path.startswith("/_next/"):
        return None
    target = _REPEATED_SLASHES.sub("/", path)
    if trailing_slash:
        if not target.endswith("/") and not _looks_like_file(target):
            target += "/"
    elif target != "/" and target.endswith("/"):
        target = target.rstrip("/") or "/"
    return None if target == path else target


def _looks_like_file(path: str) -> bool:
    return path.startswith("/.well-known") or "." in path.rsplit("/", 1)[-1]


def strip_base_path(path: str, base_path: str) -> str | None:
    """`path` without the base path, or None when it lies outside it."""
    if not base_path:
        return path
    if path == base_path:
        return "/"
    if path.startswith(base_path) and path[len(base_path)] == "/":
        return path[len(base_path) :]
    return None


def parse_query(query_string: str) -> list[tuple[str, str]]:
    """The query as ordered pairs, `+` as a space (URLSearchParams rules)."""
    if not query_string:
        return []
    if "%" in query_string or "+" in query_string:
        return parse_qsl(query_string, keep_blank_values=True)
    # Nothing to decode: split as parse_qsl would, without its per-field work.
    return [
        (key, value)
        for key, _, value in (field.partition("=") for field in query_string.split("&") if field)
    ]


def query_dict(
    pairs: list[tuple[str, str]], params: Params, rewritten: Query | None = None
) -> Query:
    """Repeated keys become lists; what rewrites set replaces the request's keys, and route
    params are laid on top of all and win."""
    query: Query = group_pairs(pairs)
    if rewritten:
        query.update(rewritten)
    query.update(params)
    return query


V = TypeVar("V")


def group_pairs(pairs: Iterable[tuple[str, V]]) -> dict[str, V | list[V]]:
    """Pairs as a dict, a repeated key's values as a list in order (query strings, forms)."""
    grouped: dict[str, V | list[V]] = {}
    for key, value in pairs:
        existing = grouped.get(key)
        if existing is None:
            grouped[key] = value
        elif isinstance(existing, list):
            existing.append(value)
        else:
            grouped[key] = [existing, value]
    return grouped


def without_param_echoes(pairs: list[tuple[str, str]], params: Params) -> list[tuple[str, str]]:
    """Drop query keys named like a param whose value equals the param (Next's client adds them)."""
    if not params or not pairs:
        return pairs
    grouped = query_dict(pairs, {})
    echoed = {key for key, value in params.items() if grouped.get(key) == value}
    return [(key, value) for key, value in pairs if key not in echoed]


def encode_query(pairs: list[tuple[str, str]]) -> str:
    """Serialize as URLSearchParams does: only `*-._` and alphanumerics stay, space is `+`."""
    return "&".join(f"{_form_encode(key)}={_form_encode(value)}" for key, value in pairs)


def _form_encode(text: str) -> str:
    if _FORM_SAFE.fullmatch(text):
        return text
    return quote_plus(text, safe="*").replace("~", "%7E")


_FORM_SAFE = re.compile(r"[A-Za-z0-9*._-]*")


def fill_pattern(pattern: str, params: Params) -> str:
    """The route pattern with params filled in, each value percent-encoded."""
    if "[" not in pattern:
        return pattern
    parts = []
    for segment in pattern.split("/")[1:]:
        if not segment.startswith("["):
            parts.append(segment)
            continue
        name = segment.strip("[].")
        value = params.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            parts.extend(quote(item, safe=_URI_COMPONENT_SAFE) for item in value)
        else:
            parts.append(quote(value, safe=_URI_COMPONENT_SAFE))
    return "/" + "/".join(parts)


def resolved_url(
    pattern: str,
    params: Params,
    query: str,
    *,
    trailing_slash: bool = False,
) -> str:
    """`ctx.resolved_url`: never the data prefix, `.json`, base path or locale.

    `query` is the original query, stripped of param echoes and encoded; `trailing_slash`
    is True only when the config asks for it and the request path had one.
    """
    path = fill_pattern(pattern, params)
    if trailing_slash and path != "/":
        path += "/"
    return f"{path}?{query}" if query else path
