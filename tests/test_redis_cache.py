"""RedisCache against a real redis-server: storage, expiry, purge, locks, and outages."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest
from conftest import RedisServer, free_port
from redis.asyncio import Redis

from pagemill.redis_cache import RedisCache

T = TypeVar("T")

CacheFactory = Callable[..., RedisCache]

pytestmark = pytest.mark.anyio


@pytest.fixture
async def make_cache(redis_server: RedisServer) -> AsyncIterator[CacheFactory]:
    """`make_cache(**options)`: a RedisCache on the test's server, closed afterwards. Two
    of them stand for two machines sharing one Redis."""
    caches: list[RedisCache] = []

    def make(**options: Any) -> RedisCache:
        cache = RedisCache(redis_server.url, **options)
        caches.append(cache)
        return cache

    yield make
    for cache in caches:
        await cache.close()


@pytest.fixture
async def raw(redis_server: RedisServer) -> AsyncIterator[Redis]:
    """A plain client, to look at what the cache left in Redis."""
    client = Redis.from_url(redis_server.url)
    yield client
    await client.aclose()


async def bounded(call: Awaitable[T]) -> T:
    """`call`, failing the test if it hangs instead of giving up within its timeout."""
    return await asyncio.wait_for(call, 5)


def pagemill_records(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "pagemill" and r.levelno == level]


@pytest.fixture(autouse=True)
def propagating_logger(monkeypatch: pytest.MonkeyPatch) -> None:
    # `configure_logging` (the production server) stops propagation, which caplog needs.
    monkeypatch.setattr(logging.getLogger("pagemill"), "propagate", True)


async def test_set_then_get_round_trips_bytes(make_cache: CacheFactory) -> None:
    cache = make_cache()
    value = bytes(range(256)) * 10
    await cache.set("page", value, 60, ["/a"])
    assert await cache.get("page") == value
    assert await cache.get("missing") is None


async def test_another_instance_sees_the_entry(make_cache: CacheFactory) -> None:
    one, two = make_cache(), make_cache()
    await one.set("page", b"shared", 60, [])
    assert await two.get("page") == b"shared"


async def test_namespaces_keep_deployments_apart(make_cache: CacheFactory) -> None:
    blue, green = make_cache(namespace="blue"), make_cache(namespace="green")
    await blue.set("page", b"blue", 60, ["/a"])
    assert await green.get("page") is None
    await green.purge("/a")
    assert await blue.get("page") == b"blue"


async def test_long_keys_and_tags_work_and_stay_distinct(make_cache: CacheFactory) -> None:
    cache = make_cache()
    first, second = "k" * 10_000 + "1", "k" * 10_000 + "2"
    tag = "/" + "t" * 5_000
    await cache.set(first, b"one", 60, [tag])
    await cache.set(second, b"two", 60, [])
    assert await cache.get(first) == b"one"
    assert await cache.get(second) == b"two"
    await cache.purge(tag)
    assert await cache.get(first) is None
    assert await cache.get(second) == b"two"


async def test_entries_and_their_tags_expire(make_cache: CacheFactory, raw: Redis) -> None:
    cache = make_cache()
    await cache.set("page", b"soon gone", 0.2, ["/a", "/b"])
    assert await cache.get("page") == b"soon gone"
    await asyncio.sleep(0.5)
    assert await cache.get("page") is None
    assert await raw.keys("pagemill:*") == []


async def test_a_tag_forgets_expired_entries(make_cache: CacheFactory, raw: Redis) -> None:
    cache = make_cache()
    await cache.set("short", b"1", 0.2, ["/a"])
    await cache.set("long", b"2", 60, ["/a"])
    await asyncio.sleep(0.5)
    await cache.set("new", b"3", 60, ["/a"])
    members = await raw.zrange("pagemill:tag:/a", 0, -1)
    assert sorted(members) == [b"pagemill:entry:long", b"pagemill:entry:new"]
    assert await raw.pttl("pagemill:tag:/a") > 50_000


async def test_purge_drops_every_variant_of_a_tag_and_nothing_else(
    make_cache: CacheFactory, raw: Redis
) -> None:
    one, two = make_cache(), make_cache()
    for variant in ("en", "fr", "de"):
        await one.set(f"/a?{variant}", variant.encode(), 60, ["/a"])
    await one.set("both", b"both", 60, ["/a", "/b"])
    await one.set("/b", b"b", 60, ["/b"])
    await two.purge("/a")
    for key in ("/a?en", "/a?fr", "/a?de", "both"):
        assert await one.get(key) is None
    assert await one.get("/b") == b"b"
    assert not await raw.exists("pagemill:tag:/a")
    await two.purge("/never-used")
    assert await one.get("/b") == b"b"


async def test_lock_is_exclusive_across_instances_and_expires(make_cache: CacheFactory) -> None:
    one, two = make_cache(), make_cache()
    assert await one.lock("run:page", 0.3)
    assert not await two.lock("run:page", 0.3)
    assert not await one.lock("run:page", 0.3)
    await asyncio.sleep(0.6)
    assert await two.lock("run:page", 5)


async def test_concurrent_lockers_get_one_lock(make_cache: CacheFactory) -> None:
    caches = [make_cache() for _ in range(5)]
    taken = await asyncio.gather(*(cache.lock("run:page", 5) for cache in caches))
    assert taken.count(True) == 1


async def test_unlock_releases_only_its_own_lock(make_cache: CacheFactory) -> None:
    one, two, three = make_cache(), make_cache(), make_cache()
    assert await one.lock("run:page", 5)
    await two.unlock("run:page")
    assert not await three.lock("run:page", 5)
    await one.unlock("run:page")
    assert await two.lock("run:page", 5)

    # A lock that expired and went to someone else is no longer the first taker's to drop.
    assert await one.lock("run:other", 0.2)
    await asyncio.sleep(0.4)
    assert await two.lock("run:other", 5)
    await one.unlock("run:other")
    assert not await three.lock("run:other", 5)


async def test_a_dead_redis_costs_the_cache_not_the_request(
    make_cache: CacheFactory, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    cache = make_cache(retry_after=0.0, warn_every=60.0)
    await cache.set("page", b"cached", 60, ["/a"])
    assert await cache.lock("run:held", 60)
    redis_server.stop()

    with caplog.at_level(logging.INFO, logger="pagemill"):
        assert await bounded(cache.get("page")) is None
        assert await bounded(cache.set("page", b"new", 60, ["/a"])) is None
        assert await bounded(cache.lock("run:page", 5)) is True
        assert await bounded(cache.purge("/a")) is None
        assert await bounded(cache.unlock("run:held")) is None
        assert await bounded(cache.get("page")) is None
    [warning] = pagemill_records(caplog, logging.WARNING)
    assert f"Redis at {redis_server.url} unreachable" in warning
    assert "serving without the cache" in warning
    assert pagemill_records(caplog, logging.INFO) == []

    redis_server.start()
    with caplog.at_level(logging.INFO, logger="pagemill"):
        await bounded(cache.set("page", b"again", 60, ["/a"]))
        assert await cache.get("page") == b"again"
        assert await cache.lock("run:page", 5)
        assert not await make_cache().lock("run:page", 5)
    [back] = pagemill_records(caplog, logging.INFO)
    assert f"Redis at {redis_server.url} is back" in back
    assert len(pagemill_records(caplog, logging.WARNING)) == 1


async def test_a_hung_redis_times_out(
    make_cache: CacheFactory, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    cache = make_cache(retry_after=0.0, timeout=0.2)
    await cache.set("page", b"cached", 60, [])
    assert redis_server.process is not None
    pid = redis_server.process.pid
    # A stopped process still accepts connections (the kernel does) but never answers.
    os.kill(pid, signal.SIGSTOP)
    try:
        with caplog.at_level(logging.WARNING, logger="pagemill"):
            assert await bounded(cache.get("page")) is None
            assert await bounded(cache.lock("run:page", 5)) is True
            assert await bounded(cache.set("page", b"new", 60, [])) is None
    finally:
        os.kill(pid, signal.SIGCONT)
    [warning] = pagemill_records(caplog, logging.WARNING)
    assert "unreachable" in warning
    # The timed-out set never landed, or landed late; either way the cache answers again.
    assert await cache.get("page") in (b"cached", b"new")


async def test_after_a_failure_redis_is_skipped_for_retry_after(
    make_cache: CacheFactory, redis_server: RedisServer, raw: Redis
) -> None:
    cache = make_cache(retry_after=60.0)
    redis_server.stop()
    assert await bounded(cache.get("page")) is None
    redis_server.start()
    # Within retry_after nothing goes to Redis, even though it is back.
    await cache.set("page", b"skipped", 60, [])
    assert await cache.get("page") is None
    assert await raw.keys("pagemill:*") == []


async def test_warnings_never_show_the_password(caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()  # nothing listens there
    cache = RedisCache(f"redis://user:s3cret-pw@127.0.0.1:{port}/2", timeout=0.2)
    try:
        with caplog.at_level(logging.WARNING, logger="pagemill"):
            assert await bounded(cache.get("page")) is None
    finally:
        await cache.close()
    [warning] = pagemill_records(caplog, logging.WARNING)
    assert f"Redis at redis://127.0.0.1:{port}/2 unreachable" in warning
    assert "s3cret" not in caplog.text
    assert "user" not in caplog.text


async def test_an_error_reply_does_not_make_the_cache_skip_redis(
    make_cache: CacheFactory, raw: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    cache = make_cache(retry_after=60.0)
    await raw.lpush("pagemill:entry:page", b"not a string")  # WRONGTYPE for GET
    with caplog.at_level(logging.WARNING, logger="pagemill"):
        assert await bounded(cache.get("page")) is None
    assert "WRONGTYPE" in pagemill_records(caplog, logging.WARNING)[0]
    await cache.set("page", b"fine", 60, [])
    assert await cache.get("page") == b"fine"
