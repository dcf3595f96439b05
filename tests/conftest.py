"""Shared fixtures: the fixture apps under tests/apps, driven over ASGI with httpx."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

import pagemill

APPS = Path(__file__).parent / "apps"
PRIVATE_CACHE = "private, no-cache, no-store, max-age=0, must-revalidate"

ClientFactory = Callable[[str], Awaitable[httpx.AsyncClient]]

_NEXT_DATA = re.compile(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(autouse=True)
def fresh_response_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's apps (in-process or served) share one machine-wide response cache of
    their own, in the test's temporary folder: no test sees another's (or an earlier run's)
    entries."""
    monkeypatch.setenv("PAGEMILL_CACHE_DIR", str(tmp_path / "response-cache"))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client_for(anyio_backend: str) -> AsyncIterator[ClientFactory]:
    """`await client_for("plain")`: a client over a fresh instance of tests/apps/plain."""
    async with AsyncExitStack() as stack:

        async def make(name: str) -> httpx.AsyncClient:
            app = pagemill.create_app(APPS / name)
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://testserver"
            )
            return await stack.enter_async_context(client)

        yield make


@pytest.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    """A client over tests/apps/gssp."""
    return await client_for("gssp")


def next_data(html: str) -> dict[str, Any]:
    """The parsed `__NEXT_DATA__` of an HTML page."""
    found = _NEXT_DATA.search(html)
    assert found is not None, "no __NEXT_DATA__ script in the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


async def build_id(client: httpx.AsyncClient, path: str = "/") -> str:
    """The build id, read from `__NEXT_DATA__` of the page at `path`."""
    response = await client.get(path)
    return str(next_data(response.text)["buildId"])


async def raw_get(name: str, target: str) -> httpx.Response:
    """GET `target` byte for byte (no client-side URL normalization) from tests/apps/<name>.

    httpx resolves `..` and merges `//`, which the traversal and slash tests must send as is.
    """
    app = pagemill.create_app(APPS / name)
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode("latin-1"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope, receive, send)
    start = messages[0]
    body = b"".join(m.get("body", b"") for m in messages[1:])
    return httpx.Response(start["status"], headers=start["headers"], content=body)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium() -> Any:
    """Debian's Chromium driven by playwright (never a downloaded browser), one per module.

    Module-scoped, not session-scoped: playwright's sync API holds an event loop in the main
    thread while it runs, which the anyio tests of later modules could not start beside.
    Without Chromium the browser tests skip on a workstation, and fail under CI (`CI` set)."""
    import os

    if not CHROMIUM.exists():
        message = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def built(source: Path, into: Path) -> Path:
    """A copy of the app `source` in the folder `into`, built by `pagemill build` (as a user
    builds before `pagemill start`); its own build output is not copied."""
    app = Path(
        shutil.copytree(source, into / source.name, ignore=shutil.ignore_patterns(".pagemill"))
    )
    subprocess.run(
        [sys.executable, "-m", "pagemill", "build", str(app)], check=True, capture_output=True
    )
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """A `python -m pagemill` process serving on 127.0.0.1: its URL, process and output."""

    def __init__(self, base: str, process: subprocess.Popen[bytes], output: Path) -> None:
        self.base = base
        self.port = int(base.rsplit(":", 1)[1])
        self.process = process
        self.output = output

    def log(self) -> str:
        """Everything the server printed so far (its request lines and errors)."""
        return self.output.read_text(errors="replace")

    def worker_pids(self) -> set[int]:
        """The PIDs of granian's worker processes (the server process's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}


@contextmanager
def served(
    *args: str, ready_path: str = "/", env: dict[str, str] | None = None
) -> Iterator[Server]:
    """`python -m pagemill ARGS --port P` on 127.0.0.1 until it answers `ready_path`; stops
    its whole process group (by PID) afterwards. Its output goes to a file, never to a pipe
    nobody reads (a full pipe would block the server's log writes)."""
    port = free_port()
    with tempfile.NamedTemporaryFile(prefix="pagemill-server-", suffix=".log") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "pagemill", *args, "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
        server = Server(f"http://127.0.0.1:{port}", process, Path(output.name))
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(server.base + ready_path, timeout=1)
                    break
                except httpx.TransportError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"pagemill {args[0]} did not come up:\n{server.log()}")
                    time.sleep(0.1)
            yield server
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def pagemill_server(*args: str, ready_path: str = "/") -> Iterator[str]:
    """`served`, yielding only the base URL."""
    with served(*args, ready_path=ready_path) as server:
        yield server.base


REDIS_SERVER = Path("/usr/bin/redis-server")


class RedisServer:
    """A throwaway `redis-server` on 127.0.0.1 without persistence, which a test may stop
    (like a crash) and start again on the same port."""

    def __init__(self, port: int, directory: Path) -> None:
        self.port = port
        self.directory = directory
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it and wait until it answers PING."""
        command = [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while not self._answers_ping():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"redis-server did not come up on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Kill it at once, as a crash or a lost machine would."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def _answers_ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A running throwaway redis-server. Without one installed the test skips on a
    workstation and fails under CI (`CI` set): tests must not vanish silently there."""
    if not REDIS_SERVER.exists():
        message = f"Redis tests need {REDIS_SERVER} (apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
