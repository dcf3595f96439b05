"""The plain ASGI layers around the app: the request boundary, and compression with HEAD."""

from __future__ import annotations

from time import perf_counter

import anyio
from starlette_compress import CompressMiddleware

from .bodies import body_timeout
from .pagecache import CACHE_HEADER
from .requestlog import log_request
from .responses import has_header, respond
from .types import ASGIApp, Message, Receive, Scope, Send

COMPRESS_OVER = 1024
PATHSEND = "http.response.pathsend"
PLAIN_TEXT = (b"content-type", b"text/plain; charset=utf-8")
# What `OPTIONS *` (a question about the server, not a resource) may be told.
SERVER_METHODS = b"GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"


class RequestBoundary:
    """What every request passes first and last, whatever the app inside does.

    A target that is not a path (`GET evil`, `OPTIONS *`) is answered here. A request body
    must arrive within `body_timeout` seconds of its first read (0: no bound); reading past
    that raises the 408 `BodyError`. An exception nothing inside handled is logged and
    answered 500 if nothing was sent yet. Each request gets one log line with the status
    actually sent (and the response cache's verdict, when it gave one).
    """

    def __init__(self, app: ASGIApp, *, body_timeout: float = 0) -> None:
        self.app = app
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        sent: list[int] = []
        cache: list[bytes] = []

        async def send_recorded(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent.append(message["status"])
                cache.extend(v for k, v in message["headers"] if k == CACHE_HEADER)
            await send(message)

        if not scope["path"].startswith("/"):
            await _odd_target(scope, receive, send_recorded)
        else:
            if self.body_timeout and _may_have_body(scope):
                receive = _receive_within(receive, self.body_timeout)
            try:
                await self.app(scope, receive, send_recorded)
            except Exception as exc:
                scope["pagemill.error"] = exc
                if not sent:
                    await respond(500, [PLAIN_TEXT], b"Internal Server Error")(
                        scope, receive, send_recorded
                    )
        log_request(scope, sent[0] if sent else 0, started, cache[0] if cache else None)


async def _odd_target(scope: Scope, receive: Receive, send: Send) -> None:
    """`OPTIONS *` is answered for the server as a whole; any other non-path target is a 400."""
    if scope["method"] == "OPTIONS" and scope["path"] == "*":
        response = respond(204, [(b"allow", SERVER_METHODS)])
    else:
        response = respond(400, [PLAIN_TEXT], b"Bad Request: the target must be a path")
    await response(scope, receive, send)


def _may_have_body(scope: Scope) -> bool:
    headers = scope["headers"]
    return has_header(headers, b"content-length") or has_header(headers, b"transfer-encoding")


def _receive_within(receive: Receive, seconds: float) -> Receive:
    """`receive` for a body that must have arrived `seconds` after it is first read; once it
    has, later calls (waiting for a disconnect) are not bounded."""
    deadline: float | None = None
    complete = False

    async def receive_within() -> Message:
        nonlocal deadline, complete
        if complete:
            return await receive()
        now = anyio.current_time()
        if deadline is None:
            deadline = now + seconds
        with anyio.move_on_after(deadline - now):
            message = await receive()
            complete = message["type"] != "http.request" or not message.get("more_body")
            return message
        raise body_timeout(seconds)

    return receive_within


class ContentEncoding:
    """Compression for clients that accept it, and HEAD answered with GET's headers.

    zstd, brotli or gzip (the first the client accepts), over 1 KB, for compressible types.
    Requests without `Accept-Encoding` skip the compressing middleware altogether. Files
    are streamed through it rather than handed to the server to send (`pathsend`), so that
    public CSS, JavaScript and SVG files are compressed too.
    """

    def __init__(self, app: ASGIApp, *, compress: bool) -> None:
        self.app = app
        self.compressing: ASGIApp | None = (
            CompressMiddleware(app, minimum_size=COMPRESS_OVER) if compress else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        app = self.app
        if self.compressing is not None and has_header(scope["headers"], b"accept-encoding"):
            app = self.compressing
            extensions = scope.get("extensions")
            if extensions and PATHSEND in extensions:
                scope["extensions"] = {k: v for k, v in extensions.items() if k != PATHSEND}
        if scope["method"] == "HEAD":
            send = _headers_only(send)
        await app(scope, receive, send)


def _headers_only(send: Send) -> Send:
    async def send_headers_only(message: Message) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            message = {**message, "body": b""}
        await send(message)

    return send_headers_only
