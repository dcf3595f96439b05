"""What a response-cache backend offers: bytes by key, with lifetimes, tags, purges and locks.

Backends do I/O and nothing else; every rule about what to store and for how long lives in
`pagemill.cacherules` and `pagemill.cache`. Every method must return within its backend's
timeout and never raise on an unreachable store: a cache outage costs speed, never a request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol


class CacheBackend(Protocol):
    async def get(self, key: str) -> bytes | None:
        """The stored value, or None (missing, expired, or the store unreachable)."""

    async def set(self, key: str, value: bytes, ttl: float, tags: Sequence[str]) -> None:
        """Store `value` for `ttl` seconds, findable by each of `tags` for purging."""

    async def head(self, key: str, size: int) -> bytes | None:
        """The first `size` bytes of the stored value, or None (missing, expired,
        unreachable): a cheap check that an entry is still the one a process has seen."""

    async def purge(self, tag: str) -> None:
        """Drop every entry stored with `tag`, for every instance sharing the store."""

    async def lock(self, key: str, ttl: float) -> bool:
        """Take the lock `key` for at most `ttl` seconds: True if this caller got it."""

    async def unlock(self, key: str) -> None:
        """Release a lock this caller took."""

    async def record(self, counts: Mapping[str, int]) -> None:
        """Add request counts by cache status (`HIT`, `MISS`…) to the store's statistics."""

    async def close(self) -> None:
        """Release connections."""
