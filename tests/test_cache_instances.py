"""Several `pagemill start` processes sharing one real Redis: one cache, one purge, and an
outage that costs speed but never a request."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import built, next_data, pagemill_server

APPS = Path(__file__).parent / "apps"


@pytest.fixture
def built_app(tmp_path: Path) -> Path:
    return built(APPS / "cache", tmp_path)


def get(base: str, path: str) -> tuple[str, int]:
    # Behind a load balancer every instance sees the site's own Host, which keys the cache.
    response = httpx.get(base + path, headers={"host": "shop.example"}, timeout=10)
    assert response.status_code == 200
    return response.headers["x-pagemill-cache"], next_data(response.text)["props"]["pageProps"]["n"]


def test_two_instances_share_hits_and_purges(
    built_app: Path, redis_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEMILL_CACHE_URL", redis_server.url)
    with (
        pagemill_server("start", str(built_app), "--workers", "1") as one,
        pagemill_server("start", str(built_app), "--workers", "1") as two,
    ):
        status, first = get(one, "/swr")
        assert status == "MISS"
        assert get(two, "/swr") == ("HIT", first)
        purged = httpx.get(two + "/api/purge?path=/swr", headers={"host": "shop.example"})
        assert purged.json() == {"purged": "/swr"}
        status, again = get(one, "/swr")
        assert (status, again) == ("MISS", first + 1)


def test_a_redis_outage_falls_back_to_the_machine_cache(
    built_app: Path, redis_server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    monkeypatch.setenv("CACHE_APP_RUNS", str(runs))
    monkeypatch.setenv("PAGEMILL_CACHE_URL", redis_server.url)
    with pagemill_server("start", str(built_app)) as base:  # one worker per core
        assert get(base, "/swr")[0] == "MISS"
        assert get(base, "/swr")[0] == "HIT"
        redis_server.stop()
        statuses = [get(base, "/swr")[0] for _ in range(40)]  # every one answers 200
        # The machine's own cache stands in: gSSP ran once more, not once per request.
        assert int((runs / "swr").read_text()) == 2
        assert statuses.count("HIT") == 39
        redis_server.start()
        deadline = time.monotonic() + 20
        statuses = []
        while time.monotonic() < deadline:
            statuses.append(get(base, "/swr")[0])
            if statuses[-1] == "HIT":
                break
            time.sleep(0.2)
        assert statuses[-1] == "HIT", f"the cache did not come back: {statuses}"
