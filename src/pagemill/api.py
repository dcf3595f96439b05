"""API routes (`pages/api/**.py`): load-time checks, the `req`/`res` a handler gets, one call.

A handler is `async def handler(req, res)`, or `def` (run in a worker thread: for code that
blocks). It
answers through `res` (`res.status(201).json({...})`, Next's API-route helpers) or returns a
JSON-able value or a Starlette `Response`.
"""

from __future__ import annotations

import difflib
import inspect
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import Any, Literal, Protocol

import orjson
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response

from .bodies import DEFAULT_BODY_LIMIT, BodyError, parse_body, parse_size, read_body
from .context import RequestView, ShapedResponse
from .responses import RawHeaders, location_header, respond, with_etag
from .threads import run_sync
from .types import Params, Query
from .urls import parse_query, query_dict

logger = logging.getLogger("pagemill")

JSON_UTF8 = b"application/json; charset=utf-8"
HTML_UTF8 = b"text/html; charset=utf-8"
OCTET_STREAM = b"application/octet-stream"
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE")
CONFIG_KEYS = {"api": "a dict of API route options"}
API_CONFIG_KEYS = {"body_parser": '{"size_limit": "1mb"} or False'}
BODY_PARSER_KEYS = {"size_limit": 'a size like "1mb" or a number of bytes'}
_NO_BODY_STATUS = (204, 304)
_BODY_HEADERS = frozenset((b"content-length", b"transfer-encoding", b"content-type"))

FormValue = str | UploadFile


@dataclass(frozen=True, slots=True)
class ApiRoute:
    """A loaded API module: what the pipeline calls for it."""

    source: str
    handler: Callable[..., Any]
    is_async: bool
    # From `methods = ("GET", "POST")`, upper-cased; None allows any method.
    methods: tuple[str, ...] | None
    # Bytes; None when `config = {"api": {"body_parser": False}}` (the handler reads the stream).
    body_limit: int | None


class PreviewCookies(Protocol):
    """Builds the draft/preview Set-Cookie values for this app and build."""

    def enable_draft(self) -> list[str]: ...
    def disable_draft(self) -> list[str]: ...
    def set_data(self, data: object, max_age: int | None, path: str) -> list[str]: ...
    def clear(self) -> list[str]: ...


Revalidate = Callable[[str], Awaitable[None]]


# --- loading -------------------------------------------------------------------------------


def api_route_problems(module: ModuleType, source: str) -> list[str]:
    """The load-time rules for one API module, each naming the file."""
    problems = []
    for name in ("get_server_side_props", "page"):
        if hasattr(module, name):
            problems.append(
                f"{source}: an API route cannot define `{name}`: files under pages/api/ are API "
                "routes, not pages. Move the page out of pages/api/, or remove it."
            )
    problems.extend(_handler_problems(getattr(module, "handler", None), source))
    if hasattr(module, "methods"):
        problems.extend(_methods_problems(module.methods, source))
    if hasattr(module, "config"):
        problems.extend(_config_problems(module.config, source))
    return problems


def load_api_route(
    module: ModuleType, source: str, default_limit: int = DEFAULT_BODY_LIMIT
) -> ApiRoute:
    """The route for a module `api_route_problems` found nothing wrong with; its body limit
    is `default_limit` unless its `config` says otherwise."""
    handler = module.handler
    methods = getattr(module, "methods", None)
    return ApiRoute(
        source=source,
        handler=handler,
        is_async=inspect.iscoroutinefunction(handler),
        methods=None if methods is None else tuple(m.upper() for m in methods),
        body_limit=_body_limit(getattr(module, "config", {}), default_limit),
    )


def _handler_problems(handler: object, source: str) -> list[str]:
    example = "`def handler(req, res): ...` (or `async def`)"
    if handler is None:
        return [f"{source}: no `handler`. An API route must define {example}."]
    if not callable(handler):
        return [f"{source}: `handler` is a {type(handler).__name__}, not a function: {example}."]
    try:
        inspect.signature(handler).bind(object(), object())
    except TypeError:
        return [
            f"{source}: `handler` must take exactly two arguments, the request and the "
            f"response: {example}."
        ]
    except ValueError:  # No signature to read (some builtins): trust it.
        return []
    return []


def _methods_problems(methods: object, source: str) -> list[str]:
    example = 'e.g. `methods = ("GET", "POST")`'
    if not isinstance(methods, tuple | list):
        got = f"got {methods!r}"
        return [f"{source}: `methods` must be a tuple of HTTP method names, {example}; {got}."]
    if not methods:
        return [
            f"{source}: `methods` is empty, so every request would get 405. List the methods "
            f"the handler answers, {example}, or remove `methods` to allow any."
        ]
    unknown = [m for m in methods if not isinstance(m, str) or m.upper() not in HTTP_METHODS]
    if unknown:
        return [
            f"{source}: `methods` holds {', '.join(repr(m) for m in unknown)}, not HTTP "
            f"method names. Use names among {', '.join(HTTP_METHODS)}, {example}."
        ]
    return []


def _config_problems(config: object, source: str) -> list[str]:
    example = '`config = {"api": {"body_parser": {"size_limit": "5mb"}}}`'
    if not isinstance(config, dict):
        return [f"{source}: `config` must be a dict like {example}; got {config!r}."]
    problems = _unknown_keys(config, CONFIG_KEYS, "config", source)
    api = config.get("api", {})
    if not isinstance(api, dict):
        return [*problems, f'{source}: `config["api"]` must be a dict like {example}.']
    problems += _unknown_keys(api, API_CONFIG_KEYS, 'config["api"]', source)
    parser = api.get("body_parser", {})
    where = 'config["api"]["body_parser"]'
    if parser is False:
        return problems
    if not isinstance(parser, dict):
        return [
            *problems,
            f"{source}: `{where}` must be a dict like "
            '`{"size_limit": "5mb"}`, or False to read the raw body with `req.stream()`; '
            f"got {parser!r}.",
        ]
    problems += _unknown_keys(parser, BODY_PARSER_KEYS, where, source)
    if "size_limit" in parser and parse_size(parser["size_limit"]) is None:
        problems.append(
            f'{source}: `{where}["size_limit"]` is {parser["size_limit"]!r}: use a size like '
            '"1mb", "500kb" or "1gb", or a number of bytes.'
        )
    return problems


def _unknown_keys(
    given: dict[Any, Any], known: dict[str, str], where: str, source: str
) -> list[str]:
    problems = []
    for key in given:
        if key in known:
            continue
        # Next spells these in camelCase (`bodyParser`); say the snake_case name outright.
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", str(key)).lower()
        close = [snake] if snake in known else difflib.get_close_matches(str(key), known, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"valid keys are {', '.join(known)}."
        problems.append(f"{source}: `{where}` has an unknown key {key!r}: {hint}")
    return problems


def _body_limit(config: dict[str, Any], default: int) -> int | None:
    parser = config.get("api", {}).get("body_parser", {})
    if parser is False:
        return None
    size = parse_size(parser.get("size_limit", default))
    assert size is not None  # Checked at load time.
    return size


# --- the request ---------------------------------------------------------------------------


class ApiRequest(RequestView):
    """The request as an API handler sees it; `body` is already parsed by its Content-Type."""

    __slots__ = ("_form", "_raw", "body", "query", "url")

    def __init__(
        self,
        request: StarletteRequest,
        url: str,
        query: Query,
        body: Any = None,
        raw: bytes | None = None,
        form: FormData | None = None,
    ) -> None:
        super().__init__(request)
        self.url = url
        self.query = query
        # JSON → its value, forms → dict, text/* (or no type) → str, else bytes; no body → "".
        self.body = body
        self._raw = raw
        self._form = form

    async def stream(self) -> AsyncIterator[bytes]:
        """The raw body in chunks (read as it arrives with `body_parser: False`)."""
        if self._raw is None:
            async for chunk in self._request.stream():
                yield chunk
        elif self._raw:
            yield self._raw

    async def close(self) -> None:
        if self._form is not None:
            await self._form.close()


async def read_request(
    route: ApiRoute,
    request: StarletteRequest,
    params: Params,
    url: str,
    rewritten: Query,
) -> ApiRequest:
    """The handler's `req`, its body read and parsed; raises `BodyError` for a 400 or 413."""
    pairs = parse_query(request.scope["query_string"].decode("latin-1"))
    query = query_dict(pairs, params, rewritten)
    if route.body_limit is None:
        return ApiRequest(request, url, query)
    # A request without Content-Length or Transfer-Encoding has no body (RFC 9112 6.3); with
    # no Content-Type either, that is `""`, as `parse_body` says, without reading anything.
    raw_headers = request.scope["headers"]
    if not any(name in _BODY_HEADERS for name, _ in raw_headers):
        return ApiRequest(request, url, query, "", b"")
    headers = request.headers
    bodiless = "content-length" not in headers and "transfer-encoding" not in headers
    raw = b"" if bodiless else await read_body(request, route.body_limit)
    body, form = await parse_body(headers, raw, route.body_limit)
    return ApiRequest(request, url, query, body, raw, form)


class ApiResponse(ShapedResponse):
    """What an API handler answers through: Next's `res` helpers over Starlette's response.

    Headers and cookies reuse Starlette's handling. One call sends the response
    (`json`, `send`, `end`, `redirect`); after it, changing the response is an error.
    """

    def __init__(self, source: str, preview: PreviewCookies, revalidate: Revalidate) -> None:
        super().__init__(source)
        self.sent_by: str | None = None
        # Bodies of `send` and `json` get an ETag as in Next; `end` and redirects do not.
        self.tagged = False
        self._preview = preview
        self._revalidate = revalidate

    def status(self, code: int) -> ApiResponse:
        """Set the status code; returns `res` so that `res.status(201).json(...)` reads."""
        self._check_open("res.status()")
        if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 599:
            raise ValueError(
                f"{self.source}: res.status() takes an HTTP status code (100-599), got {code!r}."
            )
        self.status_code = code
        return self

    def set_header(self, name: str, value: str | int) -> ApiResponse:
        self._check_open("res.set_header()")
        self.headers[name] = self.checked_value(name, value)
        return self

    def append_header(self, name: str, value: str | int) -> ApiResponse:
        self._check_open("res.append_header()")
        self.headers.append(name, self.checked_value(name, value))
        return self

    def remove_header(self, name: str) -> ApiResponse:
        self._check_open("res.remove_header()")
        del self.headers[name]
        return self

    def get_header(self, name: str) -> str | None:
        return self.headers.get(name)

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: int | None = None,
        expires: datetime | str | int | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: Literal["lax", "strict", "none"] | None = "lax",
        partitioned: bool = False,
    ) -> None:
        """Starlette's `set_cookie` (`delete_cookie` comes through here too)."""
        self._check_open("res.set_cookie()")
        super().set_cookie(
            key, value, max_age, expires, path, domain, secure, httponly, samesite, partitioned
        )

    def json(self, value: Any) -> None:
        """Send `value` as JSON (`application/json; charset=utf-8`)."""
        self._send("res.json()", _dump(value, self.source, "res.json()"), JSON_UTF8, force=True)

    def send(self, body: str | bytes | dict[str, Any] | list[Any] | int | float | None) -> None:
        """Send `body`: dict, list, number → JSON; str → HTML; bytes → octet-stream.

        A Content-Type set before wins over the str and bytes defaults.
        """
        if body is None:
            self._check_open("res.send()")
            self.body = b""
            self.sent_by = "res.send()"
        elif isinstance(body, str):
            self._send("res.send()", body.encode(), HTML_UTF8)
        elif isinstance(body, bytes | bytearray | memoryview):
            self._send("res.send()", bytes(body), OCTET_STREAM)
        else:
            self._send("res.send()", _dump(body, self.source, "res.send()"), JSON_UTF8, force=True)

    def end(self, body: str | bytes = b"") -> None:
        """Send `body` as it is, with whatever headers were set."""
        self._check_open("res.end()")
        self.body = body.encode() if isinstance(body, str) else bytes(body)
        self.sent_by = "res.end()"

    def redirect(self, status_or_url: int | str, url: str | None = None) -> None:
        """`res.redirect("/to")` (307) or `res.redirect(308, "/to")`."""
        self._check_open("res.redirect()")
        status, target = (307, status_or_url) if url is None else (status_or_url, url)
        if not isinstance(target, str) or not isinstance(status, int) or isinstance(status, bool):
            raise TypeError(
                f"{self.source}: invalid res.redirect() arguments. Use a URL, "
                "`res.redirect('/destination')`, or a status code and a URL, "
                "`res.redirect(307, '/destination')`."
            )
        if not 300 <= status <= 399:
            raise ValueError(f"{self.source}: res.redirect() status must be 3xx, got {status}.")
        if "\r" in target or "\n" in target:
            raise ValueError(
                f"{self.source}: res.redirect() URL {target!r} contains a line break, which "
                "would split the Location header. Remove CR/LF characters from the URL."
            )
        self.status_code = status
        self.raw_headers.append((b"location", location_header(target)))
        self.body = target.encode()
        self.sent_by = "res.redirect()"

    def set_draft_mode(self, enable: bool = True) -> ApiResponse:
        """Turn draft mode on (the bypass cookie) or off (expire it)."""
        self._check_open("res.set_draft_mode()")
        return self._add_cookies(
            self._preview.enable_draft() if enable else self._preview.disable_draft()
        )

    def set_preview_data(
        self, data: object, max_age: int | None = None, path: str = "/"
    ) -> ApiResponse:
        """Enter preview mode with `data` (encrypted into a cookie of at most 2 KB)."""
        self._check_open("res.set_preview_data()")
        return self._add_cookies(self._preview.set_data(data, max_age, path))

    def clear_preview_data(self) -> ApiResponse:
        """Leave draft and preview mode: both cookies expire."""
        self._check_open("res.clear_preview_data()")
        return self._add_cookies(self._preview.clear())

    async def revalidate(self, path: str) -> None:
        """Drop `path` (e.g. "/blog/post-1") from the response cache."""
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError(
                f"{self.source}: res.revalidate() takes a path such as /blog/post-1, got {path!r}."
            )
        try:
            await self._revalidate(path)
        except Exception as exc:
            raise RuntimeError(f"Failed to revalidate {path}: {exc}") from exc

    @property
    def sent(self) -> bool:
        return self.sent_by is not None

    def _send(
        self, action: str, body: bytes, content_type: bytes | None, force: bool = False
    ) -> None:
        self._check_open(action)
        if content_type is not None:
            _set_type(self.raw_headers, content_type, replace=force)
        self.body = body
        self.tagged = True
        self.sent_by = action

    def _check_open(self, action: str) -> None:
        if self.sent_by is not None:
            raise RuntimeError(
                f"{self.source}: {action} after the response was already sent by "
                f"{self.sent_by} (response already sent). A handler sends one response."
            )

    def _add_cookies(self, values: list[str]) -> ApiResponse:
        self.raw_headers.extend((b"set-cookie", value.encode("latin-1")) for value in values)
        return self


def _set_type(headers: RawHeaders, content_type: bytes, *, replace: bool) -> None:
    """Content-Type in place of the first one set (others dropped), or last if none was;
    with `replace` False, one set already stays. (Starlette's `headers[...] = ...` in raw.)"""
    found = [i for i, (name, _) in enumerate(headers) if name == b"content-type"]
    if not found:
        headers.append((b"content-type", content_type))
    elif replace:
        headers[found[0]] = (b"content-type", content_type)
        for i in reversed(found[1:]):
            del headers[i]


def _dump(value: object, source: str, what: str) -> bytes:
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except TypeError as exc:
        raise TypeError(f"{source}: {what} was given a value JSON cannot carry: {exc}") from exc


# --- one call ------------------------------------------------------------------------------


async def run_api_route(
    route: ApiRoute,
    request: StarletteRequest,
    params: Params,
    *,
    preview: PreviewCookies,
    revalidate: Revalidate,
    url: str | None = None,
    generate_etags: bool = True,
    rewritten: Query | None = None,
) -> Response:
    """Check the method, read the body, run the handler and turn what it did into a response.

    `url` is `req.url` (the pipeline passes it without the base path); by default, the path
    and query as received. `rewritten` (the query config rewrites set) replaces the
    request's values of its keys in `req.query`. A handler error becomes a 500 and is left in
    `request.scope["pagemill.error"]` for the request log.
    """
    if route.methods is not None and request.method not in route.methods:
        allow = (b"allow", ", ".join(route.methods).encode())
        return error_response(405, "Method Not Allowed", [allow])
    try:
        url = url or _received_url(request)
        req = await read_request(route, request, params, url, rewritten or {})
    except BodyError as exc:
        return error_response(exc.status, exc.message, exc.headers)
    res = ApiResponse(route.source, preview, revalidate)
    try:
        try:
            result = await _call(route, req, res)
        finally:
            await req.close()
    except BodyError as exc:  # a raw `req.stream()` that timed out or broke
        return error_response(exc.status, exc.message, exc.headers)
    except Exception as exc:
        request.scope["pagemill.error"] = exc
        # Once sent, it is sent (in Next it is on the wire already); the error is still logged.
        if res.sent:
            return finish(res, request, generate_etags)
        return handler_failed()
    try:
        return _outcome(route, request, res, result, generate_etags)
    except Exception as exc:
        request.scope["pagemill.error"] = exc
        return handler_failed()


async def _call(route: ApiRoute, req: ApiRequest, res: ApiResponse) -> Any:
    if route.is_async:
        return await route.handler(req, res)
    result = await run_sync(route.handler, req, res)
    if inspect.isawaitable(result):
        result = await result
    return result


def _outcome(
    route: ApiRoute, request: StarletteRequest, res: ApiResponse, result: Any, etags: bool
) -> Response:
    """The response: what `res` sent, else what the handler returned."""
    returned = result is not None and result is not res
    if res.sent:
        if returned:
            logger.warning(
                "API handler in %s returned a value after sending a response with %s; "
                "the returned value is ignored",
                route.source,
                res.sent_by,
            )
        return finish(res, request, etags)
    if isinstance(result, Response) and result is not res:
        _merge_headers(result, res.raw_headers)
        return result
    if not returned:
        logger.warning(
            "API handler in %s returned without sending a response "
            "(call res.json()/res.send()/res.end(), or return a value)",
            route.source,
        )
        return handler_failed()
    res.json(result)
    return finish(res, request, etags)


def finish(res: ApiResponse, request: StarletteRequest, etags: bool) -> Response:
    """The bytes of what `res` sent: Content-Length always ours, an ETag on sent bodies."""
    status = res.status_code
    headers = [(k, v) for k, v in res.raw_headers if k != b"content-length"]
    if status < 200 or status in _NO_BODY_STATUS:
        # As Next: these statuses carry no body, so no type or length either.
        bodiless = Response(status_code=status)
        bodiless.raw_headers = [(k, v) for k, v in headers if k != b"content-type"]
        return bodiless
    body = bytes(res.body)
    if res.tagged and etags:
        return with_etag(request.scope["headers"], status, headers, body)
    return respond(status, headers, body)


def _merge_headers(response: Response, headers: RawHeaders) -> None:
    """Headers and cookies set on `res` join a returned Response (its own headers win)."""
    present = {name for name, _ in response.raw_headers}
    for name, value in headers:
        if name == b"set-cookie" or name not in present:
            response.raw_headers.append((name, value))


def handler_failed() -> Response:
    """A handler that raised or never answered: Next's bare 500, no type, nothing of the
    error."""
    return respond(500, [], b"Internal Server Error")


def error_response(status: int, message: str, headers: RawHeaders | None = None) -> Response:
    """`{"error": message}` as JSON: how API routes answer what the handler never sees."""
    raw = [(b"content-type", JSON_UTF8), *(headers or [])]
    return respond(status, raw, orjson.dumps({"error": message}))


def _received_url(request: StarletteRequest) -> str:
    scope = request.scope
    raw: bytes | None = scope.get("raw_path")
    path = raw.decode("latin-1").split("?", 1)[0] if raw is not None else scope["path"]
    query: bytes = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path
