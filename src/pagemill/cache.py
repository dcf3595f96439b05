"""The response cache: how concurrent misses and stale hits run `get_server_side_props`
exactly once, how a failing gSSP is answered from a stored copy, and which backend an app
uses. The rules it applies are in `pagemill.cacherules`, the entry format in
`pagemill.cacheentry`; backends: `machine_cache` (default), `memory_cache`, `redis_cache`.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, Literal

import orjson

from .cachebackend import CacheBackend
from .cacheentry import STAMP_SIZE, Answer, Entry, Stored
from .cacherules import Lifetime, freshness, path_tag
from .config import CacheConfig
from .memory_cache import MemoryCache

logger = logging.getLogger("pagemill")

# How long one gSSP run may hold the lock others wait on before they run it themselves.
RUN_LOCK_SECONDS = 10.0
WAIT_STEP_SECONDS = 0.02
# A URL whose answer could not be shared skips the cache this long (no lookup, no lock).
PRIVATE_MEMORY_SECONDS = 5.0
URL_MEMORY_LIMIT = 100_000
# While gSSP fails and a stored copy stands in, it is retried at most this often.
ERROR_RETRY_SECONDS = 5.0
COUNT_FLUSH_SECONDS = 1.0

Status = Literal["HIT", "STALE", "MISS"]
# A gSSP run: its outcome, how long it may be kept (None: not at all), the headers it varies on.
Run = Callable[[], Awaitable[tuple[Entry, Lifetime | None, tuple[str, ...]]]]
# The full key once the varied request headers are known.
KeyFor = Callable[[tuple[str, ...]], str]
# A run that also says the key its outcome belongs under.
Store = Callable[[], Awaitable[tuple[Entry, Lifetime | None, str]]]


class ResponseCache:
    """Outcomes of gSSP shared by every request for one key, over one backend.

    `run` computes an outcome and says how long it may be kept (None: not at all). An
    outcome is only ever shared — stored, or handed to requests waiting on the same miss —
    when it may be kept: a private answer goes to the request that ran it and no other.
    """

    def __init__(
        self,
        backend: CacheBackend,
        clock: Callable[[], float] = time.time,
        *,
        wait_seconds: float = RUN_LOCK_SECONDS,
    ) -> None:
        self.backend = backend
        self.clock = clock
        # The longest a request waits on another's run of the same miss before running its own.
        self.wait_seconds = wait_seconds
        self._misses: dict[str, asyncio.Future[tuple[Entry, bool]]] = {}
        self._refreshing: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        # The Vary names of base keys whose answer was shared; a base key absent here (and
        # from the backend) has never been shared, and its misses are not coalesced.
        self._vary: dict[str, tuple[str, ...]] = {}
        # Keys whose gSSP failed while a stored copy could stand in, until the next retry.
        self._failing: dict[str, float] = {}
        # Base keys whose last answer could not be shared, until when: their requests skip
        # the cache (no lookup, no lock, no waiting on each other).
        self._private_until: dict[bytes, float] = {}
        self._counts: Counter[str] = Counter()
        _caches.add(self)

    def count(self, status: bytes) -> None:
        """Count a request's cache status; the counts reach the backend within a second."""
        if not self._counts:
            asyncio.get_running_loop().call_later(COUNT_FLUSH_SECONDS, self._record_counts)
        self._counts[status.decode()] += 1

    def _record_counts(self) -> None:
        counts, self._counts = self._counts, Counter()
        self._spawn(self.backend.record(counts))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def recently_private(self, target: bytes) -> bool:
        """Whether the last answer for this request target (path and query) could not be
        shared, a few seconds ago at most: then the cache is not worth asking."""
        return self._private_until.get(target, 0.0) > self.clock()

    def forget_private(self, target: bytes) -> None:
        self._private_until.pop(target, None)

    async def outcome(
        self, target: bytes, base: str, key_for: KeyFor, tags: Sequence[str], run: Run
    ) -> tuple[Entry, Status]:
        """The outcome for a request, from the cache or from `run`, and which it was.

        `base` identifies the response but for the request headers its `Vary` names; those
        names are remembered per base key (beside the entries, so every instance knows them).
        `target` is the request's raw path and query, remembered when its answer is private.
        """
        varies = await self._varies(base)
        key = key_for(varies or ())
        raw = await self.backend.get(key)
        stored = Stored.decode(raw) if raw is not None else None
        store = self._storing(target, base, key_for, varies, run)
        if stored is not None:
            stored.outcome.kept = (key, tags, stored)
            state = freshness(stored.stored_at, stored.life, self.clock())
            if state == "fresh":
                return stored.outcome, "HIT"
            if state == "stale":
                self._refresh_in_background(key, tags, store)
                return stored.outcome, "STALE"
            if state == "error":
                return await self._run_or_stale(key, tags, store, stored)
        if varies is None:  # never shared: nobody waits on another's (likely private) answer
            return await self._run_and_store(tags, store), "MISS"
        return await self._coalesced_miss(key, tags, store), "MISS"

    async def purge(self, tag: str) -> None:
        await self.backend.purge(tag)

    async def stamp(self, key: str) -> bytes | None:
        """The stamp of the entry stored under `key` (`Stored.stamp`), None when gone."""
        return await self.backend.head(key, STAMP_SIZE)

    async def keep_form(self, entry: Entry, name: str, answer: Answer) -> None:
        """Add an answer rendered from a stored entry to it, for the rest of its lifetime, so
        the next request in that form reads it as it is."""
        entry.forms[name] = answer
        if entry.kept is None:
            return  # not answered from the store (another request's run): nothing to update
        key, tags, stored = entry.kept
        remaining = stored.life.kept - (self.clock() - stored.stored_at)
        if remaining > 0:
            await self.backend.set(key, stored.encode(), remaining, tags)

    async def _run_or_stale(
        self, key: str, tags: Sequence[str], store: Store, stored: Stored
    ) -> tuple[Entry, Status]:
        """Run a miss whose old copy may still stand in if gSSP fails (`stale-if-error`);
        once it has failed, requests get the copy at once and gSSP is retried in the
        background at most once per `ERROR_RETRY_SECONDS` until it succeeds."""
        retry_at = self._failing.get(key)
        if retry_at is not None:
            if retry_at <= self.clock():
                self._failing[key] = self.clock() + ERROR_RETRY_SECONDS
                self._refresh_in_background(key, tags, store)
            return stored.outcome, "STALE"
        try:
            return await self._coalesced_miss(key, tags, store), "MISS"
        except Exception:
            logger.exception("response cache: gSSP failed; serving the stored copy instead")
            if len(self._failing) >= URL_MEMORY_LIMIT:
                self._failing.clear()
            self._failing[key] = self.clock() + ERROR_RETRY_SECONDS
            return stored.outcome, "STALE"

    async def _varies(self, base: str) -> tuple[str, ...] | None:
        """The Vary names of a base key that was shared, or None if it never was."""
        known = self._vary.get(base)
        if known is None:
            raw = await self.backend.get(f"vary:{base}")
            if raw is None:
                return None
            known = self._remember_vary(base, tuple(orjson.loads(raw)))
        return known

    def _remember_vary(self, base: str, names: tuple[str, ...]) -> tuple[str, ...]:
        if len(self._vary) >= URL_MEMORY_LIMIT:
            self._vary.clear()  # a copy of what the backend keeps: forgetting it is safe
        self._vary[base] = names
        return names

    def _storing(
        self, target: bytes, base: str, key_for: KeyFor, varies: tuple[str, ...] | None, run: Run
    ) -> Store:
        """`run`, then note whether its outcome may be shared and the key to store it under
        (its own `Vary` decides)."""

        async def run_and_key() -> tuple[Entry, Lifetime | None, str]:
            outcome, life, names = await run()
            if life is None:
                if len(self._private_until) > URL_MEMORY_LIMIT:
                    self._private_until.clear()  # only a hint: forgetting it is safe
                self._private_until[target] = self.clock() + PRIVATE_MEMORY_SECONDS
                return outcome, None, ""  # never stored: no key needed
            self._private_until.pop(target, None)
            if names != varies:
                self._remember_vary(base, names)
                await self.backend.set(f"vary:{base}", orjson.dumps(names), life.kept, ())
            return outcome, life, key_for(names)

        return run_and_key

    async def _coalesced_miss(self, key: str, tags: Sequence[str], run: Store) -> Entry:
        pending = self._misses.get(key)
        if pending is not None:  # the same miss in this process: share its run if shareable
            try:
                outcome, shareable = await asyncio.wait_for(
                    asyncio.shield(pending), self.wait_seconds
                )
            except TimeoutError:  # it runs too long: this request runs its own
                shareable = False
            if shareable:
                return outcome
            return await self._run_and_store(tags, run)
        future: asyncio.Future[tuple[Entry, bool]] = asyncio.get_running_loop().create_future()
        self._misses[key] = future
        try:
            outcome, shareable = await self._miss_across_instances(key, tags, run)
        except BaseException:
            future.set_result((Entry(), False))  # failed or cancelled: each waiter runs its own
            raise
        else:
            future.set_result((outcome, shareable))
            return outcome
        finally:
            del self._misses[key]

    async def _miss_across_instances(
        self, key: str, tags: Sequence[str], run: Store
    ) -> tuple[Entry, bool]:
        lock = f"run:{key}"
        if not await self.backend.lock(lock, RUN_LOCK_SECONDS):
            # Another instance runs it: wait for its stored result, within the bound.
            deadline = self.clock() + self.wait_seconds
            while self.clock() < deadline:
                await asyncio.sleep(WAIT_STEP_SECONDS)
                raw = await self.backend.get(key)
                stored = Stored.decode(raw) if raw is not None else None
                if stored is not None:
                    return stored.outcome, True
                if await self.backend.lock(lock, RUN_LOCK_SECONDS):
                    break  # its run ended without storing: run it here
        try:
            # Another instance may have stored it between this one's lookup and its lock.
            stored = await self._fresh(key)
            if stored is not None:
                return stored.outcome, True
            outcome, life, key = await run()
            if life is not None:
                await self._store(key, tags, outcome, life)
            return outcome, life is not None
        finally:
            await self.backend.unlock(lock)

    async def _run_and_store(self, tags: Sequence[str], run: Store) -> Entry:
        outcome, life, key = await run()
        if life is not None:
            await self._store(key, tags, outcome, life)
        return outcome

    async def _store(self, key: str, tags: Sequence[str], outcome: Entry, life: Lifetime) -> None:
        stored = Stored(outcome, self.clock(), life)
        await self.backend.set(key, stored.encode(), life.kept, tags)

    async def _fresh(self, key: str) -> Stored | None:
        """The entry stored under `key` if it is fresh, else None."""
        raw = await self.backend.get(key)
        stored = Stored.decode(raw) if raw is not None else None
        if stored is None or freshness(stored.stored_at, stored.life, self.clock()) != "fresh":
            return None
        return stored

    def _refresh_in_background(self, key: str, tags: Sequence[str], run: Store) -> None:
        if key in self._refreshing:
            return
        self._refreshing.add(key)

        async def refresh() -> None:
            try:
                if await self.backend.lock(f"refresh:{key}", RUN_LOCK_SECONDS):
                    try:
                        # Another process may have refreshed it between our read and our lock.
                        if await self._fresh(key) is None:
                            await self._run_and_store(tags, run)
                        self._failing.pop(key, None)
                    finally:
                        await self.backend.unlock(f"refresh:{key}")
            except Exception:
                logger.exception("response cache: refreshing a stale entry failed")
            finally:
                self._refreshing.discard(key)

        self._spawn(refresh())


_caches: weakref.WeakSet[ResponseCache] = weakref.WeakSet()


async def revalidate(path: str) -> None:
    """Drop every cached variant of the page at `path` (e.g. `/blog/hello`), in every cache
    of this process, and, with Redis, on every instance sharing it."""
    for cache in list(_caches):
        await cache.purge(path_tag(path))


def make_cache(
    settings: CacheConfig, build_dir: Path, build_id: str, gssp_timeout: float = 0
) -> ResponseCache:
    """The app's response cache: Redis when `[cache] url` names one, this process's memory
    for `memory://`, else the machine-wide store in `[cache] dir` (default `build_dir/cache`).
    A request waits on another's run of the same miss at most `gssp_timeout` (if set)."""
    wait = gssp_timeout or RUN_LOCK_SECONDS
    if settings.url == "memory://":
        memory = MemoryCache(settings.max_entries, settings.max_bytes)
        return ResponseCache(memory, wait_seconds=wait)
    from .machine_cache import MachineCache

    folder = cache_folder(settings, build_dir)
    machine = MachineCache(folder, build_id, settings.max_entries, settings.max_bytes)
    if not settings.url:
        return ResponseCache(machine, wait_seconds=wait)
    from .redis_cache import RedisCache

    # While Redis is away, the machine's own store stands in for it.
    return ResponseCache(RedisCache(settings.url, fallback=machine), wait_seconds=wait)


def cache_folder(settings: CacheConfig, build_dir: Path) -> Path:
    """Where the machine-wide store lives: `[cache] dir` (relative to the app), else the
    build output's `cache/`."""
    return build_dir.parent / settings.dir if settings.dir else build_dir / "cache"


def describe_cache(settings: CacheConfig, build_dir: Path) -> str:
    """Which response cache an app uses, in a few words for the startup line."""
    if settings.url == "memory://":
        return "in each worker's memory (memory://)"
    folder = cache_folder(settings, build_dir)
    if settings.url:
        from .redis_cache import redacted_url

        return f"Redis at {redacted_url(settings.url)}, this machine's {folder} while it is away"
    return f"one for this machine, in {folder}"
