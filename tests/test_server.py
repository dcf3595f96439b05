"""`pagemill start` over a real socket: a built app answers HTML, data and errors."""

import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import built, pagemill_server, served
from granian.constants import Interfaces
from granian.http import HTTP1Settings

from pagemill.config import ServerConfig
from pagemill.server import MAKE_GRANIAN, granian_options

APPS = Path(__file__).parent / "apps"
PAGEMILL = [sys.executable, "-m", "pagemill"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    app = built(APPS / "gssp", tmp_path)
    with pagemill_server("start", str(app), "--workers", "2", ready_path="/robots.txt") as base:
        yield base


def next_data(html: str) -> dict:
    match = re.search(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', html)
    assert match is not None
    return json.loads(match.group(1))


def test_a_built_app_serves_pages_data_and_errors(server: str) -> None:
    with httpx.Client(base_url=server) as client:
        page = client.get("/blog/post-1?hello=world")
        assert page.status_code == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert "Post: post-1" in page.text
        build_id = next_data(page.text)["buildId"]

        data = client.get(
            f"/_next/data/{build_id}/blog/post-1.json?post=post-1&hello=world",
            headers={"x-nextjs-data": "1"},
        )
        assert data.status_code == 200
        props = data.json()["pageProps"]
        assert props["resolved_url"] == "/blog/post-1?hello=world"
        assert props["url"] == f"/_next/data/{build_id}/blog/post-1.json?hello=world"

        assert client.get("/not-found?hiding=1").status_code == 404
        failed = client.get("/blog/post-100")
        assert failed.status_code == 500
        assert "secret" not in failed.text

        gzipped = client.get("/", headers={"accept-encoding": "gzip"})
        assert gzipped.headers.get("content-encoding") is None  # under 1 KB
        redirect = client.get("/gssp-blog/redirect-permanent")
        assert (redirect.status_code, redirect.headers["location"]) == (308, "/404")


def test_start_hands_the_process_to_granian_and_preview_data_works(tmp_path: Path) -> None:
    """The checked build is served by granian's own supervisor (the process `start` became),
    and draft mode and preview data, whose cipher is loaded on first use, work in its worker."""
    app = built(APPS / "draft", tmp_path)
    with served("start", str(app), "--workers", "1") as server:
        command = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().split(b"\0")
        assert b"from granian import Granian" in command[3]
        assert b"pagemill" not in command[3]
        assert json.loads(command[4])["target"] == "pagemill.server:worker_app"
        with httpx.Client(base_url=server.base) as client:
            assert "false and null" in client.get("/").text
            # The cookies are Secure: sent back by hand over plain http.
            assert "true and {}" in client.get("/", headers=cookies(client.get("/api/draft"))).text
            preview = cookies(client.get("/api/preview?fruit=kiwi"))
            shown = html.unescape(client.get("/", headers=preview).text)
            assert 'true and {"fruit": "kiwi"}' in shown


def cookies(response: httpx.Response) -> dict[str, str]:
    """A Cookie header with what `response` set."""
    pairs = (c.split(";", 1)[0] for c in response.headers.get_list("set-cookie"))
    return {"cookie": "; ".join(pairs)}


def test_every_server_setting_reaches_granian(tmp_path: Path) -> None:
    settings = ServerConfig(
        backlog=256,
        max_concurrency=8,
        header_timeout=2.5,
        keep_alive=False,
        max_worker_memory=300,
        worker_lifetime=3600,
        shutdown_timeout=7,
    )
    options = granian_options(tmp_path, host="0.0.0.0", port=8080, workers=3, settings=settings)
    program: dict[str, Any] = {}
    exec(MAKE_GRANIAN, program)  # what the supervisor runs, without serving
    granian = program["make_granian"](json.loads(json.dumps(options)))
    assert (granian.target, granian.factory, granian.interface) == (
        "pagemill.server:worker_app",
        True,
        Interfaces.ASGI,
    )
    assert (granian.bind_addr, granian.bind_port, granian.workers) == ("0.0.0.0", 8080, 3)
    assert (granian.working_dir, granian.log_access) == (tmp_path, False)
    assert (granian.backlog, granian.backpressure) == (256, 8)
    assert granian.http1_settings == HTTP1Settings(header_read_timeout=2500, keep_alive=False)
    assert (granian.workers_rss, granian.workers_lifetime, granian.workers_kill_timeout) == (
        300 * 1024 * 1024,
        3600,
        7,
    )
    assert granian.respawn_failed_workers
    defaults = granian_options(tmp_path, host="::1", port=1, workers=1, settings=ServerConfig())
    granian = program["make_granian"](defaults)
    assert (granian.workers_rss, granian.workers_lifetime) == (None, None)
