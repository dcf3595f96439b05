"""What every response to a fuzz request must satisfy. Each check returns `(check, detail)`
pairs for what it found wrong; text the request itself carried is never held against the
response (pages echo their URL, query and cookies)."""

from __future__ import annotations

import gzip
import json
import re
import zlib
from dataclasses import dataclass
from urllib.parse import unquote, unquote_plus

import brotli
import zstandard
from fuzz_cases import FuzzRequest
from fuzz_wire import Response

Problem = tuple[str, str]

# Tracebacks, source locations, exception class names and module paths.
EXCEPTION_TEXT = re.compile(
    r"Traceback|File \"|\.py\"|\b(?:[A-Z][a-z0-9]+)+(?:Error|Exception)\b"
    r"|\b(?:pagemill|starlette|granian|anyio|sqlite3|uvicorn|asyncio)\.[a-z_]+|\blib\.db\b"
)
UNCHECKED_TYPES = (b"text/javascript", b"application/javascript", b"text/css", b"image/")
NEXT_DATA_OPEN = re.compile(rb'<script id="__NEXT_DATA__" type="application/json">')
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
C0_AND_SPACE = "".join(map(chr, range(0x21)))


@dataclass(frozen=True)
class Judge:
    """The checks for one app: the text that must never reach a client (its paths, preview
    secret, dotfiles, sources, a canary outside the app) and the other origins its own
    config redirects to."""

    secrets: tuple[str, ...]
    trusted_origins: frozenset[str]

    def problems(self, request: FuzzRequest, response: Response) -> list[Problem]:
        """Everything wrong with `response` as the answer to `request`."""
        found = header_problems(response)
        found += self.location_problems(request, response)
        if response.status >= 500 and not request.fails_on_purpose:
            found.append(("5xx", f"status {response.status} on a URL not made to fail"))
        try:
            body = decoded_body(request, response)
        except ValueError as error:
            return [*found, ("content_encoding", str(error))]
        return found + self.body_problems(request, response, body)

    def body_problems(self, request: FuzzRequest, response: Response, body: bytes) -> list[Problem]:
        """Secrets, exception text, a broken __NEXT_DATA__ script or JSON body. The client
        runtime, stylesheets and images are the app's own files, not checked for words."""
        content_type = (response.value("content-type") or b"").lower()
        if not body or content_type.startswith(UNCHECKED_TYPES):
            return []
        text = body.decode("utf-8", "replace")
        sent = request_text(request.raw)
        found = [("leak", f"body holds {secret!r}") for secret in self.secrets if secret in text]
        for match in EXCEPTION_TEXT.finditer(text):
            if match.group().strip('"').lower() not in sent:
                found.append(("exception_text", f"body holds {excerpt(text, match.start())!r}"))
                break
        if content_type.startswith(b"text/html"):
            found += next_data_problems(body)
        if content_type.startswith(b"application/json"):
            found += json_problems(body)
        return found

    def location_problems(self, request: FuzzRequest, response: Response) -> list[Problem]:
        """Every Location (and `Refresh: 0;url=`) stays on this origin; one Location at most."""
        targets = response.values("location")
        for refresh in response.values("refresh"):
            _, marker, url = refresh.lower().partition(b"url=")
            if marker:
                targets.append(refresh[len(refresh) - len(url) :])
        host = (request.host or b"").decode("latin-1").lower()
        problems = [self.foreign(target, host) for target in targets]
        found = [("location", problem) for problem in problems if problem]
        if len(response.values("location")) > 1:
            found.append(("location", f"{len(response.values('location'))} Location headers"))
        return found

    def foreign(self, target: bytes, host: str) -> str:
        """Why a redirect target leaves this origin, as a browser would parse it, or ""."""
        text = target.decode("latin-1")
        url = re.sub(r"[\t\n\r]", "", text.strip(C0_AND_SPACE))
        if not SCHEME.match(url):
            if url.startswith("/") and url[1:2] not in ("/", "\\"):
                return ""
            return f"{text!r} is not a path starting with one /"
        scheme, _, rest = url.partition(":")
        authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0].lower()
        plain = rest.startswith("//") and not re.search(r"[\\@]", authority)
        known = authority == host or f"{scheme.lower()}://{authority}" in self.trusted_origins
        if scheme.lower() in ("http", "https") and plain and known:
            return ""
        return f"{text!r} points to another origin"


def header_problems(response: Response) -> list[Problem]:
    """No header named or cookie set from attacker text; no CR, LF or NUL inside a line."""
    found = []
    for line in response.lines:
        name, colon, value = line.partition(b":")
        if not colon or not name.strip() or b" " in name.strip():
            found.append(("header_injection", f"header line {line[:120]!r} is not `name: value`"))
        elif any(byte in value for byte in b"\r\n\0"):
            found.append(("header_injection", f"CR/LF/NUL inside header {line[:120]!r}"))
        elif b"injected" in name.lower():
            found.append(("header_injection", f"header {line[:120]!r} named from the request"))
        elif name.lower() == b"set-cookie" and b"injected" in value.partition(b"=")[0].lower():
            found.append(("header_injection", f"cookie set from the request: {line[:120]!r}"))
    return found


def request_text(raw: bytes) -> str:
    """The request as text, raw and percent-decoded, lower-cased: what a page may echo."""
    text = raw.decode("latin-1")
    return " ".join((text, unquote(text, errors="replace"), unquote_plus(text))).lower()


def excerpt(text: str, at: int, width: int = 120) -> str:
    return text[max(0, at - 40) : at + width]


def accepted_codings(raw: bytes) -> dict[str, float]:
    """The request's Accept-Encoding as {coding: q}; `x-gzip` is `gzip` (RFC 9110 8.4.1.3)."""
    head = raw.partition(b"\r\n\r\n")[0].decode("latin-1").lower()
    codings: dict[str, float] = {}
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip() != "accept-encoding":
            continue
        for part in value.split(","):
            coding, _, weight = part.partition(";")
            coding = "gzip" if coding.strip() == "x-gzip" else coding.strip()
            codings[coding] = _quality(weight)
    return codings


def _quality(weight: str) -> float:
    """The `q=` of an Accept-Encoding member: 1 when absent, 0 when unreadable."""
    name, _, value = weight.strip().partition("=")
    if name.strip() != "q":
        return 1.0
    try:
        return float(value)
    except ValueError:
        return 0.0


def decoded_body(request: FuzzRequest, response: Response) -> bytes:
    """The body with its Content-Encoding undone; ValueError for a coding the request did not
    accept or a body that does not decode."""
    header = b",".join(response.values("content-encoding")).decode("latin-1").lower()
    codings = [coding.strip() for coding in header.split(",") if coding.strip()]
    accepted = accepted_codings(request.raw)
    body = response.body
    for coding in reversed(codings):
        quality = accepted.get("gzip" if coding == "x-gzip" else coding, accepted.get("*", 0.0))
        if coding != "identity" and quality <= 0:
            raise ValueError(f"Content-Encoding {coding!r} the request did not accept")
        try:
            body = decode(coding, body)
        except Exception as error:
            raise ValueError(f"body does not decode as {coding!r}: {error!r}") from error
    return body


def decode(coding: str, body: bytes) -> bytes:
    if not body:
        return body
    if coding in ("gzip", "x-gzip"):
        return gzip.decompress(body)
    if coding == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:
            return zlib.decompress(body, -zlib.MAX_WBITS)
    if coding == "br":
        result: bytes = brotli.decompress(body)
        return result
    if coding == "zstd":
        return zstandard.ZstdDecompressor().decompressobj().decompress(body)
    if coding == "identity":
        return body
    raise ValueError(f"unknown content-coding {coding!r}")


def next_data_problems(body: bytes) -> list[Problem]:
    """An HTML page with `__NEXT_DATA__` has one such script, whose text up to its first
    `</script` (the end a browser sees) is the whole JSON, with no `<!--` to confuse it."""
    if b"__NEXT_DATA__" not in body:
        return []
    opens = list(NEXT_DATA_OPEN.finditer(body))
    if len(opens) != 1:
        return [("next_data", f"{len(opens)} __NEXT_DATA__ script tags")]
    start = opens[0].end()
    end = body.lower().find(b"</script", start)
    if end < 0:
        return [("next_data", "the __NEXT_DATA__ script is never closed")]
    script = body[start:end]
    if b"<!--" in script:
        return [("next_data", "`<!--` inside the __NEXT_DATA__ script")]
    try:
        json.loads(script)
    except ValueError as error:
        return [("next_data", f"text up to the first </script is not JSON ({error}): "
                 f"{body[max(0, end - 60) : end + 40]!r}")]
    return []


def json_problems(body: bytes) -> list[Problem]:
    try:
        json.loads(body)
    except ValueError as error:
        return [("json", f"an application/json body that does not parse ({error}): {body[:120]!r}")]
    return []
