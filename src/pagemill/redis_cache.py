"""The Redis backend of the response cache, shared by every worker and machine of a deployment.

Layout under the namespace `ns` (default "pagemill"):
- `ns:entry:<key>`: the stored bytes, expiring with their ttl (`SET ... PX`).
- `ns:tag:<tag>`: a sorted set of the entry keys stored with the tag, scored by when each
  expires (Redis server time, in ms). Each `set` drops the members already expired and
  makes the tag itself expire with its longest-lived member, so tags never outlive their
  entries and never grow without bound.
- `ns:lock:<key>`: a lock, holding a random token only its taker knows.
Keys or tags longer than `MAX_KEY_PART` characters are replaced by their SHA-256.

`set`, `purge` and `unlock` are small Lua scripts, so each is atomic. `purge` deletes keys
it reads from the tag set, which Redis Cluster does not allow: use one primary (with
replicas as you like), not a cluster.

Every call is bounded by `timeout` and never raises: with Redis unreachable the cache just
is not there (see `RedisCache`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError, ResponseError

from .cachebackend import CacheBackend

logger = logging.getLogger("pagemill")

T = TypeVar("T")

# Longer keys and tags are stored by their hash: Redis would take them, but each costs its
# length again in every tag set that names it.
MAX_KEY_PART = 200

# KEYS[1]: the entry; KEYS[2..]: its tags. ARGV[1]: the value; ARGV[2]: its ttl in ms.
# Server time, not the caller's clock, so that machines with skewed clocks agree.
_SET = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local expires = now + tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 2, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  redis.call('ZADD', KEYS[i], expires, KEYS[1])
  local last = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', KEYS[i], string.format('%d', tonumber(last[2])))
end
return 1
"""

# KEYS[1]: the tag. Deletes in slices: `unpack` of a huge list would overflow Lua's stack.
_PURGE = """
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
for i = 1, #members, 1000 do
  redis.call('DEL', unpack(members, i, math.min(i + 999, #members)))
end
redis.call('DEL', KEYS[1])
return #members
"""

# KEYS[1]: the lock; ARGV[1]: the token of whoever asks to release it.
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisCache:
    """A `CacheBackend` on Redis, shared by every process that uses the same `url` and
    `namespace`.

    `url` is a redis-py URL (`redis://[[user]:password@]host[:port][/db]`, `rediss://...`,
    `unix:///path.sock`). `timeout` bounds every call, connecting included. When Redis is
    unreachable, `get` misses, `set`, `purge` and `unlock` do nothing, and `lock` says
    True: each caller then runs gSSP itself, as it would without a cache, rather than wait
    on a lock nobody can take or release — unless a `fallback` backend is given (the
    machine-wide store, by default): then every call goes there while Redis is away, so an
    outage does not send every request to gSSP. Purges go to both. After Redis fails to
    answer, calls during the next `retry_after` seconds skip it at once instead of each
    paying `timeout`; the first call after that tries again, and the cache is back by
    itself when Redis is. A warning
    says so at most once every `warn_every` seconds, and an info line when it is back; no
    log line carries the URL's password.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 0.25,
        namespace: str = "pagemill",
        warn_every: float = 30.0,
        retry_after: float = 1.0,
        fallback: CacheBackend | None = None,
    ) -> None:
        self.timeout = timeout
        self.namespace = namespace
        self.warn_every = warn_every
        self.retry_after = retry_after
        self.where = redacted_url(url)
        self.fallback = fallback if fallback is not None else NoStore()
        # One immediate retry: a pooled connection that a restarted Redis closed fails
        # once, then the retry reconnects. `wait_for` bounds the whole anyway.
        self._client = Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 1),
        )
        self._set = self._client.register_script(_SET)
        self._purge = self._client.register_script(_PURGE)
        self._unlock = self._client.register_script(_UNLOCK)
        self._tokens: dict[str, str] = {}
        self._skip_until = 0.0
        self._last_warning: float | None = None
        self._outage_announced = False

    async def get(self, key: str) -> bytes | None:
        async def get() -> bytes | None:
            value = await self._client.get(self._key("entry", key))
            return value if isinstance(value, bytes) else None

        return await self._call(get, lambda: self.fallback.get(key))

    async def head(self, key: str, size: int) -> bytes | None:
        async def head() -> bytes | None:
            value = await self._client.getrange(self._key("entry", key), 0, size - 1)
            return value if isinstance(value, bytes) and value else None

        return await self._call(head, lambda: self.fallback.head(key, size))

    async def set(self, key: str, value: bytes, ttl: float, tags: Sequence[str]) -> None:
        if ttl <= 0:
            return
        keys = [self._key("entry", key), *(self._key("tag", tag) for tag in dict.fromkeys(tags))]
        await self._call(
            lambda: self._set(keys=keys, args=[value, _milliseconds(ttl)]),
            lambda: self.fallback.set(key, value, ttl, tags),
        )

    async def purge(self, tag: str) -> None:
        await self.fallback.purge(tag)  # what was stored there during an outage goes too
        await self._call(lambda: self._purge(keys=[self._key("tag", tag)]), _nothing)

    async def lock(self, key: str, ttl: float) -> bool:
        token = secrets.token_hex(16)
        name = self._key("lock", key)

        async def take() -> bool:
            # SET NX answers None when someone else holds the lock.
            return bool(await self._client.set(name, token, nx=True, px=_milliseconds(ttl)))

        async def take_here() -> bool:
            self._tokens.pop(key, None)
            return await self.fallback.lock(key, ttl)

        if not await self._call(take, take_here):
            return False
        # Kept on an outage too: if the SET landed before the timeout, `unlock` can undo it.
        self._tokens[key] = token
        return True

    async def unlock(self, key: str) -> None:
        token = self._tokens.pop(key, None)
        if token is None:
            await self.fallback.unlock(key)
            return
        await self._call(
            lambda: self._unlock(keys=[self._key("lock", key)], args=[token]), _nothing
        )

    async def record(self, counts: Mapping[str, int]) -> None:
        await self.fallback.record(counts)  # statistics are per machine

    async def close(self) -> None:
        with contextlib.suppress(RedisError, OSError, TimeoutError):
            await asyncio.wait_for(self._client.aclose(), self.timeout)

    def _key(self, kind: str, name: str) -> str:
        if len(name) > MAX_KEY_PART:
            name = "sha256:" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
        return f"{self.namespace}:{kind}:{name}"

    async def _call(
        self, operation: Callable[[], Awaitable[T]], instead: Callable[[], Awaitable[T]]
    ) -> T:
        """`operation()` within `timeout`, or `instead()` if Redis fails or is being skipped."""
        if time.monotonic() < self._skip_until:
            return await instead()
        try:
            result = await asyncio.wait_for(operation(), self.timeout)
        except (RedisError, OSError, TimeoutError) as error:
            self._failed(error)
            return await instead()
        if self._outage_announced:
            self._outage_announced = False
            logger.info("response cache: Redis at %s is back; caching again", self.where)
        return result

    def _failed(self, error: BaseException) -> None:
        now = time.monotonic()
        # An error reply comes from a Redis that answers (one out of memory, say): later
        # calls may well work. Anything else means nobody sensible is listening.
        if not isinstance(error, ResponseError):
            self._skip_until = now + self.retry_after
        if self._last_warning is None or now - self._last_warning >= self.warn_every:
            self._last_warning = now
            self._outage_announced = True
            logger.warning(
                "response cache: Redis at %s unreachable (%s); serving without the cache",
                self.where,
                _describe(error),
            )


class NoStore:
    """What stands in for Redis during an outage without a fallback: nothing is kept, and
    every lock is granted (each caller runs gSSP, as without a cache)."""

    async def get(self, key: str) -> bytes | None:
        return None

    async def head(self, key: str, size: int) -> bytes | None:
        return None

    async def set(self, key: str, value: bytes, ttl: float, tags: Sequence[str]) -> None:
        return None

    async def purge(self, tag: str) -> None:
        return None

    async def lock(self, key: str, ttl: float) -> bool:
        return True

    async def unlock(self, key: str) -> None:
        return None

    async def record(self, counts: Mapping[str, int]) -> None:
        return None

    async def close(self) -> None:
        return None


async def _nothing() -> None:
    return None


def redacted_url(url: str) -> str:
    """`url` without user, password or query (where redis-py also accepts a password)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<invalid url>"
    if ":" in host:
        host = f"[{host}]"
    if port is not None:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}{parts.path}"


def _describe(error: BaseException) -> str:
    """The error's class and message; a bare timeout from `wait_for` has no message."""
    message = str(error)
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _milliseconds(seconds: float) -> int:
    # PX must be a positive integer: round up, so nothing lives shorter than asked.
    return max(1, math.ceil(seconds * 1000))
