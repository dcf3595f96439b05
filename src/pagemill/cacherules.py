"""The response cache's rules, pure functions with no I/O: how long a response may be shared
(from its `Cache-Control`), under which key, whether a stored copy is fresh, stale or only
good for standing in for a failing gSSP, and which request headers it varies on."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import orjson

# `stale-while-revalidate` without a value: serve stale for as long as a refresh takes.
UNBOUNDED_STALE = 365 * 24 * 3600.0
# Without `stale-if-error`, a copy past its stale window still stands in for a failing gSSP
# this long.
DEFAULT_STALE_IF_ERROR = 300.0

Freshness = Literal["fresh", "stale", "error", "expired"]


@dataclass(frozen=True, slots=True)
class Lifetime:
    fresh: float  # seconds served without running gSSP
    stale: float  # seconds after that served while one background run refreshes
    # Seconds after that served when gSSP fails (`stale-if-error`, RFC 5861).
    error: float = DEFAULT_STALE_IF_ERROR

    @property
    def kept(self) -> float:
        """How long the entry is stored at all."""
        return self.fresh + self.stale + self.error


def lifetime(
    cache_control: str | None, *, sets_cookie: bool, authorization: bool
) -> Lifetime | None:
    """How long a response may be shared, from its `Cache-Control`; None: never stored.

    Stored: `s-maxage=N`, or `max-age=N` with `public`. Never: `private`, `no-store`,
    `no-cache`, a response that sets cookies, or a request with `Authorization` unless the
    response says `public`.
    """
    if cache_control is None or sets_cookie or cache_control.startswith("private"):
        return None  # the common private answer, decided without parsing
    directives: dict[str, str | None] = {}
    for part in cache_control.lower().split(","):
        name, _, value = part.strip().partition("=")
        directives[name.strip()] = value.strip().strip('"') or None
    if {"private", "no-store", "no-cache"} & directives.keys():
        return None
    public = "public" in directives
    if authorization and not public:
        return None
    fresh = _seconds(directives.get("s-maxage"))
    if fresh is None and public:
        fresh = _seconds(directives.get("max-age"))
    if not fresh:
        return None
    error = _seconds(directives.get("stale-if-error"))
    error = DEFAULT_STALE_IF_ERROR if error is None else error
    if "stale-while-revalidate" not in directives:
        return Lifetime(fresh, 0.0, error)
    stale = _seconds(directives["stale-while-revalidate"])
    return Lifetime(fresh, UNBOUNDED_STALE if stale is None else stale, error)


def _seconds(value: str | None) -> float | None:
    if value is None or not value.isdigit():
        return None
    return float(value)


def cache_key(*parts: object) -> str:
    """A fixed-length key for the parts that identify a response (method class, host, base
    path, locale, route, params, query, build id, varied headers)."""
    return hashlib.sha256(orjson.dumps(parts, option=orjson.OPT_NON_STR_KEYS)).hexdigest()


def freshness(stored_at: float, life: Lifetime, now: float) -> Freshness:
    age = now - stored_at
    if age < life.fresh:
        return "fresh"
    if age < life.fresh + life.stale:
        return "stale"
    if age < life.kept:
        return "error"  # to be run again, but still the answer if that fails
    return "expired"


def path_tag(path: str) -> str:
    """The tag every variant of one page path is stored under."""
    if not path.startswith("/"):
        raise ValueError(f"revalidate() takes a path starting with '/', got {path!r}")
    return path.split("?", 1)[0].rstrip("/") or "/"


def vary_names(headers: Iterable[tuple[bytes, bytes]]) -> tuple[str, ...]:
    """The request headers a response varies on (its `Vary`), lower-cased and sorted."""
    names: set[str] = set()
    for key, value in headers:
        if key == b"vary":
            names.update(n.strip().lower() for n in value.decode("latin-1").split(",") if n.strip())
    return tuple(sorted(names))
