"""What `get_server_side_props`, `_app.py` and the layout are given: context, request, response."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from starlette.datastructures import FormData, Headers, MutableHeaders
from starlette.requests import Request as StarletteRequest
from starlette.requests import cookie_parser
from starlette.responses import Response

from .bodies import DEFAULT_BODY_LIMIT, parse_form, parse_json, read_body
from .types import Params, Query

# A `%` that does not start an escape: JavaScript's decodeURIComponent refuses the value.
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def request_cookies(request: StarletteRequest) -> dict[str, str]:
    """The request's cookies as Next reads them: values percent-decoded (kept as sent where
    that fails), the first of a repeated name winning. Parsed once per request."""
    cookies: dict[str, str] | None = request.scope.get("pagemill.cookies")
    if cookies is None:
        cookies = {}
        for pair in "; ".join(request.headers.getlist("cookie")).split(";"):
            for name, value in cookie_parser(pair).items():
                cookies.setdefault(name, _percent_decoded(value))
        request.scope["pagemill.cookies"] = cookies
    return cookies


def _percent_decoded(value: str) -> str:
    if "%" not in value or _BAD_ESCAPE.search(value):
        return value
    try:
        return unquote(value, errors="strict")
    except UnicodeDecodeError:
        return value


class RequestView:
    """What pages and API routes alike read from a request: method, headers, cookies, client."""

    __slots__ = ("_request",)

    def __init__(self, request: StarletteRequest) -> None:
        self._request = request

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def headers(self) -> Headers:
        return self._request.headers

    @property
    def cookies(self) -> dict[str, str]:
        return request_cookies(self._request)

    @property
    def client(self) -> tuple[str, int] | None:
        client = self._request.client
        return None if client is None else (client.host, client.port)


class Request(RequestView):
    """The incoming request as a page sees it.

    `url` is the path and query as received, minus the base path (a data request keeps its
    `/_next/data/...json` form). The body is refused past `body_limit` bytes (413), and
    malformed JSON or form input is a 400: both answer with the error page.
    """

    __slots__ = ("body_limit", "url")

    def __init__(
        self, request: StarletteRequest, url: str, body_limit: int = DEFAULT_BODY_LIMIT
    ) -> None:
        super().__init__(request)
        self.url = url
        self.body_limit = body_limit

    async def body(self) -> bytes:
        return await read_body(self._request, self.body_limit)

    async def json(self) -> Any:
        return parse_json(await self.body())

    async def form(self) -> FormData:
        return await parse_form(self.headers, await self.body(), self.body_limit)


class ShapedResponse(Response):
    """A response user code shapes (status, headers, cookies) and pagemill sends itself.

    It reuses Starlette's header and cookie handling but none of its construction: the
    headers start empty and the body is set when the code sends one.
    """

    def __init__(self, source: str) -> None:
        self.status_code = 200
        self.raw_headers = []
        self.background = None
        self.body = b""
        self.source = source  # the file whose code shapes it, named in errors

    @property
    def headers(self) -> MutableHeaders:
        return MutableHeaders(raw=self.raw_headers)

    def checked_value(self, name: str, value: str | int) -> str:
        """A header value as text, refused if it could split the response (CR, LF, NUL)."""
        text = str(value)
        if any(c in text for c in "\r\n\0"):
            raise ValueError(
                f"{self.source}: the value of header {name!r} contains a line break or NUL: "
                f"{text!r}. Header values must be one line."
            )
        return text


class PageResponse(ShapedResponse):
    """What `get_server_side_props` shapes through `ctx.res`: status, headers, cookies, `end()`."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.ended = False

    def set_header(self, name: str, value: str | int) -> None:
        self.headers[name] = self.checked_value(name, value)

    def append_header(self, name: str, value: str | int) -> None:
        self.headers.append(name, self.checked_value(name, value))

    def end(self, body: str | bytes = b"") -> None:
        """Send `body` as the whole response; the page is not rendered."""
        self.body = body.encode() if isinstance(body, str) else body
        self.ended = True


@dataclass(slots=True)
class Context:
    """The argument of `get_server_side_props(ctx)`."""

    params: Params
    query: Query
    req: Request
    res: PageResponse
    resolved_url: str
    locale: str | None = None
    locales: list[str] = field(default_factory=list)
    default_locale: str | None = None
    draft_mode: bool = False
    preview: bool = False
    preview_data: Any = None


@dataclass(slots=True)
class AppContext:
    """The argument of `_app.py`'s `get_initial_props(ctx)`."""

    req: Request
    res: PageResponse
    pathname: str
    query: Query
    as_path: str
    locale: str | None = None
    locales: list[str] = field(default_factory=list)
    default_locale: str | None = None


@dataclass(frozen=True, slots=True)
class RouterState:
    """The current URL as `next/router` describes it: what the layout `app(page, props,
    router)` gets, and `page(props, router)` and `head(props, router)` when they take it.

    `pathname` is the route pattern (`/books/[slug]`), `as_path` the URL shown, without the
    base path and locale (`/books/dune?x=1`); `query` holds the route params and the query.
    """

    pathname: str
    as_path: str
    query: Query
    locale: str | None = None
    locales: list[str] = field(default_factory=list)
    default_locale: str | None = None
    base_path: str = ""
    is_preview: bool = False

    @property
    def route(self) -> str:
        """Next's `router.route`: the route pattern, the same as `pathname`."""
        return self.pathname
