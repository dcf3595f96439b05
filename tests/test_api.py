"""API routes: `run_api_route` over HTTP, and the load-time checks of API modules."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from starlette.requests import Request as StarletteRequest

from pagemill.api import ApiRoute, api_route_problems, load_api_route, run_api_route
from pagemill.bodies import DEFAULT_BODY_LIMIT, format_size, parse_size
from pagemill.errors import PagemillError
from pagemill.loader import import_page
from pagemill.types import Message, Receive, Scope, Send

API_DIR = Path(__file__).parent / "apps" / "api" / "pages" / "api"
JSON_UTF8 = "application/json; charset=utf-8"
TOO_BIG = "Preview data is limited to 2KB currently"


class FakePreview:
    """Stands in for the draft/preview cookie builder: records calls, returns fixed values."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def enable_draft(self) -> list[str]:
        self.calls.append(("enable_draft",))
        return ["__prerender_bypass=id; Path=/; HttpOnly"]

    def disable_draft(self) -> list[str]:
        self.calls.append(("disable_draft",))
        return ["__prerender_bypass=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]

    def set_data(self, data: object, max_age: int | None, path: str) -> list[str]:
        self.calls.append(("set_data", data, max_age, path))
        if isinstance(data, str) and len(data) > 2048:
            raise PagemillError(f"{TOO_BIG}, reduce how much data you are storing")
        return [f"__prerender_bypass=id; Path={path}", f"__next_preview_data=x; Path={path}"]

    def clear(self) -> list[str]:
        self.calls.append(("clear",))
        return ["__prerender_bypass=; Max-Age=0", "__next_preview_data=; Max-Age=0"]


@dataclass
class Api:
    """A client over one API route, and what the route did on the side."""

    client: httpx.AsyncClient
    preview: FakePreview
    revalidated: list[str] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    # Sizes of the body messages the route read from the client.
    received: list[int] = field(default_factory=list)

    @property
    def error(self) -> BaseException | None:
        error: BaseException | None = self.scopes[-1].get("pagemill.error")
        return error


ApiFactory = Callable[..., Awaitable[Api]]


def load(name: str) -> ApiRoute:
    source = f"pages/api/{name}.py"
    module = import_page(API_DIR / f"{name}.py", source)
    assert api_route_problems(module, source) == []
    return load_api_route(module, source)


@pytest.fixture
async def api(anyio_backend: str) -> AsyncIterator[ApiFactory]:
    """`await api("echo")`: a client whose every request runs pages/api/echo.py."""
    async with AsyncExitStack() as stack:

        async def make(
            name: str, params: dict[str, str | list[str]] | None = None, **options: Any
        ) -> Api:
            route = load(name)
            preview = FakePreview()
            harness: Api

            async def revalidate(path: str) -> None:
                if path == "/fails":
                    raise OSError("cache unreachable")
                harness.revalidated.append(path)

            async def app(scope: Scope, receive: Receive, send: Send) -> None:
                async def counting_receive() -> Message:
                    message = await receive()
                    if message["type"] == "http.request" and message.get("body"):
                        harness.received.append(len(message["body"]))
                    return message

                request = StarletteRequest(scope, counting_receive)
                response = await run_api_route(
                    route, request, params or {}, preview=preview, revalidate=revalidate, **options
                )
                harness.scopes.append(scope)
                await response(scope, receive, send)

            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 123)),
                base_url="http://testserver",
            )
            harness = Api(await stack.enter_async_context(client), preview)
            return harness

        yield make


async def chunks(data: bytes, size: int, sent: list[int] | None = None) -> AsyncIterator[bytes]:
    """`data` in chunks of `size` bytes, sent without a Content-Length (chunked)."""
    for start in range(0, len(data), size):
        if sent is not None:
            sent.append(start)
        yield data[start : start + size]


pytestmark = pytest.mark.anyio


# --- the request ---------------------------------------------------------------------------


async def test_request_method_url_query_cookies_headers_client(api: ApiFactory) -> None:
    echo = await api("echo")
    response = await echo.client.get(
        "/api/echo?a=1&a=2&b=x+y", headers={"x-test": "yes", "cookie": "theme=dark; id=7"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["method"] == "GET"
    assert body["url"] == "/api/echo?a=1&a=2&b=x+y"
    assert body["query"] == {"a": ["1", "2"], "b": "x y"}
    assert body["cookies"] == {"theme": "dark", "id": "7"}
    assert body["header"] == "yes"  # headers are case-insensitive
    assert body["client"] == ["127.0.0.1", 123]


async def test_no_body_is_an_empty_string(api: ApiFactory) -> None:
    """As Next (parse-body.ts reads a missing body as empty text/plain)."""
    echo = await api("echo")
    for response in (await echo.client.get("/api/echo"), await echo.client.post("/api/echo")):
        assert (response.json()["body_type"], response.json()["body"]) == ("str", "")


@pytest.mark.parametrize(
    ("content_type", "body_type", "body"),
    [
        ("application/json", "dict", {}),  # Next: an empty JSON body is a common client slip
        ("application/x-www-form-urlencoded", "dict", {}),
        ("multipart/form-data; boundary=x", "dict", {}),
        ("text/plain", "str", ""),
        ("application/octet-stream", "bytes", {"bytes": ""}),
    ],
)
async def test_an_empty_body_by_content_type(
    api: ApiFactory, content_type: str, body_type: str, body: object
) -> None:
    echo = await api("echo")
    response = await echo.client.post(
        "/api/echo", content=b"", headers={"content-type": content_type}
    )
    assert (response.json()["body_type"], response.json()["body"]) == (body_type, body)


async def test_a_body_without_content_type_is_text(api: ApiFactory) -> None:
    echo = await api("echo")
    response = await echo.client.post("/api/echo", content=b'{"a": 1}')
    assert (response.json()["body_type"], response.json()["body"]) == ("str", '{"a": 1}')


async def test_cookies_are_percent_decoded_and_the_first_name_wins(api: ApiFactory) -> None:
    """As Next's cookie parser: `%xx` decoded where that works, kept as sent where not."""
    echo = await api("echo")
    cookie = 'greeting=hello%20w%C3%B6rld; bad=100%; half=%E0%A4; q="quoted%21"; greeting=later'
    response = await echo.client.get("/api/echo", headers={"cookie": cookie})
    assert response.json()["cookies"] == {
        "greeting": "hello w\u00f6rld",
        "bad": "100%",
        "half": "%E0%A4",
        "q": "quoted!",
    }


async def test_route_params_are_laid_on_the_query_and_win(api: ApiFactory) -> None:
    echo = await api("echo", params={"slug": "from-route", "rest": ["a", "b"]})
    response = await echo.client.get("/api/echo?slug=from-query&x=1")
    assert response.json()["query"] == {"slug": "from-route", "rest": ["a", "b"], "x": "1"}


async def test_url_can_be_given_by_the_pipeline(api: ApiFactory) -> None:
    echo = await api("echo", url="/api/echo?without=base-path")
    response = await echo.client.get("/docs/api/echo?without=base-path")
    assert response.json()["url"] == "/api/echo?without=base-path"


@pytest.mark.parametrize("content_type", ["application/json", "application/ld+json"])
async def test_json_body_is_parsed(api: ApiFactory, content_type: str) -> None:
    echo = await api("echo")
    body = b'{"a": [1, 2.5, null], "b": "\xc3\xa9"}'
    headers = {"content-type": f"{content_type}; charset=utf-8"}
    response = await echo.client.post("/api/echo", content=body, headers=headers)
    assert response.json()["body"] == {"a": [1, 2.5, None], "b": "é"}
    assert response.json()["raw_length"] == len(body)  # `req.stream()` gives the raw bytes


async def test_json_body_may_be_any_json_value(api: ApiFactory) -> None:
    echo = await api("echo")
    response = await echo.client.post("/api/echo", json=[1, "x"])
    assert response.json()["body"] == [1, "x"]


async def test_invalid_json_is_a_400_json_error(api: ApiFactory) -> None:
    echo = await api("echo")
    response = await echo.client.post(
        "/api/echo", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == JSON_UTF8
    assert response.json()["error"].startswith("Invalid JSON body: ")
    assert not echo.scopes[-1].get("pagemill.error")


async def test_urlencoded_form_is_a_dict(api: ApiFactory) -> None:
    echo = await api("echo")
    response = await echo.client.post(
        "/api/echo", content="tag=a&tag=b&name=Jos%C3%A9+Q&city=Zürich".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.json()["body"] == {"tag": ["a", "b"], "name": "José Q", "city": "Zürich"}


async def test_multipart_form_is_a_dict_with_uploads(api: ApiFactory) -> None:
    echo = await api("echo")
    response = await echo.client.post(
        "/api/echo",
        data={"title": "hello", "tag": ["a", "b"]},
        files={"upload": ("notes.txt", b"file contents", "text/plain")},
    )
    assert response.json()["body"] == {
        "title": "hello",
        "tag": ["a", "b"],
        "upload": {"filename": "notes.txt", "content": "file contents"},
    }


async def test_malformed_multipart_is_a_400(api: ApiFactory) -> None:
    echo = await api("echo")
    response = await echo.client.post(
        "/api/echo", content=b"junk", headers={"content-type": "multipart/form-data"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid multipart body: Missing boundary in multipart."}


async def test_text_body_is_a_str_in_its_charset(api: ApiFactory) -> None:
    echo = await api("echo")
    plain = await echo.client.post(
        "/api/echo", content="héllo".encode(), headers={"content-type": "text/plain"}
    )
    assert plain.json()["body"] == "héllo"
    latin = await echo.client.post(
        "/api/echo",
        content="héllo".encode("latin-1"),
        headers={"content-type": 'text/markdown; charset="iso-8859-1"'},
    )
    assert latin.json()["body"] == "héllo"


async def test_text_body_that_does_not_decode_is_a_400(api: ApiFactory) -> None:
    echo = await api("echo")
    bad = await echo.client.post(
        "/api/echo", content=b"\xff\xfe", headers={"content-type": "text/plain"}
    )
    assert bad.status_code == 400
    assert bad.json() == {"error": "Invalid body: not valid utf-8 text"}


# Python knows these codecs, but a client must not pick them: `undefined` raises on any use,
# `punycode` decodes in quadratic time, `rot13` and `uu` are not text encodings at all.
@pytest.mark.parametrize("charset", ["klingon", "undefined", "punycode", "rot13", "uu", "utf-7"])
@pytest.mark.parametrize(
    "mime", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz"]
)
async def test_a_charset_outside_the_web_encodings_is_a_400(
    api: ApiFactory, charset: str, mime: str
) -> None:
    echo = await api("echo")
    response = await echo.client.post(
        "/api/echo",
        content=b'--zz\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n--zz--\r\n',
        headers={"content-type": f"{mime}; charset={charset}"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": f"Invalid body: unsupported charset {charset!r} (send UTF-8)"
    }


@pytest.mark.parametrize("content_type", ["application/octet-stream", "image/png"])
async def test_other_bodies_are_bytes(api: ApiFactory, content_type: str) -> None:
    echo = await api("echo")
    response = await echo.client.post(
        "/api/echo", content=b"\x00\xffraw", headers={"content-type": content_type}
    )
    assert response.json()["body_type"] == "bytes"
    assert response.json()["body"] == {"bytes": "\x00\xffraw"}


async def test_binary_without_content_type_is_refused_not_mangled(api: ApiFactory) -> None:
    """Next reads a body without Content-Type as UTF-8 text, replacing what does not decode;
    pagemill refuses such a body rather than hand the handler altered data."""
    echo = await api("echo")
    response = await echo.client.post("/api/echo", content=b"\x00\xffraw")
    assert response.status_code == 400
    assert "Content-Type" in response.json()["error"]


# --- body size limits ----------------------------------------------------------------------


async def test_default_limit_is_one_megabyte(api: ApiFactory) -> None:
    echo = await api("echo")
    headers = {"content-type": "application/octet-stream"}
    at_limit = await echo.client.post(
        "/api/echo", content=b"x" * DEFAULT_BODY_LIMIT, headers=headers
    )
    assert at_limit.status_code == 200
    over = await echo.client.post(
        "/api/echo", content=b"x" * (DEFAULT_BODY_LIMIT + 1), headers=headers
    )
    assert over.status_code == 413
    assert over.headers["content-type"] == JSON_UTF8
    assert over.json() == {"error": "Body exceeded 1mb limit"}


async def test_per_route_limit(api: ApiFactory) -> None:
    small = await api("small_limit")
    headers = {"content-type": "text/plain"}
    assert (await small.client.post("/", content=b"x" * 100, headers=headers)).json() == {
        "length": 100
    }
    over = await small.client.post("/", content=b"x" * 101, headers=headers)
    assert over.status_code == 413
    assert over.json() == {"error": "Body exceeded 100b limit"}
    big = await api("big_limit")
    above_default = await big.client.post("/", content=b"x" * (3 << 19), headers=headers)
    assert above_default.json() == {"length": 3 << 19}
    over_big = await big.client.post("/", content=b"x" * ((2 << 20) + 1), headers=headers)
    assert over_big.json() == {"error": "Body exceeded 2mb limit"}


async def test_content_length_over_the_limit_is_refused_unread(api: ApiFactory) -> None:
    small = await api("small_limit")
    response = await small.client.post("/", content=b"x" * 5000)
    assert response.status_code == 413
    assert small.received == []


async def test_chunked_body_over_the_limit_stops_being_read(api: ApiFactory) -> None:
    small = await api("small_limit")
    sent: list[int] = []
    response = await small.client.post("/", content=chunks(b"x" * 10_000, 60, sent))
    assert response.status_code == 413
    assert response.json() == {"error": "Body exceeded 100b limit"}
    # 60 + 60 bytes cross the limit: the other 9,880 are never pulled from the client.
    assert small.received == [60, 60]
    assert len(sent) == 2


async def test_chunked_body_under_the_limit_is_read_whole(api: ApiFactory) -> None:
    small = await api("small_limit")
    response = await small.client.post(
        "/", content=chunks(b"x" * 90, 30), headers={"content-type": "text/plain"}
    )
    assert response.json() == {"length": 90}


async def test_without_body_parser_the_handler_reads_the_raw_stream(api: ApiFactory) -> None:
    raw = await api("raw")
    data = b"y" * (DEFAULT_BODY_LIMIT + 10)  # no limit applies
    response = await raw.client.post(
        "/", content=chunks(data, 1 << 18), headers={"content-type": "application/json"}
    )
    assert response.json() == {"body_is_none": True, "chunks": 5, "length": len(data)}


# --- methods -------------------------------------------------------------------------------


async def test_any_method_is_allowed_by_default(api: ApiFactory) -> None:
    echo = await api("echo")
    for method in ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        response = await echo.client.request(method, "/api/echo")
        assert response.json()["method"] == method


async def test_listed_methods_only_others_get_405_with_allow(api: ApiFactory) -> None:
    only = await api("methods")
    assert (await only.client.get("/")).json() == {"method": "GET"}
    assert (await only.client.post("/")).json() == {"method": "POST"}
    refused = await only.client.put("/", content=b"x" * 10)
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, POST"
    assert refused.headers["content-type"] == JSON_UTF8
    assert refused.json() == {"error": "Method Not Allowed"}
    assert only.received == []  # the body of a refused request is not read


# --- answering through res -----------------------------------------------------------------


async def case(api: ApiFactory, name: str, **options: Any) -> tuple[httpx.Response, Api]:
    respond = await api("respond", **options)
    return await respond.client.get(f"/api/respond?case={name}"), respond


async def test_status_chains_into_json(api: ApiFactory) -> None:
    response, _ = await case(api, "created")
    assert response.status_code == 201
    assert response.headers["content-type"] == JSON_UTF8
    assert response.content == b'{"created":true}'
    assert response.headers["content-length"] == "16"


@pytest.mark.parametrize(
    ("name", "content_type", "body"),
    [
        ("send_str", "text/html; charset=utf-8", b"<p>hi</p>"),
        ("send_bytes", "application/octet-stream", b"\x00\x01"),
        ("send_dict", JSON_UTF8, b'{"a":1}'),
        ("send_list", JSON_UTF8, b'[1,"two"]'),
        ("send_number", JSON_UTF8, b"42"),
        ("send_typed_str", "text/plain; charset=utf-8", b"plain"),
        ("send_typed_bytes", "text/csv", b"a,b"),
        ("json_over_type", JSON_UTF8, b'{"json":"wins"}'),
    ],
)
async def test_send_picks_the_content_type(
    api: ApiFactory, name: str, content_type: str, body: bytes
) -> None:
    response, _ = await case(api, name)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.content == body


async def test_send_none_ends_with_an_empty_body(api: ApiFactory) -> None:
    response, _ = await case(api, "send_none")
    assert response.status_code == 200
    assert response.content == b""
    assert "content-type" not in response.headers


async def test_204_drops_the_body_and_its_headers(api: ApiFactory) -> None:
    response, _ = await case(api, "no_content")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert "content-length" not in response.headers


async def test_end_sends_the_body_as_it_is(api: ApiFactory) -> None:
    response, _ = await case(api, "end")
    assert response.status_code == 202
    assert response.content == b"done"
    assert "content-type" not in response.headers
    assert "etag" not in response.headers


async def test_redirect_defaults_to_307(api: ApiFactory) -> None:
    response, _ = await case(api, "redirect")
    assert response.status_code == 307
    assert response.headers["location"] == "/elsewhere?x=1"
    assert response.content == b"/elsewhere?x=1"


async def test_redirect_with_a_status(api: ApiFactory) -> None:
    response, _ = await case(api, "redirect_status")
    assert response.status_code == 301
    assert response.headers["location"] == "/moved"


async def test_redirect_with_a_line_break_is_refused(api: ApiFactory) -> None:
    response, respond = await case(api, "redirect_crlf")
    assert response.status_code == 500
    assert response.content == b"Internal Server Error"
    assert "set-cookie" not in response.headers
    assert isinstance(respond.error, ValueError)
    assert "pages/api/respond.py: res.redirect() URL" in str(respond.error)
    assert "Remove CR/LF characters" in str(respond.error)


async def test_redirect_with_bad_arguments_says_how_to_call_it(api: ApiFactory) -> None:
    response, respond = await case(api, "redirect_bad")
    assert response.status_code == 500
    assert isinstance(respond.error, TypeError)
    assert "res.redirect(307, '/destination')" in str(respond.error)


async def test_headers_and_cookies(api: ApiFactory) -> None:
    response, _ = await case(api, "headers")
    assert response.json() == {"x_one": "1", "missing": None}
    assert response.headers["x-one"] == "1"
    assert response.headers.get_list("x-many") == ["a", "b"]
    assert response.headers["x-count"] == "3"
    assert response.headers["cache-control"] == "public, max-age=60"  # the handler's, kept
    cookies = response.headers.get_list("set-cookie")
    assert cookies[0] == "session=abc; HttpOnly; Path=/; SameSite=lax"
    assert cookies[1].startswith('old=""; ') and "; Max-Age=0;" in cookies[1]


async def test_header_value_with_a_line_break_is_refused(api: ApiFactory) -> None:
    response, respond = await case(api, "header_crlf")
    assert response.status_code == 500
    assert "header 'X-Bad' contains a line break" in str(respond.error)


async def test_status_must_be_an_http_status(api: ApiFactory) -> None:
    response, respond = await case(api, "bad_status")
    assert response.status_code == 500
    assert "res.status() takes an HTTP status code (100-599), got 1000" in str(respond.error)


async def test_nothing_added_by_default(api: ApiFactory) -> None:
    response, _ = await case(api, "created")
    assert "cache-control" not in response.headers
    assert "x-powered-by" not in response.headers


async def test_sent_bodies_get_an_etag_and_304(api: ApiFactory) -> None:
    respond = await api("respond")
    first = await respond.client.get("/api/respond?case=send_dict")
    tag = first.headers["etag"]
    again = await respond.client.get("/api/respond?case=send_dict", headers={"if-none-match": tag})
    assert again.status_code == 304
    assert again.content == b""


async def test_etags_can_be_turned_off(api: ApiFactory) -> None:
    response, _ = await case(api, "send_dict", generate_etags=False)
    assert "etag" not in response.headers


async def test_sending_twice_is_an_error_and_the_first_response_stands(api: ApiFactory) -> None:
    response, respond = await case(api, "twice")
    assert response.status_code == 200
    assert response.json() == {"first": True}
    assert isinstance(respond.error, RuntimeError)
    assert str(respond.error) == (
        "pages/api/respond.py: res.send() after the response was already sent by res.json() "
        "(response already sent). A handler sends one response."
    )


async def test_changing_headers_after_sending_is_an_error(api: ApiFactory) -> None:
    response, respond = await case(api, "header_after_send")
    assert response.json() == {"first": True}
    assert "x-late" not in response.headers
    assert "res.set_header() after the response was already sent" in str(respond.error)


async def test_raising_after_sending_keeps_the_sent_response(api: ApiFactory) -> None:
    response, respond = await case(api, "send_then_raise")
    assert response.json() == {"sent": True}
    assert str(respond.error) == "after sending"


# --- returning instead of sending ----------------------------------------------------------


async def returned(api: ApiFactory, name: str) -> tuple[httpx.Response, Api]:
    returns = await api("returns")
    return await returns.client.get(f"/api/returns?case={name}"), returns


async def test_a_returned_value_is_sent_as_json(api: ApiFactory) -> None:
    response, _ = await returned(api, "value")
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON_UTF8
    assert response.content == b'{"returned":[1,2]}'


async def test_a_returned_value_keeps_the_status_set(api: ApiFactory) -> None:
    response, _ = await returned(api, "status")
    assert response.status_code == 202
    assert response.json() == ["accepted"]


async def test_dict_keys_need_not_be_strings(api: ApiFactory) -> None:
    response, _ = await returned(api, "int_keys")
    assert response.json() == {"1": "one"}


async def test_a_returned_response_is_sent_with_the_cookies_and_headers_of_res(
    api: ApiFactory,
) -> None:
    response, _ = await returned(api, "response")
    assert response.status_code == 203
    assert response.text == "from a Response"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"  # its own wins
    assert response.headers["x-from-res"] == "1"
    assert response.headers["set-cookie"].startswith("from_res=1;")


async def test_returning_nothing_without_sending_is_a_500_and_a_warning(
    api: ApiFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pagemill"):
        response, returns = await returned(api, "nothing")
    assert response.status_code == 500
    assert response.content == b"Internal Server Error"
    assert returns.error is None
    [record] = [r for r in caplog.records if r.name == "pagemill"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        "API handler in pages/api/returns.py returned without sending a response "
        "(call res.json()/res.send()/res.end(), or return a value)"
    )


async def test_a_sent_response_wins_over_a_returned_value(
    api: ApiFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pagemill"):
        response, _ = await returned(api, "sent_and_value")
    assert response.json() == {"sent": True}
    [record] = [r for r in caplog.records if r.name == "pagemill"]
    assert "returned a value after sending a response with res.json()" in record.getMessage()


async def test_returning_res_after_sending_is_quiet(
    api: ApiFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pagemill"):
        response, _ = await returned(api, "sent_and_res")
    assert response.json() == {"sent": True}
    assert not [r for r in caplog.records if r.name == "pagemill"]


async def test_a_returned_value_json_cannot_carry_is_a_500(api: ApiFactory) -> None:
    response, returns = await returned(api, "unserializable")
    assert response.status_code == 500
    assert response.content == b"Internal Server Error"
    assert isinstance(returns.error, TypeError)
    assert "pages/api/returns.py: res.json() was given a value JSON cannot carry" in str(
        returns.error
    )


# --- handlers ------------------------------------------------------------------------------


async def test_a_sync_handler_runs_in_a_worker_thread(api: ApiFactory) -> None:
    sync = await api("sync_handler")
    response = await sync.client.post("/", json={"n": 1})
    assert response.json() == {"main_thread": False, "body": {"n": 1}}


async def test_a_raising_handler_is_a_500_that_shows_nothing_of_the_error(api: ApiFactory) -> None:
    boom = await api("boom")
    response = await boom.client.get("/")
    assert response.status_code == 500
    # Next's answer: no Content-Type, and these words only.
    assert "content-type" not in response.headers
    assert response.content == b"Internal Server Error"
    assert "set-cookie" not in response.headers  # what res held is dropped
    assert isinstance(boom.error, ValueError)
    assert str(boom.error) == "secret database password in the message"


# --- draft / preview mode and revalidation -------------------------------------------------


async def test_draft_mode_on_and_off(api: ApiFactory) -> None:
    preview = await api("preview")
    on = await preview.client.get("/?case=draft_on")
    assert on.json() == {"draft": True}
    assert on.headers.get_list("set-cookie") == ["__prerender_bypass=id; Path=/; HttpOnly"]
    off = await preview.client.get("/?case=draft_off")
    assert off.headers["set-cookie"].endswith("Expires=Thu, 01 Jan 1970 00:00:00 GMT")
    assert preview.preview.calls == [("enable_draft",), ("disable_draft",)]


async def test_preview_data_and_clearing(api: ApiFactory) -> None:
    preview = await api("preview")
    data = await preview.client.get("/?case=data")
    assert data.status_code == 200
    assert data.headers.get_list("set-cookie") == [
        "__prerender_bypass=id; Path=/blog",
        "__next_preview_data=x; Path=/blog",
    ]
    await preview.client.get("/?case=data_defaults")
    cleared = await preview.client.get("/?case=clear")
    assert len(cleared.headers.get_list("set-cookie")) == 2
    assert preview.preview.calls == [
        ("set_data", {"lets": "go"}, 60, "/blog"),
        ("set_data", "plain", None, "/"),
        ("clear",),
    ]


async def test_preview_data_over_2kb_is_a_500(api: ApiFactory) -> None:
    preview = await api("preview")
    response = await preview.client.get("/?case=too_big")
    assert response.status_code == 500
    assert str(preview.error).startswith(TOO_BIG)


async def test_revalidate_awaits_the_injected_callable(api: ApiFactory) -> None:
    revalidate = await api("revalidate")
    response = await revalidate.client.get("/?path=/blog/post-1")
    assert response.json() == {"revalidated": True}
    assert revalidate.revalidated == ["/blog/post-1"]


async def test_revalidate_needs_a_path(api: ApiFactory) -> None:
    revalidate = await api("revalidate")
    response = await revalidate.client.get("/?path=blog")
    assert response.status_code == 500
    assert "res.revalidate() takes a path such as /blog/post-1, got 'blog'" in str(revalidate.error)
    assert revalidate.revalidated == []


async def test_a_failed_revalidation_names_the_path(api: ApiFactory) -> None:
    revalidate = await api("revalidate")
    response = await revalidate.client.get("/?path=/fails")
    assert response.status_code == 500
    assert str(revalidate.error) == "Failed to revalidate /fails: cache unreachable"


# --- loading -------------------------------------------------------------------------------


SOURCE = "pages/api/x.py"


async def _async_handler(req: object, res: object) -> None:
    pass


def module(**attributes: object) -> ModuleType:
    """An API module with `attributes` (a valid async handler unless `handler` is given)."""
    built = ModuleType("x")
    built.handler = _async_handler  # type: ignore[attr-defined]
    for name, value in attributes.items():
        if value is None:
            delattr(built, name)
        else:
            setattr(built, name, value)
    return built


def test_a_valid_module_loads() -> None:
    route = load_api_route(module(), SOURCE)
    assert route == ApiRoute(
        source=SOURCE,
        handler=_async_handler,
        is_async=True,
        methods=None,
        body_limit=DEFAULT_BODY_LIMIT,
    )
    assert api_route_problems(module(), SOURCE) == []


def test_loaded_options() -> None:
    route = load_api_route(module(methods=("get", "post")), SOURCE)
    assert route.methods == ("GET", "POST")
    assert not load_api_route(module(handler=lambda req, res: None), SOURCE).is_async
    raw = module(config={"api": {"body_parser": False}})
    assert load_api_route(raw, SOURCE).body_limit is None
    sized = module(config={"api": {"body_parser": {"size_limit": "5mb"}}})
    assert load_api_route(sized, SOURCE).body_limit == 5 * 1024 * 1024
    counted = module(config={"api": {"body_parser": {"size_limit": 2000}}})
    assert load_api_route(counted, SOURCE).body_limit == 2000
    assert load_api_route(module(config={}), SOURCE).body_limit == DEFAULT_BODY_LIMIT


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        (
            {"handler": None},
            "pages/api/x.py: no `handler`. An API route must define "
            "`def handler(req, res): ...` (or `async def`).",
        ),
        (
            {"handler": "hello"},
            "pages/api/x.py: `handler` is a str, not a function: "
            "`def handler(req, res): ...` (or `async def`).",
        ),
        (
            {"handler": lambda req: None},
            "pages/api/x.py: `handler` must take exactly two arguments, the request and the "
            "response: `def handler(req, res): ...` (or `async def`).",
        ),
        (
            {"handler": lambda req, res, extra: None},
            "pages/api/x.py: `handler` must take exactly two arguments, the request and the "
            "response: `def handler(req, res): ...` (or `async def`).",
        ),
        (
            {"methods": "GET"},
            "pages/api/x.py: `methods` must be a tuple of HTTP method names, "
            'e.g. `methods = ("GET", "POST")`; got \'GET\'.',
        ),
        (
            {"methods": ("GET", "FETCH", 3)},
            "pages/api/x.py: `methods` holds 'FETCH', 3, not HTTP method names. Use names "
            "among GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, CONNECT, TRACE, "
            'e.g. `methods = ("GET", "POST")`.',
        ),
        (
            {"methods": ()},
            "pages/api/x.py: `methods` is empty, so every request would get 405. List the "
            'methods the handler answers, e.g. `methods = ("GET", "POST")`, or remove '
            "`methods` to allow any.",
        ),
        (
            {"config": ["api"]},
            "pages/api/x.py: `config` must be a dict like "
            '`config = {"api": {"body_parser": {"size_limit": "5mb"}}}`; got [\'api\'].',
        ),
        (
            {"config": {"apii": {}}},
            "pages/api/x.py: `config` has an unknown key 'apii': did you mean `api`?",
        ),
        (
            {"config": {"runtime": "edge"}},
            "pages/api/x.py: `config` has an unknown key 'runtime': valid keys are api.",
        ),
        (
            {"config": {"api": True}},
            'pages/api/x.py: `config["api"]` must be a dict like '
            '`config = {"api": {"body_parser": {"size_limit": "5mb"}}}`.',
        ),
        (
            {"config": {"api": {"bodyParser": False}}},
            "pages/api/x.py: `config[\"api\"]` has an unknown key 'bodyParser': "
            "did you mean `body_parser`?",
        ),
        (
            {"config": {"api": {"body_parser": {"sizeLimit": "1mb"}}}},
            'pages/api/x.py: `config["api"]["body_parser"]` has an unknown key '
            "'sizeLimit': did you mean `size_limit`?",
        ),
        (
            {"config": {"api": {"body_parser": True}}},
            'pages/api/x.py: `config["api"]["body_parser"]` must be a dict like '
            '`{"size_limit": "5mb"}`, or False to read the raw body with `req.stream()`; '
            "got True.",
        ),
        (
            {"config": {"api": {"body_parser": {"size_limit": "big"}}}},
            'pages/api/x.py: `config["api"]["body_parser"]["size_limit"]` is \'big\': use a '
            'size like "1mb", "500kb" or "1gb", or a number of bytes.',
        ),
        (
            {"config": {"api": {"body_parser": {"size_limit": -1}}}},
            'pages/api/x.py: `config["api"]["body_parser"]["size_limit"]` is -1: use a '
            'size like "1mb", "500kb" or "1gb", or a number of bytes.',
        ),
        (
            {"get_server_side_props": lambda ctx: {"props": {}}},
            "pages/api/x.py: an API route cannot define `get_server_side_props`: files under "
            "pages/api/ are API routes, not pages. Move the page out of pages/api/, or "
            "remove it.",
        ),
        (
            {"page": lambda props: "hi"},
            "pages/api/x.py: an API route cannot define `page`: files under pages/api/ are "
            "API routes, not pages. Move the page out of pages/api/, or remove it.",
        ),
    ],
)
def test_load_time_problems(attributes: dict[str, object], message: str) -> None:
    assert api_route_problems(module(**attributes), SOURCE) == [message]


def test_all_problems_are_reported_together() -> None:
    broken = module(handler=None, methods="GET", config={"api": {"bodyParser": False}})
    assert len(api_route_problems(broken, SOURCE)) == 3


@pytest.mark.parametrize(
    ("given", "size"),
    [
        ("1mb", 1024**2),
        ("500kb", 500 * 1024),
        ("5MB", 5 * 1024**2),
        ("1gb", 1024**3),
        ("100b", 100),
        ("100", 100),
        ("1.5mb", 3 * 512 * 1024),
        (" 2 kb ", 2048),
        (4096, 4096),
        (0, 0),
        ("", None),
        ("1xb", None),
        ("mb", None),
        (-5, None),
        (True, None),
        (1.5, None),
        (None, None),
    ],
)
def test_parse_size(given: object, size: int | None) -> None:
    assert parse_size(given) == size


@pytest.mark.parametrize(
    ("size", "shown"),
    [(1024**2, "1mb"), (100, "100b"), (500 * 1024, "500kb"), (3 * 512 * 1024, "1.5mb"),
     (1024**3, "1gb")],
)  # fmt: skip
def test_format_size(size: int, shown: str) -> None:
    assert format_size(size) == shown
