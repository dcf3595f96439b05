"""The response cache: rules with an injected clock, the cache's mechanics, and
what a client sees over HTTP (`x-pagemill-cache`, gSSP runs) with the memory backend."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from conftest import next_data

from pagemill.app import Pagemill, load_pagemill, wrap
from pagemill.cache import ResponseCache, revalidate
from pagemill.cacheentry import Entry, Stored
from pagemill.cacherules import (
    DEFAULT_STALE_IF_ERROR,
    UNBOUNDED_STALE,
    Lifetime,
    cache_key,
    freshness,
    lifetime,
    path_tag,
)
from pagemill.machine_cache import MachineCache
from pagemill.memory_cache import MemoryCache

APP = Path(__file__).parent / "apps" / "cache"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- Rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("public, s-maxage=10, stale-while-revalidate=59", Lifetime(10, 59)),
        ("s-maxage=10", Lifetime(10, 0)),
        ("public, max-age=30", Lifetime(30, 0)),
        ("max-age=30", None),  # browser-only without public
        ("public, s-maxage=10, stale-while-revalidate", Lifetime(10, UNBOUNDED_STALE)),
        ("private, s-maxage=10", None),
        ("public, s-maxage=10, no-store", None),
        ("no-cache, s-maxage=10", None),
        ("private, no-cache, no-store, max-age=0, must-revalidate", None),
        ("public, s-maxage=0", None),
        ("public", None),
        (None, None),
        ("PUBLIC, S-MAXAGE=5", Lifetime(5, 0)),
    ],
)
def test_lifetime_from_cache_control(header: str | None, expected: Lifetime | None) -> None:
    assert lifetime(header, sets_cookie=False, authorization=False) == expected


def test_never_stored_when_setting_cookies_or_authorized_unless_public() -> None:
    assert lifetime("public, s-maxage=10", sets_cookie=True, authorization=False) is None
    assert lifetime("s-maxage=10", sets_cookie=False, authorization=True) is None
    assert lifetime("public, s-maxage=10", sets_cookie=False, authorization=True) == Lifetime(10, 0)


def test_freshness_over_time() -> None:
    life = Lifetime(10, 59)
    assert freshness(100, life, 109.9) == "fresh"
    assert freshness(100, life, 110) == "stale"
    assert freshness(100, life, 168.9) == "stale"
    assert freshness(100, life, 169) == "error"  # still the answer if gSSP fails
    assert freshness(100, life, 168 + DEFAULT_STALE_IF_ERROR) == "error"
    assert freshness(100, life, 169 + DEFAULT_STALE_IF_ERROR) == "expired"
    assert freshness(100, Lifetime(10, 59, 0), 169) == "expired"


def test_keys_differ_by_every_part_and_are_stable() -> None:
    parts = ("host", "", "en", "/blog/[slug]", {"slug": "a"}, [("x", "1")], "build")
    assert cache_key(*parts) == cache_key(*parts)
    for n in range(len(parts)):
        changed = list(parts)
        changed[n] = "other"
        assert cache_key(*changed) != cache_key(*parts)


def test_path_tags() -> None:
    assert path_tag("/blog/a?x=1") == path_tag("/blog/a/") == "/blog/a"
    assert path_tag("/") == "/"
    with pytest.raises(ValueError, match="starting with '/'"):
        path_tag("blog")


async def test_memory_cache_is_bounded_lru() -> None:
    clock = Clock()
    memory = MemoryCache(max_entries=2, max_bytes=100, clock=clock)
    await memory.set("a", b"1", 10, ["t"])
    await memory.set("b", b"2", 10, ["t"])
    assert await memory.get("a") == b"1"  # a is now the most recently used
    await memory.set("c", b"3", 10, [])
    assert (await memory.get("b"), len(memory)) == (None, 2)
    await memory.set("big", b"x" * 100, 10, [])  # over the byte bound with c: c goes
    assert await memory.get("a") is None and await memory.get("c") is None
    assert await memory.get("big") is not None
    clock.now += 11
    assert await memory.get("big") is None


# -- The cache's mechanics ---------------------------------------------------------------------


class Runs:
    """A gSSP stand-in that counts its runs."""

    def __init__(self, life: Lifetime | None = None, delay: float = 0, stored: bool = True):
        self.count = 0
        self.life = (life or Lifetime(10, 59)) if stored else None
        self.delay = delay

    async def __call__(self) -> tuple[Entry, Lifetime | None, tuple[str, ...]]:
        self.count += 1
        await asyncio.sleep(self.delay)
        return Entry({"n": self.count}), self.life, ()


async def look(cache: ResponseCache, *args: Any) -> tuple[dict[str, Any], str]:
    """`cache.outcome(*args)` with the entry's outcome decoded, to compare with a dict."""
    entry, status = await cache.outcome(*args)
    return entry.outcome, status


def key_for(names: tuple[str, ...]) -> str:
    return "key"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(clock: Clock) -> ResponseCache:
    return ResponseCache(MemoryCache(100, 10**6, clock=clock), clock=clock)


@pytest.mark.anyio
async def test_miss_hit_stale_refresh_then_miss(cache: ResponseCache, clock: Clock) -> None:
    run = Runs()
    assert await look(cache, b"t", "b", key_for, ["/p"], run) == ({"n": 1}, "MISS")
    assert await look(cache, b"t", "b", key_for, ["/p"], run) == ({"n": 1}, "HIT")
    clock.now += 11
    assert await look(cache, b"t", "b", key_for, ["/p"], run) == ({"n": 1}, "STALE")
    await asyncio.sleep(0.01)  # the one background refresh
    assert run.count == 2
    assert await look(cache, b"t", "b", key_for, ["/p"], run) == ({"n": 2}, "HIT")
    clock.now += 10 + 59 + 1
    assert await look(cache, b"t", "b", key_for, ["/p"], run) == ({"n": 3}, "MISS")


@pytest.mark.anyio
async def test_concurrent_stale_hits_refresh_once(cache: ResponseCache, clock: Clock) -> None:
    run = Runs(delay=0.05)
    await look(cache, b"t", "b", key_for, [], run)
    clock.now += 11
    answers = await asyncio.gather(*(look(cache, b"t", "b", key_for, [], run) for _ in range(20)))
    assert {status for _, status in answers} == {"STALE"}
    await asyncio.sleep(0.1)
    assert run.count == 2


@pytest.mark.anyio
async def test_concurrent_misses_of_a_shared_key_run_once(
    cache: ResponseCache, clock: Clock
) -> None:
    run = Runs(delay=0.05)
    await look(cache, b"t", "b", key_for, [], run)  # shared once: now known to be shareable
    clock.now += 100  # expired
    answers = await asyncio.gather(*(look(cache, b"t", "b", key_for, [], run) for _ in range(25)))
    assert run.count == 2
    assert all(outcome == {"n": 2} for outcome, _ in answers)


@pytest.mark.anyio
async def test_misses_of_a_key_never_shared_do_not_wait_on_each_other(
    cache: ResponseCache,
) -> None:
    run = Runs(delay=0.05)
    await asyncio.gather(*(look(cache, b"t", "b", key_for, [], run) for _ in range(5)))
    assert run.count == 5  # each ran its own: none waited for another's answer


@pytest.mark.anyio
async def test_a_waiter_runs_its_own_when_the_shared_run_hangs(clock: Clock) -> None:
    cache = ResponseCache(MemoryCache(100, 10**6, clock=clock), clock=clock, wait_seconds=0.1)
    await look(cache, b"t", "b", key_for, [], Runs())
    clock.now += 1000  # past every window: a plain miss
    hung, quick = Runs(delay=3600), Runs()
    first = asyncio.create_task(look(cache, b"t", "b", key_for, [], hung))
    await asyncio.sleep(0.01)
    with anyio.fail_after(2):
        outcome, status = await look(cache, b"t", "b", key_for, [], quick)
    assert (outcome, status, quick.count) == ({"n": 1}, "MISS", 1)
    first.cancel()


@pytest.mark.anyio
async def fails() -> tuple[Entry, Lifetime | None, tuple[str, ...]]:
    await asyncio.sleep(0.05)
    raise RuntimeError("database down")


@pytest.mark.anyio
async def test_a_failed_shared_run_releases_its_waiters(cache: ResponseCache, clock: Clock) -> None:
    await look(cache, b"t", "b", key_for, [], Runs())
    clock.now += 1000  # past every window: a plain miss

    quick = Runs()
    failing = asyncio.create_task(look(cache, b"t", "b", key_for, [], fails))
    await asyncio.sleep(0.01)
    outcome, _ = await look(cache, b"t", "b", key_for, [], quick)
    assert (outcome, quick.count) == ({"n": 1}, 1)
    with pytest.raises(RuntimeError):
        await failing


@pytest.mark.anyio
async def test_not_stored_outcomes_run_every_time(cache: ResponseCache) -> None:
    run = Runs(stored=False)
    await look(cache, b"t", "b", key_for, [], run)
    assert await look(cache, b"t", "b", key_for, [], run) == ({"n": 2}, "MISS")


@pytest.mark.anyio
async def test_purge_drops_every_variant(cache: ResponseCache) -> None:
    run = Runs()
    for variant in ("one", "two"):
        await look(cache, b"t", variant, lambda names, v=variant: v, ["/p"], run)
    await revalidate("/p")
    assert (await look(cache, b"t", "one", lambda names: "one", ["/p"], run))[1] == "MISS"


# -- Over HTTP, on each backend -----------------------------------------------------------------


@pytest.fixture(params=["machine", "memory", "redis"])
async def app(
    request: pytest.FixtureRequest,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    anyio_backend: str,
) -> AsyncIterator[tuple[Pagemill, httpx.AsyncClient]]:
    """The cache app over each backend; the cache's clock is the test's (Redis keeps its own
    time for expiry, longer than any test here)."""
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        monkeypatch.setenv("PAGEMILL_CACHE_URL", server.url)
    elif request.param == "memory":
        monkeypatch.setenv("PAGEMILL_CACHE_URL", "memory://")
    pagemill = load_pagemill(APP)
    assert pagemill.cache is not None
    pagemill.cache.clock = clock
    backend = pagemill.cache.backend
    if isinstance(backend, MemoryCache | MachineCache):
        backend.clock = clock
    transport = httpx.ASGITransport(app=wrap(pagemill))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield pagemill, client
    await backend.close()


def ran(response: httpx.Response) -> int:
    return int(next_data(response.text)["props"]["pageProps"]["n"])


pytestmark = pytest.mark.anyio


async def test_http_miss_then_hit_then_stale(
    app: tuple[Pagemill, httpx.AsyncClient], clock: Clock
) -> None:
    _, client = app
    first = await client.get("/swr")
    assert first.headers["x-pagemill-cache"] == "MISS"
    assert first.headers["cache-control"] == "public, s-maxage=10, stale-while-revalidate=59"
    second = await client.get("/swr")
    assert (second.headers["x-pagemill-cache"], ran(second)) == ("HIT", ran(first))
    clock.now += 11
    stale = await client.get("/swr")
    assert (stale.headers["x-pagemill-cache"], ran(stale)) == ("STALE", ran(first))
    await asyncio.sleep(0.05)
    refreshed = await client.get("/swr")
    assert (refreshed.headers["x-pagemill-cache"], ran(refreshed)) == ("HIT", ran(first) + 1)


async def test_html_and_data_share_one_entry(app: tuple[Pagemill, httpx.AsyncClient]) -> None:
    _, client = app
    html = await client.get("/swr?share=1")
    build = next_data(html.text)["buildId"]
    data = await client.get(f"/_next/data/{build}/swr.json?share=1")
    assert data.headers["x-pagemill-cache"] == "HIT"
    assert data.json()["pageProps"]["n"] == ran(html)


def stored_forms(pagemill: Pagemill) -> list[set[str]]:
    """The forms stored with each page entry of a memory-backed cache."""
    assert pagemill.cache is not None
    backend = pagemill.cache.backend
    assert isinstance(backend, MemoryCache)
    entries = [Stored.decode(value) for _, value, _ in backend._entries.values()]
    return [set(stored.outcome.forms) for stored in entries if stored is not None]


async def test_each_form_is_rendered_once_when_first_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAGEMILL_CACHE_URL", "memory://")
    pagemill = load_pagemill(APP)
    transport = httpx.ASGITransport(app=wrap(pagemill))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        html = await client.get("/swr")
        assert stored_forms(pagemill) == [{"html"}]  # the miss rendered only what it sent
        data_url = f"/_next/data/{next_data(html.text)['buildId']}/swr.json"
        for _ in range(2):
            data = await client.get(data_url)
            assert data.headers["x-pagemill-cache"] == "HIT"
        assert stored_forms(pagemill) == [{"html", "data"}]
        marked = await client.get(data_url, headers={"x-pagemill-render": "1"})
        assert marked.json()["__pagemill"]["body"]
        assert stored_forms(pagemill) == [{"html", "data", "data+markup"}]
        again = await client.get("/swr", headers={"if-none-match": html.headers["etag"]})
        assert (again.status_code, again.headers["x-pagemill-cache"]) == (304, "HIT")


async def test_concurrent_http_misses_run_gssp_once(
    app: tuple[Pagemill, httpx.AsyncClient],
) -> None:
    pagemill, client = app
    await client.get("/swr?slow=1&c=1")  # stored once: known to be shareable
    await pagemill.revalidate("/swr")
    answers = await asyncio.gather(*(client.get("/swr?slow=1&c=1") for _ in range(10)))
    assert len({ran(answer) for answer in answers}) == 1


@pytest.mark.parametrize("path", ["/private", "/cookie", "/nostore", "/teapot"])
async def test_never_stored(app: tuple[Pagemill, httpx.AsyncClient], path: str) -> None:
    _, client = app
    first, second = await client.get(path), await client.get(path)
    assert second.headers["x-pagemill-cache"] == "MISS"
    assert ran(second) == ran(first) + 1


async def test_authorization_is_cached_only_when_public(
    app: tuple[Pagemill, httpx.AsyncClient],
) -> None:
    _, client = app
    auth = {"authorization": "Bearer x"}
    first = await client.get("/shared", headers=auth)
    second = await client.get("/shared", headers=auth)
    assert (second.headers["x-pagemill-cache"], ran(second)) == ("MISS", ran(first) + 1)
    public_first = await client.get("/swr?auth=1", headers=auth)
    public_second = await client.get("/swr?auth=1", headers=auth)
    assert public_second.headers["x-pagemill-cache"] == "HIT"
    assert ran(public_second) == ran(public_first)


async def test_post_and_preview_bypass(app: tuple[Pagemill, httpx.AsyncClient]) -> None:
    _, client = app
    await client.get("/swr?b=1")
    assert (await client.post("/swr?b=1")).headers["x-pagemill-cache"] == "BYPASS"
    preview = await client.get("/swr?b=1", headers={"cookie": "__prerender_bypass=stale"})
    assert preview.headers["x-pagemill-cache"] == "BYPASS"


async def test_vary_keeps_variants_apart(app: tuple[Pagemill, httpx.AsyncClient]) -> None:
    _, client = app
    french = await client.get("/vary", headers={"accept-language": "fr"})
    german = await client.get("/vary", headers={"accept-language": "de"})
    assert ran(german) == ran(french) + 1
    for _ in range(2):  # a HIT, then what a worker remembers of it
        again = await client.get("/vary", headers={"accept-language": "fr"})
        assert (again.headers["x-pagemill-cache"], ran(again)) == ("HIT", ran(french))
        assert next_data(again.text)["props"]["pageProps"]["language"] == "fr"
    for language in ("de", "fr", "de"):
        answer = await client.get("/vary", headers={"accept-language": language})
        assert next_data(answer.text)["props"]["pageProps"]["language"] == language


async def test_not_found_outcomes_are_cached_by_their_headers(
    app: tuple[Pagemill, httpx.AsyncClient],
) -> None:
    _, client = app
    await client.get("/missing")
    again = await client.get("/missing")
    assert (again.status_code, again.headers["x-pagemill-cache"]) == (404, "HIT")


async def test_api_route_purges_a_path(app: tuple[Pagemill, httpx.AsyncClient]) -> None:
    _, client = app
    first = await client.get("/swr")
    await client.get("/swr?other=variant")
    assert (await client.get("/api/purge?path=/swr")).json() == {"purged": "/swr"}
    after = await client.get("/swr")
    assert (after.headers["x-pagemill-cache"], ran(after)) == ("MISS", ran(first) + 2)
    assert (await client.get("/swr?other=variant")).headers["x-pagemill-cache"] == "MISS"


async def test_hits_answer_the_stored_bytes_of_each_form(
    app: tuple[Pagemill, httpx.AsyncClient],
) -> None:
    _, client = app
    first = await client.get("/swr?forms=1")
    again = await client.get("/swr?forms=1")
    assert again.headers["x-pagemill-cache"] == "HIT"
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    unchanged = await client.get("/swr?forms=1", headers={"if-none-match": first.headers["etag"]})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    build = next_data(first.text)["buildId"]
    data = await client.get(f"/_next/data/{build}/swr.json?forms=1")
    assert "__pagemill" not in data.json()
    marked = await client.get(
        f"/_next/data/{build}/swr.json?forms=1",
        headers={"x-nextjs-data": "1", "x-pagemill-render": "1"},
    )
    assert marked.headers["x-pagemill-cache"] == "HIT"
    assert marked.json()["__pagemill"]["body"] == f"run {ran(first)}"


class PerUser:
    """A gSSP stand-in whose outcome is private to each caller."""

    def __init__(self) -> None:
        self.users: list[str] = []

    def run_for(self, user: str) -> Any:
        async def run() -> tuple[Entry, Lifetime | None, tuple[str, ...]]:
            self.users.append(user)
            await asyncio.sleep(0.05)
            return Entry({"user": user}), None, ()  # private: never stored, never shared

        return run


@pytest.mark.anyio
async def test_private_outcomes_are_never_shared_between_concurrent_requests(
    cache: ResponseCache,
) -> None:
    gssp = PerUser()
    answers = await asyncio.gather(
        *(look(cache, b"t", "b", key_for, [], gssp.run_for(f"user-{n}")) for n in range(5))
    )
    assert [outcome for outcome, _ in answers] == [{"user": f"user-{n}"} for n in range(5)]


@pytest.mark.anyio
async def test_a_usually_public_page_does_not_share_a_private_answer(
    cache: ResponseCache, clock: Clock
) -> None:
    public = Runs()
    await look(cache, b"t", "b", key_for, [], public)  # known to be cacheable now
    clock.now += 100  # expired: the next requests are misses
    gssp = PerUser()
    answers = await asyncio.gather(
        *(look(cache, b"t", "b", key_for, [], gssp.run_for(f"user-{n}")) for n in range(3))
    )
    assert [outcome for outcome, _ in answers] == [{"user": f"user-{n}"} for n in range(3)]


async def test_concurrent_users_of_a_private_page_each_get_their_own(
    app: tuple[Pagemill, httpx.AsyncClient],
) -> None:
    _, client = app
    answers = await asyncio.gather(
        *(client.get("/whoami", headers={"cookie": f"user=user-{n}"}) for n in range(5))
    )
    users = [next_data(a.text)["props"]["pageProps"]["user"] for a in answers]
    assert users == [f"user-{n}" for n in range(5)]


@pytest.mark.anyio
async def test_a_failing_gssp_is_answered_with_the_stored_copy(
    cache: ResponseCache, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    await look(cache, b"t", "b", key_for, [], Runs(Lifetime(10, 59, 300)))
    clock.now += 100  # past fresh and stale, within stale-if-error
    assert await look(cache, b"t", "b", key_for, [], fails) == ({"n": 1}, "STALE")
    assert "gSSP failed; serving the stored copy instead" in caplog.text
    retried = Runs()
    # Within the retry interval: the copy at once, gSSP not run.
    assert await look(cache, b"t", "b", key_for, [], retried) == ({"n": 1}, "STALE")
    assert retried.count == 0
    clock.now += 6  # the interval passed: one retry in the background, the copy meanwhile
    assert await look(cache, b"t", "b", key_for, [], retried) == ({"n": 1}, "STALE")
    await asyncio.sleep(0.05)
    assert retried.count == 1
    assert await look(cache, b"t", "b", key_for, [], retried) == ({"n": 1}, "HIT")


@pytest.mark.anyio
async def test_past_stale_if_error_a_failure_is_a_failure(
    cache: ResponseCache, clock: Clock
) -> None:
    await look(cache, b"t", "b", key_for, [], Runs(Lifetime(10, 0, 30)))
    clock.now += 41
    with pytest.raises(RuntimeError):
        await look(cache, b"t", "b", key_for, [], fails)


def test_stale_if_error_from_cache_control() -> None:
    header = "public, s-maxage=10, stale-if-error=600"
    assert lifetime(header, sets_cookie=False, authorization=False) == Lifetime(10, 0, 600)
    assert lifetime("s-maxage=10", sets_cookie=False, authorization=False) == Lifetime(
        10, 0, DEFAULT_STALE_IF_ERROR
    )


# -- Recent HITs answered again without the pipeline (pagemill.hitmemo) -----------------------


def without_date(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, sorted(response.headers.items()), response.content


@pytest.mark.parametrize("encoding", ["identity", "gzip", "br", "zstd"])
async def test_a_remembered_hit_is_the_pipeline_hit_byte_for_byte(
    app: tuple[Pagemill, httpx.AsyncClient], encoding: str
) -> None:
    _, client = app
    headers = {"accept-encoding": encoding}
    await client.get("/large?memo=1", headers=headers)  # MISS: stored
    pipeline = await client.get("/large?memo=1", headers=headers)  # HIT: remembered
    remembered = await client.get("/large?memo=1", headers=headers)  # HIT from the memory
    assert pipeline.headers["x-pagemill-cache"] == "HIT"
    assert without_date(remembered) == without_date(pipeline)
    expected = None if encoding == "identity" else encoding
    assert remembered.headers.get("content-encoding") == expected


async def test_each_encoding_and_form_is_remembered_apart(
    app: tuple[Pagemill, httpx.AsyncClient],
) -> None:
    _, client = app
    for encoding in ("gzip", "br", "identity", "gzip"):
        for _ in range(2):
            answer = await client.get("/large?apart=1", headers={"accept-encoding": encoding})
            assert answer.headers.get("content-encoding") == (
                None if encoding == "identity" else encoding
            )
    build = next_data(answer.text)["buildId"]
    for _ in range(2):
        data = await client.get(f"/_next/data/{build}/large.json?apart=1")
        assert data.json()["pageProps"]["n"] == ran(answer)


async def test_a_purge_ends_a_remembered_hit(app: tuple[Pagemill, httpx.AsyncClient]) -> None:
    _, client = app
    first = await client.get("/swr?gone=1")
    for _ in range(2):
        assert (await client.get("/swr?gone=1")).headers["x-pagemill-cache"] == "HIT"
    await client.get("/api/purge?path=/swr")
    after = await client.get("/swr?gone=1")
    assert (after.headers["x-pagemill-cache"], ran(after)) == ("MISS", ran(first) + 1)


async def test_a_remembered_hit_goes_stale_like_the_entry(
    app: tuple[Pagemill, httpx.AsyncClient], clock: Clock
) -> None:
    _, client = app
    await client.get("/swr?old=1")
    for _ in range(2):
        assert (await client.get("/swr?old=1")).headers["x-pagemill-cache"] == "HIT"
    clock.now += 11  # past s-maxage=10
    assert (await client.get("/swr?old=1")).headers["x-pagemill-cache"] == "STALE"
    await asyncio.sleep(0.05)  # the background refresh ends before the backend closes


async def test_draft_mode_and_conditional_requests_take_the_pipeline(
    app: tuple[Pagemill, httpx.AsyncClient],
) -> None:
    _, client = app
    first = await client.get("/swr?draft=1")
    for _ in range(2):
        await client.get("/swr?draft=1")
    preview = await client.get("/swr?draft=1", headers={"cookie": "__prerender_bypass=x"})
    assert preview.headers["x-pagemill-cache"] == "BYPASS"
    again = await client.get("/swr?draft=1", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304


async def test_the_memory_of_hits_is_bounded_in_bytes(
    app: tuple[Pagemill, httpx.AsyncClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pagemill.hitmemo as hitmemo

    _, client = app
    monkeypatch.setattr(hitmemo, "MEMO_BYTES", 8000)  # room for two answers of /large
    memo = client._transport.app.app  # type: ignore[attr-defined]
    assert isinstance(memo, hitmemo.HitMemo)
    for n in range(5):
        for _ in range(2):  # a MISS, then the HIT that is remembered
            await client.get(f"/large?bound={n}", headers={"accept-encoding": "identity"})
        assert memo._bytes <= 8000
        assert memo._bytes == sum(len(m[3][1]["body"]) for m in memo._memo.values())
    assert 1 <= len(memo._memo) <= 2


async def test_an_unusable_cache_folder_costs_the_cache_not_the_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("PAGEMILL_CACHE_DIR", str(blocker / "cache"))
    transport = httpx.ASGITransport(app=wrap(load_pagemill(APP)))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        with anyio.fail_after(10):  # nobody waits on a lock the store cannot keep
            answers = [await client.get("/swr?unusable=1") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "make `[cache] dir` (or PAGEMILL_CACHE_DIR) a folder this server can write" in (
        caplog.text
    )
