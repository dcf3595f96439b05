"""The per-process backend of the response cache (`[cache] url = "memory://"`): this process's
memory, bounded by entries and bytes, least recently used first."""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence


class MemoryCache:
    """This process's memory, bounded by entries and bytes, least recently used dropped first."""

    def __init__(self, max_entries: int, max_bytes: int, clock: Callable[[], float] = time.time):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.clock = clock
        self._entries: OrderedDict[str, tuple[float, bytes, tuple[str, ...]]] = OrderedDict()
        self._tagged: dict[str, set[str]] = {}
        self._locks: dict[str, float] = {}
        self._bytes = 0
        self.counts: Counter[str] = Counter()

    async def get(self, key: str) -> bytes | None:
        found = self._entries.get(key)
        if found is None:
            return None
        if found[0] <= self.clock():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return found[1]

    async def head(self, key: str, size: int) -> bytes | None:
        found = self._entries.get(key)
        return found[1][:size] if found is not None and found[0] > self.clock() else None

    async def set(self, key: str, value: bytes, ttl: float, tags: Sequence[str]) -> None:
        if len(value) > self.max_bytes:
            return
        self._drop(key)
        self._entries[key] = (self.clock() + ttl, value, tuple(tags))
        self._bytes += len(value)
        for tag in tags:
            self._tagged.setdefault(tag, set()).add(key)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    async def purge(self, tag: str) -> None:
        for key in list(self._tagged.get(tag, ())):
            self._drop(key)

    async def lock(self, key: str, ttl: float) -> bool:
        now = self.clock()
        if self._locks.get(key, 0.0) > now:
            return False
        self._locks[key] = now + ttl
        return True

    async def unlock(self, key: str) -> None:
        self._locks.pop(key, None)

    async def record(self, counts: Mapping[str, int]) -> None:
        self.counts.update(counts)

    async def close(self) -> None:
        self._entries.clear()

    def _drop(self, key: str) -> None:
        found = self._entries.pop(key, None)
        if found is None:
            return
        self._bytes -= len(found[1])
        for tag in found[2]:
            keys = self._tagged.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._tagged[tag]

    def __len__(self) -> int:
        return len(self._entries)
