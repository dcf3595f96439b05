"""`pagemill start` (granian, default workers, real sockets) under what real clients and faults
do: browsers' Accept-Encoding, a killed worker, a leaking app, slow and idle clients, hung
gSSP, huge bodies, and a port already taken."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import brotli
import httpx
import pytest
import zstandard
from conftest import APPS, Server, built, served

EXAMPLE = Path(__file__).parents[1] / "examples" / "bookshelf"
PAGEMILL = [sys.executable, "-m", "pagemill"]
# What each client really sends (Chromium 156, Firefox 140, Safari 18, curl --compressed, curl).
ACCEPT_ENCODINGS = {
    "chromium": ("gzip, deflate, br, zstd", "zstd"),
    "firefox": ("gzip, deflate, br, zstd", "zstd"),
    "safari": ("gzip, deflate, br", "br"),
    "curl --compressed": ("deflate, gzip, br, zstd", "zstd"),
    "gzip only": ("gzip", "gzip"),
    "curl": (None, None),
}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("example")
    env = {"BOOKSHELF_DB": str(tmp / "bookshelf.sqlite3")}
    with served("start", str(built(EXAMPLE, tmp)), env=env) as server:
        yield server


@pytest.fixture(scope="module")
def limits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """tests/apps/limits served: 2 kB bodies, 1 s for a body, 2 s for headers and gSSP."""
    with served("start", str(built(APPS / "limits", tmp_path_factory.mktemp("l")))) as server:
        yield server


def build_id_of(base: str) -> str:
    html = httpx.get(base + "/").text
    start = html.index('id="__NEXT_DATA__" type="application/json">') + 43
    return str(json.loads(html[start : html.index("</script>", start)])["buildId"])


def client_script(base: str) -> str:
    html = httpx.get(base + "/").text
    start = html.index('src="/_next/static/') + 5
    return html[start : html.index('"', start)]


def fetch(server: Server, target: str, accept: str | None) -> tuple[int, str | None, bytes]:
    """GET with exactly this Accept-Encoding (or none): status, Content-Encoding, decoded body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("GET", target, skip_accept_encoding=True)
    if accept is not None:
        connection.putheader("Accept-Encoding", accept)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    encoding = response.getheader("content-encoding")
    decoders = {"zstd": zstandard.decompress, "br": brotli.decompress, "gzip": gzip.decompress}
    return response.status, encoding, decoders[encoding](body) if encoding else body


@pytest.mark.parametrize("client", ACCEPT_ENCODINGS)
def test_every_kind_of_answer_reaches_each_client(example: Server, client: str) -> None:
    accept, encoding = ACCEPT_ENCODINGS[client]
    targets = [
        "/styles.css",
        client_script(example.base),
        "/",
        "/books/the-salt-crown",
        f"/_next/data/{build_id_of(example.base)}/en.json",
    ]
    for target in targets:
        status, _, expected = fetch(example, target, None)
        assert status == 200, target
        assert fetch(example, target, accept) == (200, encoding, expected), (client, target)
    assert '"path":"/styles.css","status":200' in example.log()


def test_the_stylesheet_applies_in_chromium(example: Server, chromium: Any) -> None:
    page = chromium.new_page()
    statuses: dict[str, int] = {}
    page.on("response", lambda r: statuses.__setitem__(r.url.rsplit("/", 1)[-1], r.status))
    page.goto(example.base + "/")
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    page.close()
    assert statuses["styles.css"] == 200
    assert background == "rgb(251, 247, 240)"  # --paper in styles.css


def test_a_killed_worker_is_replaced_and_the_server_keeps_answering(example: Server) -> None:
    before = example.worker_pids()
    assert len(before) == os.cpu_count()
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    with httpx.Client(base_url=example.base) as client:
        answers = [client.get("/about").status_code for _ in range(30)]
    assert set(answers) == {200}
    deadline = time.monotonic() + 30
    while len(example.worker_pids() - {victim}) < len(before) and time.monotonic() < deadline:
        time.sleep(0.2)
    after = example.worker_pids()
    assert victim not in after
    assert len(after) == len(before)
    assert example.process.poll() is None


def test_a_worker_over_the_memory_ceiling_is_replaced(tmp_path: Path) -> None:
    app = built(APPS / "limits", tmp_path)
    env = {"PAGEMILL_SERVER_MAX_WORKER_MEMORY": "250"}
    with served("start", str(app), "--workers", "1", env=env) as server:
        (first,) = server.worker_pids()
        kept = []
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=server.base) as client:
            while first in server.worker_pids() and time.monotonic() < deadline:
                response = client.get("/leak")
                if response.status_code == 200:
                    kept.append(int(response.text.split(" keeps ")[1].split("<")[0]))
                time.sleep(0.5)
            assert first not in server.worker_pids(), "the leaking worker was never replaced"
            assert max(kept) < 20  # 30 MB each: the ceiling stopped it near 250 MB
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if client.get("/").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            assert client.get("/").status_code == 200


def test_a_port_in_use_is_refused_unless_shared(example: Server, tmp_path: Path) -> None:
    app = built(APPS / "limits", tmp_path)
    refused = subprocess.run(
        [*PAGEMILL, "start", str(app), "--port", str(example.port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert f"port {example.port} on 127.0.0.1 is already in use" in refused.stderr
    assert "--share-port" in refused.stderr
    assert httpx.get(example.base + "/about").status_code == 200

    sharing = subprocess.Popen(
        [*PAGEMILL, "start", str(app), "--port", str(example.port), "--share-port"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(3)
        assert sharing.poll() is None, "--share-port did not start"
    finally:
        os.killpg(sharing.pid, signal.SIGTERM)
        sharing.wait(timeout=30)


def connect(server: Server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (30 s at most)."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return received


def canary_answers(server: Server) -> list[int]:
    with httpx.Client(base_url=server.base, timeout=10) as client:
        return [client.get("/").status_code for _ in range(5)]


def test_slow_headers_are_cut_while_others_are_served(limits: Server) -> None:
    slow = [connect(limits) for _ in range(100)]
    for sock in slow:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    assert canary_answers(limits) == [200] * 5
    for sock in slow:  # a header byte now and then never completes the request
        sock.sendall(b"a")
    outcomes = [read_until_closed(sock) for sock in slow]
    for sock in slow:
        sock.close()
    assert all(not outcome.startswith(b"HTTP/1.1 200") for outcome in outcomes)
    assert len(outcomes) == 100  # each was closed by the server, none answered


def test_a_slow_body_is_answered_408_while_others_are_served(limits: Server) -> None:
    slow = [connect(limits) for _ in range(20)]
    for sock in slow:
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 1000\r\n\r\nfirst bytes"
        )
    assert canary_answers(limits) == [200] * 5
    answers = [read_until_closed(sock) for sock in slow]
    for sock in slow:
        sock.close()
    assert all(answer.startswith(b"HTTP/1.1 408 ") for answer in answers), answers[0][:200]
    assert "408" in limits.log()


def test_an_idle_kept_alive_connection_is_closed(limits: Server) -> None:
    sock = connect(limits)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    received = read_until_closed(sock)  # the answer, then the close after the idle time
    sock.close()
    assert received.startswith(b"HTTP/1.1 200 ")
    assert received.count(b"HTTP/1.1 ") == 1


def test_a_hung_gssp_is_a_504_and_the_worker_keeps_serving(limits: Server) -> None:
    with httpx.Client(base_url=limits.base, timeout=30) as client:
        hung = client.get("/hang")
        assert hung.status_code == 504
        data = client.get(f"/_next/data/{build_id_of(limits.base)}/hang.json")
        assert (data.status_code, data.json()) == (504, {"error": "Gateway Timeout"})
        assert client.get("/").status_code == 200
    assert "pages/hang.py: `get_server_side_props` did not finish within 2s" in limits.log()


def worker_memory(server: Server) -> int:
    """Resident memory of all workers, in bytes."""
    total = 0
    for pid in server.worker_pids():
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(status.split("VmRSS:")[1].split()[0]) * 1024
    return total


def test_huge_bodies_are_refused_with_memory_bounded(limits: Server) -> None:
    before = worker_memory(limits)
    declared = connect(limits)
    declared.sendall(
        b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 268435456\r\n\r\n" + b"x" * 65536
    )
    assert read_until_closed(declared).startswith(b"HTTP/1.1 413 ")
    declared.close()

    def send_chunked(sock: socket.socket, megabytes: int) -> None:
        chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
        try:
            sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(megabytes * 16):
                sock.sendall(chunk)
        except OSError:
            pass  # refused: the server stopped reading

    answers = []
    for _ in range(4):
        sock = connect(limits)
        sender = threading.Thread(target=send_chunked, args=(sock, 64))
        sender.start()
        answers.append(read_until_closed(sock))
        sock.close()
        sender.join()
    assert all(answer.startswith(b"HTTP/1.1 413 ") for answer in answers)
    assert worker_memory(limits) - before < 64 * 1024 * 1024


def test_a_remembered_hit_reaches_browsers_as_the_pipeline_sent_it(example: Server) -> None:
    accept = ACCEPT_ENCODINGS["chromium"][0]
    answers = [fetch(example, "/?sort=rating", accept) for _ in range(6)]  # MISS, HITs
    assert len({answer for answer in answers[1:]}) == 1  # pipeline HIT = remembered HIT
    assert answers[1][:2] == (200, "zstd")
    assert answers[0][2].count(b"<li") == answers[1][2].count(b"<li")
    assert example.log().count('"cache":"HIT"') >= 5
