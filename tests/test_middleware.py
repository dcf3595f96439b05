"""The request boundary: odd targets, unhandled errors, the status logged, body time limits."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from conftest import APPS

import pagemill
from pagemill.bodies import read_body
from pagemill.middleware import RequestBoundary
from pagemill.types import ASGIApp, Message, Receive, Scope, Send

pytestmark = pytest.mark.anyio

Sent = list[Message]


def scope_for(
    method: str = "GET", path: str = "/", headers: list[tuple[bytes, bytes]] | None = None
) -> Scope:
    """An HTTP scope as granian builds it; `path` may be what it gives for odd targets."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("latin-1"),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *(headers or [])],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }


async def no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def call(app: ASGIApp, scope: Scope, receive: Receive = no_body) -> Sent:
    sent: Sent = []

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def body_of(sent: Sent) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def log_lines(err: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("path", ["", "evil", "http:"])
async def test_a_target_that_is_not_a_path_is_a_400(
    path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sent = await call(pagemill.create_app(APPS / "plain"), scope_for(path=path))
    assert sent[0]["status"] == 400
    assert body_of(sent) == b"Bad Request: the target must be a path"
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert log_lines(err)[-1]["status"] == 400


async def test_options_star_is_answered_for_the_server() -> None:
    sent = await call(pagemill.create_app(APPS / "plain"), scope_for("OPTIONS", "*"))
    assert sent[0]["status"] == 204
    assert (b"allow", b"GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS") in sent[0]["headers"]
    assert body_of(sent) == b""


async def test_an_error_nothing_handled_is_a_logged_500(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("secret detail")

    sent = await call(RequestBoundary(broken), scope_for())
    assert sent[0]["status"] == 500
    assert body_of(sent) == b"Internal Server Error"
    err = capsys.readouterr().err
    line = log_lines(err)[-1]
    assert (line["status"], line["error"]) == (500, "RuntimeError: secret detail")
    assert "secret detail" in caplog.text  # the traceback, for the operator


async def test_the_log_records_the_status_actually_sent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def sends_then_fails(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("after the start")

    sent = await call(RequestBoundary(sends_then_fails), scope_for())
    assert [m["type"] for m in sent] == ["http.response.start"]  # no second start
    assert log_lines(capsys.readouterr().err)[-1]["status"] == 200

    async def teapot(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    await call(RequestBoundary(teapot), scope_for())
    assert log_lines(capsys.readouterr().err)[-1]["status"] == 418


async def test_a_long_path_is_logged_shortened(capsys: pytest.CaptureFixture[str]) -> None:
    path = "/" + "a/" * 5000
    await call(pagemill.create_app(APPS / "plain"), scope_for(path=path))
    logged = log_lines(capsys.readouterr().err)[-1]["path"]
    assert logged.endswith("…")
    assert len(logged) == 1001


def stalling_body(first: bytes) -> Receive:
    """A client that sends `first` and then nothing more, never finishing its body."""
    messages = [{"type": "http.request", "body": first, "more_body": True}]

    async def receive() -> Message:
        if messages:
            return messages.pop()
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    return receive


POSTED = [(b"content-type", b"application/json"), (b"content-length", b"100")]


@pytest.mark.parametrize(
    ("path", "content_type"), [("/echo", b"text/html"), ("/api/echo", b"application/json")]
)
async def test_a_body_that_stops_arriving_is_a_408_that_closes(
    path: str, content_type: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEMILL_SERVER_BODY_TIMEOUT", "0.2")
    app = pagemill.create_app(APPS / "limits")
    with anyio.fail_after(5):
        sent = await call(app, scope_for("POST", path, POSTED), stalling_body(b'{"a":'))
    start = sent[0]
    assert start["status"] == 408
    headers = dict(start["headers"])
    assert headers[b"connection"] == b"close"
    assert headers[b"content-type"].startswith(content_type)


async def test_a_raw_stream_that_stops_arriving_is_a_408(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAGEMILL_SERVER_BODY_TIMEOUT", "0.2")
    app = pagemill.create_app(APPS / "limits")
    with anyio.fail_after(5):
        sent = await call(app, scope_for("POST", "/api/raw", POSTED), stalling_body(b"x"))
    assert sent[0]["status"] == 408
    assert json.loads(body_of(sent)) == {"error": "Request body not received within 0.2s"}


async def test_waiting_after_a_complete_body_is_not_bounded() -> None:
    """Once the body is in, a later `receive()` (waiting for the client to go) may wait."""
    waited: list[Message] = []

    async def reads_then_waits(scope: Scope, receive: Receive, send: Send) -> None:
        from starlette.requests import Request

        await read_body(Request(scope, receive), 1000)
        waited.append(await receive())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    messages: list[Message] = [
        {"type": "http.disconnect"},
        {"type": "http.request", "body": b"done", "more_body": False},
    ]

    async def receive() -> Message:
        if len(messages) == 1:
            await anyio.sleep(0.3)  # longer than the body timeout
        return messages.pop()

    boundary = RequestBoundary(reads_then_waits, body_timeout=0.1)
    sent = await call(boundary, scope_for("POST", "/", [(b"content-length", b"4")]), receive)
    assert sent[0]["status"] == 200
    assert waited == [{"type": "http.disconnect"}]
