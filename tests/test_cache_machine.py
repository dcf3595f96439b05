"""The default machine-wide response cache under `pagemill start`: one cache for every worker
and every server of the same app folder on this machine."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import APPS, Server, next_data, served

PAGEMILL = [sys.executable, "-m", "pagemill"]
# Behind a proxy every server sees the site's own Host, which keys the cache.
SITE = {"host": "shop.example"}


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the cache app counts gSSP runs, across all its processes."""
    folder = tmp_path / "runs"
    folder.mkdir()
    monkeypatch.setenv("CACHE_APP_RUNS", str(folder))
    return folder


@pytest.fixture
def app(tmp_path: Path) -> Path:
    copy = Path(shutil.copytree(APPS / "cache", tmp_path / "cache"))
    subprocess.run([*PAGEMILL, "build", str(copy)], check=True, capture_output=True)
    return copy


@pytest.fixture
def two_servers(app: Path, runs: Path) -> Iterator[tuple[Server, Server]]:
    """Two `pagemill start` of one app folder, one worker each: two processes for certain."""
    with (
        served("start", str(app), "--workers", "1") as one,
        served("start", str(app), "--workers", "1") as two,
    ):
        yield one, two


def get(server: Server, path: str) -> tuple[str, int]:
    response = httpx.get(server.base + path, headers=SITE, timeout=30)
    assert response.status_code == 200, response.text
    return response.headers["x-pagemill-cache"], next_data(response.text)["props"]["pageProps"]["n"]


def count(runs: Path, page: str) -> int:
    file = runs / page
    return int(file.read_text() or 0) if file.exists() else 0


def test_an_entry_stored_by_one_process_is_a_hit_in_another(
    two_servers: tuple[Server, Server],
) -> None:
    one, two = two_servers
    assert get(one, "/swr") == ("MISS", 1)
    assert get(two, "/swr") == ("HIT", 1)
    assert get(one, "/swr?other") == ("MISS", 2)


def test_a_stale_entry_is_refreshed_once_for_every_process(
    two_servers: tuple[Server, Server], runs: Path
) -> None:
    one, two = two_servers
    assert get(one, "/brief") == ("MISS", 1)
    time.sleep(1.5)  # past s-maxage=1, within stale-while-revalidate
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda n: get((one, two)[n % 2], "/brief"), range(32)))
    assert {status for status, _ in answers} <= {"STALE", "HIT"}
    assert ("STALE", 1) in answers
    deadline = time.monotonic() + 10
    while count(runs, "brief") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # any second refresh would have run by now
    assert count(runs, "brief") == 2
    for _ in range(2):  # the refresh replaced what each process remembered
        assert get(two, "/brief") == ("HIT", 2)
        assert get(one, "/brief") == ("HIT", 2)


def test_concurrent_misses_in_two_processes_run_once(
    two_servers: tuple[Server, Server], runs: Path
) -> None:
    one, two = two_servers
    assert get(one, "/swr?slow") == ("MISS", 1)  # shared once: its misses are coalesced now
    httpx.get(one.base + "/api/purge?path=/swr", headers=SITE)
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda n: get((one, two)[n % 2], "/swr?slow"), range(20)))
    assert count(runs, "swr") == 2
    assert {n for _, n in answers} == {2}


def test_a_purge_through_one_process_reaches_the_other(
    two_servers: tuple[Server, Server],
) -> None:
    one, two = two_servers
    assert get(one, "/swr") == ("MISS", 1)
    for _ in range(3):  # remembered in both processes after their first HIT
        assert get(one, "/swr") == ("HIT", 1)
        assert get(two, "/swr") == ("HIT", 1)
    purged = httpx.get(two.base + "/api/purge?path=/swr", headers=SITE)
    assert purged.json() == {"purged": "/swr"}
    assert get(one, "/swr") == ("MISS", 2)
    assert get(two, "/swr") == ("HIT", 2)


def test_a_new_build_starts_with_an_empty_cache(app: Path, runs: Path) -> None:
    with served("start", str(app)) as server:
        assert get(server, "/swr") == ("MISS", 1)
        assert get(server, "/swr") == ("HIT", 1)
    page = app / "pages" / "swr.py"
    page.write_text(page.read_text().replace("run {props", "ran {props"))
    subprocess.run([*PAGEMILL, "build", str(app)], check=True, capture_output=True)
    with served("start", str(app)) as server:
        assert get(server, "/swr") == ("MISS", 2)
    with served("start", str(app)) as server:  # the same build again: the entry is kept
        # Fresh for 10 s: a slow start on a busy machine may find it stale, never missing.
        status, runs_seen = get(server, "/swr")
        assert (status in ("HIT", "STALE"), runs_seen) == (True, 2)


def test_a_worker_killed_while_writing_leaves_a_usable_cache(app: Path, runs: Path) -> None:
    with served("start", str(app)) as server:  # one worker per core
        workers = server.worker_pids()
        assert len(workers) == os.cpu_count()
        stop = threading.Event()
        statuses: list[int] = []

        def write_entries(offset: int) -> None:
            with httpx.Client(base_url=server.base, headers=SITE, timeout=30) as client:
                n = offset
                while not stop.is_set():
                    n += 2
                    # A request the killed worker was answering fails with the connection.
                    with contextlib.suppress(httpx.TransportError):
                        statuses.append(client.get(f"/swr?key={n}").status_code)
        writers = [threading.Thread(target=write_entries, args=(i,)) for i in range(2)]
        for writer in writers:
            writer.start()
        for victim in sorted(workers):
            time.sleep(1)
            os.kill(victim, signal.SIGKILL)
        time.sleep(1)
        stop.set()
        for writer in writers:
            writer.join()
        assert len(statuses) > 20 and set(statuses) == {200}
        deadline = time.monotonic() + 30
        while len(server.worker_pids() - workers) < len(workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        status, first = get(server, "/swr?after-the-kill")
        assert status == "MISS"
        assert get(server, "/swr?after-the-kill") == ("HIT", first)
        assert get(server, "/swr?key=2")[0] == "HIT"  # written before the kills


def test_a_failing_gssp_keeps_the_stored_page_served(app: Path, runs: Path) -> None:
    with served("start", str(app)) as server:
        assert get(server, "/flaky") == ("MISS", 1)
        (runs / "fail").touch()  # from now on its gSSP raises
        time.sleep(1.5)  # past s-maxage=1, within stale-if-error=60
        with httpx.Client(base_url=server.base, headers=SITE, timeout=30) as client:
            answers = [client.get("/flaky") for _ in range(30)]
        assert [a.status_code for a in answers] == [200] * 30
        assert {a.headers["x-pagemill-cache"] for a in answers} == {"STALE"}
        assert "gSSP failed; serving the stored copy instead" in server.log()
        (runs / "fail").unlink()
        deadline = time.monotonic() + 30  # retried in the background every few seconds
        while (latest := get(server, "/flaky"))[1] < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert latest[1] >= 2, "the page never recovered"


def test_the_cache_in_use_and_its_counts_are_shown(app: Path, runs: Path) -> None:
    stats = [*PAGEMILL, "cache", "stats", str(app)]
    assert "Empty: nothing has been cached yet" in run_stats(stats)
    with served("start", str(app)) as server:
        assert get(server, "/swr") == ("MISS", 1)
        for _ in range(3):
            assert get(server, "/swr") == ("HIT", 1)
        get(server, "/private")
        deadline = time.monotonic() + 20  # the counts reach the store within a second
        while "2 MISS" not in (shown := run_stats(stats)) and time.monotonic() < deadline:
            time.sleep(0.2)
        log = server.log()
    folder = os.environ["PAGEMILL_CACHE_DIR"]
    assert f"pagemill: response cache one for this machine, in {folder}" in log
    assert '"path":"/swr","status":200' in log
    assert log.count('"cache":"HIT"') == 3
    assert f"Response cache: one for this machine, in {folder}" in shown
    assert "Entries: 2 of at most 10000" in shown  # the page, and the Vary names of its URL
    assert "3 HIT, 0 STALE, 2 MISS" in shown  # /private ran without the cache: a MISS
    assert "Hit ratio: 60.0%" in shown


def run_stats(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_concurrent_visitors_of_a_private_page_each_get_their_own(app: Path, runs: Path) -> None:
    with served("start", str(app)) as server:

        def visit(n: int) -> str:
            cookie = {"cookie": f"user=user-{n}", **SITE}
            response = httpx.get(server.base + "/whoami", headers=cookie, timeout=30)
            assert response.headers["x-pagemill-cache"] == "MISS"
            return str(next_data(response.text)["props"]["pageProps"]["user"])

        with ThreadPoolExecutor(32) as pool:
            users = list(pool.map(visit, range(32)))
    assert users == [f"user-{n}" for n in range(32)]
