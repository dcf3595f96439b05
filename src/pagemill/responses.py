"""Building the bytes-and-headers responses pagemill sends: ETags, 304s, redirects."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

import xxhash
from starlette.responses import Response

PRIVATE_CACHE = b"private, no-cache, no-store, max-age=0, must-revalidate"
HTML_TYPE = b"text/html; charset=utf-8"
JSON_TYPE = b"application/json"
# The client asks for the rendered page beside the props with this request header.
RENDER_HEADER = b"x-pagemill-render"

RawHeaders = list[tuple[bytes, bytes]]


class Reply(Response):
    """A response whose bytes and raw headers are final: sent as they are.

    Starlette's `Response` rebuilds headers from a mapping on construction; pagemill has
    them as raw pairs already, so it skips that on every request.
    """

    def __init__(self, status: int, headers: RawHeaders, body: bytes = b"") -> None:
        self.status_code = status
        self.body = body
        self.background = None
        if status != 304:
            headers.append((b"content-length", str(len(body)).encode()))
        self.raw_headers = headers


def respond(status: int, headers: RawHeaders, body: bytes = b"") -> Response:
    """A response with exactly these raw headers (plus Content-Length)."""
    return Reply(status, headers, body)


def etag(body: bytes) -> bytes:
    """A strong validator for `body`: same bytes, same tag. XXH3-128 tells apart what a
    cache must (it need not resist forgery: nothing trusts a tag beyond a match), and is
    85x faster than SHA-256 on a 30 KB page (0.3 us against 25 us)."""
    return b'"' + xxhash.xxh3_128_hexdigest(body).encode() + b'"'


def not_modified(request_headers: RawHeaders, tag: bytes) -> bool:
    """True when `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks for GETs)."""
    header = header_value(request_headers, b"if-none-match")
    if header is None:
        return False
    if header.strip() == b"*":
        return True
    return any(candidate.strip().removeprefix(b"W/") == tag for candidate in header.split(b","))


def with_etag(
    request_headers: RawHeaders, status: int, headers: RawHeaders, body: bytes
) -> Response:
    """Add an ETag to a 200 response and answer 304 when the client has it already."""
    if status != 200:
        return respond(status, headers, body)
    tag = etag(body)
    headers.append((b"etag", tag))
    if not_modified(request_headers, tag):
        kept = [(k, v) for k, v in headers if k not in (b"content-type", b"content-length")]
        return respond(304, kept)
    return respond(status, headers, body)


def has_header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bool:
    """Whether raw (lower-cased) headers hold `name`."""
    return header_value(headers, name) is not None


def header_value(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    """The first value of `name` in raw (lower-cased) headers, or None."""
    for key, value in headers:
        if key == name:
            return value
    return None


def location_header(destination: str) -> bytes:
    """A Location value: non-ASCII percent-encoded, existing escapes kept."""
    return quote(destination, safe="!#$%&'()*+,/:;=?@[]~").encode("latin-1")


def redirect(destination: str, status: int, headers: RawHeaders | None = None) -> Response:
    """A redirect as Next sends it: the destination as body, `Refresh` only with 308."""
    location = location_header(destination)
    raw = [(b"location", location), *(headers or [])]
    if status == 308:
        raw.append((b"refresh", b"0;url=" + location))
    return respond(status, raw, location)
