"""Raw HTTP/1.1 over sockets: send bytes exactly as given, read back one framed response."""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass

MAX_HEAD = 256 * 1024
MAX_BODY = 32 * 1024 * 1024
NO_BODY_STATUSES = frozenset({204, 304})


class NoResponse(Exception):
    """The connection ended before any byte of a response: `closed`, `reset` or `timeout`."""

    def __init__(self, reason: str, *, reused: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reused = reused


class BadResponse(Exception):
    """The server sent bytes that are not one complete, well-framed HTTP/1.1 response."""


@dataclass(frozen=True)
class Response:
    """One response as received. `lines` are the raw header lines; `headers` the same lines
    split at the first colon, names lower-cased; `body` is de-chunked but not decoded."""

    version: bytes
    status: int
    reason: bytes
    lines: tuple[bytes, ...]
    headers: tuple[tuple[str, bytes], ...]
    body: bytes

    def values(self, name: str) -> list[bytes]:
        return [value for key, value in self.headers if key == name]

    def value(self, name: str) -> bytes | None:
        found = self.values(name)
        return found[0] if found else None

    @property
    def closes(self) -> bool:
        """The server will close the connection after this response."""
        tokens = b",".join(self.values("connection")).lower().replace(b" ", b"").split(b",")
        if self.version == b"HTTP/1.0":
            return b"keep-alive" not in tokens
        return b"close" in tokens


class Connection:
    """One TCP connection and what has been received on it but not yet parsed."""

    def __init__(self, address: tuple[str, int], timeout: float) -> None:
        self.sock = socket.create_connection(address, timeout=timeout)
        self.buffer = bytearray()
        self.used = False  # a response was read on it before
        self.reused = False  # the response being read is not the first on it
        self.eof = False

    def close(self) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        """Send all of `data`; a server that stops reading early (it may answer and close
        mid-request) is no error here: its answer is read next."""
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.sock.sendall(data)

    def read_response(self, method: bytes, timeout: float) -> Response:
        """The next response, skipping interim 1xx ones. Raises `NoResponse` or `BadResponse`."""
        self.sock.settimeout(timeout)
        self.reused, self.used = self.used, True
        while True:
            if not self.buffer and not self._fill():
                raise NoResponse("closed", reused=self.reused)
            response = self._read_one(method)
            if not 100 <= response.status < 200:
                return response

    def _fill(self) -> bool:
        """Receive more bytes; False at end of stream. Raises `NoResponse` on timeout/reset
        before anything of a response arrived, `BadResponse` mid-response."""
        if self.eof:
            return False
        try:
            chunk = self.sock.recv(65536)
        except TimeoutError as error:
            raise self._cut("timeout") from error
        except ConnectionResetError as error:
            raise self._cut("reset") from error
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def _cut(self, reason: str) -> Exception:
        if self.buffer:
            return BadResponse(f"{reason} after {len(self.buffer)} bytes of a response")
        return NoResponse(reason, reused=self.reused)

    def _read_one(self, method: bytes) -> Response:
        head = self._take_head()
        version, status, reason, lines = _parse_head(head)
        headers = tuple(_split_header(line) for line in lines)
        response = Response(version, status, reason, lines, headers, b"")
        body = b"" if _bodiless(method, status) else self._take_body(response)
        return Response(version, status, reason, lines, headers, body)

    def _take_head(self) -> bytes:
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            if len(self.buffer) > MAX_HEAD:
                raise BadResponse(f"no end of the response head within {MAX_HEAD} bytes")
            if not self._fill():
                raise BadResponse(f"connection closed inside the response head: {self.buffer!r}")
        head = bytes(self.buffer[:end])
        del self.buffer[: end + 4]
        return head

    def _take_body(self, response: Response) -> bytes:
        encodings = b",".join(response.values("transfer-encoding")).lower()
        if encodings:
            if encodings.replace(b" ", b"") != b"chunked":
                raise BadResponse(f"unexpected Transfer-Encoding {encodings!r}")
            return self._take_chunked()
        lengths = set(response.values("content-length"))
        if len(lengths) > 1:
            raise BadResponse(f"conflicting Content-Length headers {sorted(lengths)}")
        if lengths:
            text = lengths.pop().strip()
            if not text.isdigit() or int(text) > MAX_BODY:
                raise BadResponse(f"bad Content-Length {text!r}")
            return self._take_exactly(int(text))
        if not response.closes:
            raise BadResponse("a kept-alive response with neither Content-Length nor chunking")
        while self._fill():
            if len(self.buffer) > MAX_BODY:
                raise BadResponse("body over the size limit")
        body = bytes(self.buffer)
        self.buffer.clear()
        return body

    def _take_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self._fill():
                raise BadResponse(f"body ended after {len(self.buffer)} of {size} bytes")
        body = bytes(self.buffer[:size])
        del self.buffer[:size]
        return body

    def _take_line(self) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            if len(self.buffer) > MAX_HEAD or not self._fill():
                raise BadResponse("chunked body cut inside a chunk-size or trailer line")
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 2]
        return line

    def _take_chunked(self) -> bytes:
        body = bytearray()
        while True:
            size_text = self._take_line().split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError as error:
                raise BadResponse(f"bad chunk size {size_text!r}") from error
            if size == 0:
                break
            body += self._take_exactly(size)
            if self._take_exactly(2) != b"\r\n":
                raise BadResponse("chunk data not followed by CRLF")
            if len(body) > MAX_BODY:
                raise BadResponse("body over the size limit")
        while self._take_line():  # trailer fields, up to the empty line
            pass
        return bytes(body)


def _bodiless(method: bytes, status: int) -> bool:
    return method == b"HEAD" or status in NO_BODY_STATUSES or 100 <= status < 200


def _parse_head(head: bytes) -> tuple[bytes, int, bytes, tuple[bytes, ...]]:
    status_line, *lines = head.split(b"\r\n")
    version, _, rest = status_line.partition(b" ")
    code, _, reason = rest.partition(b" ")
    if version not in (b"HTTP/1.0", b"HTTP/1.1") or len(code) != 3 or not code.isdigit():
        raise BadResponse(f"bad status line {status_line!r}")
    return version, int(code), reason, tuple(lines)


def _split_header(line: bytes) -> tuple[str, bytes]:
    name, _, value = line.partition(b":")
    return name.decode("latin-1").lower(), value.strip(b" \t")


class Client:
    """One worker thread's view of the server: a kept-alive connection reused across
    requests, and a fresh connection for each request that asks to close."""

    def __init__(self, address: tuple[str, int], timeout: float) -> None:
        self.address = address
        self.timeout = timeout
        self.kept: Connection | None = None

    def close(self) -> None:
        if self.kept is not None:
            self.kept.close()
            self.kept = None

    def exchange(self, raw: bytes, method: bytes, *, keep_alive: bool, wait: float) -> Response:
        """Send `raw` and read its response, waiting at most `wait` seconds for each read."""
        if not keep_alive:
            connection = Connection(self.address, self.timeout)
            try:
                connection.send(raw)
                return connection.read_response(method, wait)
            finally:
                connection.close()
        try:
            return self._on_kept(raw, method, wait)
        except NoResponse as error:
            # A reused connection the server closed while idle: once more on a fresh one.
            if not (error.reused and error.reason in ("closed", "reset")):
                raise
            return self._on_kept(raw, method, wait)

    def _on_kept(self, raw: bytes, method: bytes, wait: float) -> Response:
        if self.kept is None:
            self.kept = Connection(self.address, self.timeout)
        try:
            self.kept.send(raw)
            response = self.kept.read_response(method, wait)
        except BaseException:
            self.close()
            raise
        leftover = bytes(self.kept.buffer)
        if response.closes or leftover:
            self.close()
        if leftover:
            raise BadResponse(f"{len(leftover)} bytes after a complete response: {leftover[:80]!r}")
        return response
