"""Request bodies: sizes, reading within a limit, decoding text, and parsing by Content-Type.

Pages (`await ctx.req.body()`, `.json()`, `.form()`) and API routes read bodies through
here, so both refuse a body over their limit (413), text in an encoding outside a known set
or that does not decode (400), and malformed JSON or forms (400) the same way.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

import orjson
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect
from starlette.requests import Request as StarletteRequest

from .responses import RawHeaders
from .urls import group_pairs, parse_query

DEFAULT_BODY_LIMIT = 1024 * 1024
# Units as Next's `bytes` package reads them: binary multiples.
SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?b)?\s*", re.IGNORECASE)
# The charsets a client may name for text bodies: the common web encodings, all decoded in
# linear time. Any other codec Python knows (`punycode`, `undefined`, `rot13`, …) is refused:
# the client must not choose what code runs over its bytes.
TEXT_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
        "ascii", "latin-1", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255",
        "cp1256", "cp1257", "cp1258", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5",
        "iso8859-6", "iso8859-7", "iso8859-8", "iso8859-9", "iso8859-10", "iso8859-13",
        "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u", "shift_jis", "euc-jp",
        "iso2022-jp", "gbk", "gb18030", "big5", "euc-kr",
    )
)  # fmt: skip


class BodyError(Exception):
    """The body cannot be handed to the code: answered with this status and message."""

    def __init__(self, status: int, message: str, headers: RawHeaders | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or []


def body_timeout(seconds: float) -> BodyError:
    """What reading a body that did not arrive within `seconds` raises: a 408 that closes the
    connection, since the rest of the body may still be on its way."""
    return BodyError(
        408, f"Request body not received within {seconds:g}s", [(b"connection", b"close")]
    )


def parse_size(value: object) -> int | None:
    """Bytes from `"5mb"`, `"500kb"`, `"100b"`, `"1.5mb"` or an int; None if it is none of those."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if not isinstance(value, str):
        return None
    found = _SIZE.fullmatch(value)
    if found is None:
        return None
    number, unit = found.groups()
    return int(float(number) * SIZE_UNITS[(unit or "b").lower()])


def format_size(size: int) -> str:
    """A size as Next shows it in "Body exceeded 1mb limit"."""
    for unit in ("tb", "gb", "mb", "kb"):
        if size >= SIZE_UNITS[unit]:
            return f"{round(size / SIZE_UNITS[unit], 2):g}{unit}"
    return f"{size}b"


async def read_body(request: StarletteRequest, limit: int) -> bytes:
    """The whole body, refusing (without reading on) one longer than `limit` bytes.

    The body is kept on the request, so reading it again (or Starlette's own parsers) costs
    nothing more.
    """
    too_large = BodyError(413, f"Body exceeded {format_size(limit)} limit")
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks = []
    size = 0
    try:
        async with aclosing(request.stream()) as stream:
            async for chunk in stream:
                size += len(chunk)
                if size > limit:
                    raise too_large
                chunks.append(chunk)
    except ClientDisconnect:
        raise BodyError(400, "Client disconnected") from None
    body = b"".join(chunks)
    request._body = body  # Starlette's cache of the read body.
    return body


def parse_json(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BodyError(400, f"Invalid JSON body: {exc}") from None


async def parse_form(headers: Headers, raw: bytes, limit: int) -> FormData:
    """A `multipart/form-data` or urlencoded body as Starlette's `FormData`."""
    mime, charset = content_type(headers.get("content-type", ""))
    if mime == "multipart/form-data":
        text_codec(charset)  # Starlette decodes the fields in the charset the client names
        # Starlette caps each field at 1 MB by default; the body limit is the cap here.
        parser = MultiPartParser(headers, _once(raw), max_part_size=limit)
        try:
            return await parser.parse()
        except MultiPartException as exc:
            raise BodyError(400, f"Invalid multipart body: {exc.message}") from None
        except UnicodeDecodeError:
            raise BodyError(400, f"Invalid multipart body: a field is not {charset} text") from None
    if mime == "application/x-www-form-urlencoded":
        fields: list[tuple[str, str | UploadFile]] = list(parse_query(decode_text(raw, charset)))
        return FormData(fields)
    return FormData()


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


async def parse_body(headers: Headers, raw: bytes, limit: int) -> tuple[Any, FormData | None]:
    """An API route's body as its Content-Type says (none says text), and the form to close
    afterwards (uploads). As Next, an empty JSON or form body is `{}` and no body is `""`."""
    declared = headers.get("content-type")
    mime, charset = content_type(declared or "text/plain")
    if not raw:
        empty: Any = {} if mime in FORM_TYPES or _is_json(mime) else raw if _is_binary(mime) else ""
        return empty, None
    if _is_json(mime):
        return parse_json(raw), None
    if mime == "multipart/form-data":
        form = await parse_form(headers, raw, limit)
        return group_pairs(form.multi_items()), form
    if mime == "application/x-www-form-urlencoded":
        return group_pairs(parse_query(decode_text(raw, charset))), None
    if _is_binary(mime):
        return raw, None
    if declared is None and not _is_utf8(raw):
        raise BodyError(
            400,
            "Invalid body: not UTF-8 text, and no Content-Type says what it is (send "
            "Content-Type: application/octet-stream for bytes)",
        )
    return decode_text(raw, charset), None


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode()
    except UnicodeDecodeError:
        return False
    return True


def _is_json(mime: str) -> bool:
    return mime == "application/json" or mime.endswith("+json")


def _is_binary(mime: str) -> bool:
    """Bodies handed over as bytes: every type but text, JSON and forms."""
    return not (mime.startswith("text/") or _is_json(mime) or mime in FORM_TYPES)


def content_type(header: str) -> tuple[str, str]:
    """The media type (lower case) and the charset it names (UTF-8 when it names none)."""
    mime, _, parameters = header.partition(";")
    charset = "utf-8"
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"') or charset
    return mime.strip().lower(), charset


def text_codec(charset: str) -> str:
    """The codec for a charset a client named, which must be one of `TEXT_ENCODINGS`."""
    try:
        codec = codecs.lookup(charset).name
    except (LookupError, ValueError):
        codec = None
    if codec not in TEXT_ENCODINGS:
        raise BodyError(400, f"Invalid body: unsupported charset {charset[:40]!r} (send UTF-8)")
    return codec


def decode_text(raw: bytes, charset: str) -> str:
    """`raw` as text in `charset`, which must be one of `TEXT_ENCODINGS`."""
    codec = text_codec(charset)
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        raise BodyError(400, f"Invalid body: not valid {charset} text") from None


async def _once(data: bytes) -> AsyncGenerator[bytes, None]:
    yield data
