"""Next.js's API route suites, ported: test/integration/api-support, test/integration/api-catch-all
and test/integration/api-body-parser.

Body and cookie cases follow Next's source where its tests are silent:
packages/next/src/server/api-utils/node/parse-body.ts and
packages/next/src/server/api-utils/get-cookie-parser.ts (with next/dist/compiled/cookie).

Fixture apps: tests/apps/next_api (Next's api-support app: its pages/api/*.js as Python
handlers, `pages/index`, `user` and `api-conflict` pages), next_api_catch_all and
next_api_body_parser. Cases that do not apply (Node built-ins, custom servers, dev-only
warnings of Next's own, build manifests) are listed in tests/NEXT_CASES.md.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

import httpx
import pytest
from conftest import APPS, ClientFactory, Server, built, served

pytestmark = pytest.mark.anyio

JSON_UTF8 = "application/json; charset=utf-8"
JSON_BODY = {"content-type": "application/json; charset=utf-8"}


@pytest.fixture
async def api(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("next_api")


def handler_error(caplog: pytest.LogCaptureFixture) -> BaseException:
    """The exception the request log recorded for the last failed request."""
    failed = [r for r in caplog.records if r.name == "pagemill" and r.exc_info]
    assert failed, "no failed request was logged"
    exc_info = failed[-1].exc_info
    assert exc_info is not None and exc_info[1] is not None
    return exc_info[1]


# --- test/integration/api-support: routing -------------------------------------------------


async def test_json_suffix_is_not_stripped(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should not strip .json from API
    route"."""
    response = await api.get("/api/hello.json")
    assert response.status_code == 200
    assert response.json() == {"post": "hello.json"}


async def test_catch_all_api_route(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should respond from
    /api/auth/[...nextauth] correctly"."""
    response = await api.get("/api/auth/signin")
    assert response.status_code == 200
    assert response.json() == {"from": "auth"}


async def test_render_page(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should render page"."""
    assert "API - support" in (await api.get("/")).text


async def test_undefined_api_path_is_404(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return 404 for undefined
    path"."""
    response = await api.get("/api/not/unexisting/page/really")
    assert response.status_code == 404


async def test_page_named_like_api_does_not_conflict(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should not conflict with /api
    routes"."""
    response = await api.get("/api-conflict")
    assert response.status_code != 404
    assert "API - conflict" in response.text


async def test_index_api(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should work with index api"."""
    response = await api.get("/api")
    assert response.status_code == 200
    assert response.text == "Index should work"


async def test_json_on_post(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return JSON on post on
    API"."""
    response = await api.post("/api/blog?title=Nextjs")
    assert response.status_code == 200
    assert response.json() == [{"title": "Nextjs"}]


async def test_dynamic_route(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return data on dynamic
    route"."""
    response = await api.get("/api/post-1")
    assert response.json() == {"post": "post-1"}


async def test_dynamic_params_and_search_string(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should work with dynamic params and
    search string" and "... like lambda" (the same request; Next's second ran it serverless)."""
    response = await api.get("/api/post-1?val=1")
    assert response.json() == {"val": "1", "post": "post-1"}


async def test_non_dynamic_route_wins(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should prioritize a non-dynamic
    page"."""
    response = await api.get("/api/post-1/comments")
    assert response.json() == [{"message": "Prioritize a non-dynamic api page"}]


async def test_dynamic_nested_route(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return data on dynamic
    nested route"."""
    response = await api.get("/api/post-1/comment-1")
    assert response.json() == {"post": "post-1", "comment": "comment-1"}


async def test_missing_nested_segment_is_404(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should 404 on optional dynamic api
    page" (pages/api/blog/[post]/comment/[id] needs its [id])."""
    response = await api.get("/api/blog/543/comment")
    assert response.status_code == 404


async def test_dynamic_nested_route_with_static_segment(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return data on dynamic
    optional nested route"."""
    response = await api.get("/api/blog/post-1/comment/1")
    assert response.json() == {"post": "post-1", "id": "1"}


async def test_build_api_routes(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should build api routes" (prod): its
    HTTP half, `/api/nextjs` answered by `/api/[post]` (the pages-manifest half is Next's build
    output)."""
    response = await api.get("/api/nextjs")
    assert response.json() == {"post": "nextjs"}


# --- test/integration/api-support: responses -----------------------------------------------


@pytest.mark.parametrize("query", ["", "?invalid=1"])
async def test_204_has_no_body_headers(api: httpx.AsyncClient, query: str) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should handle 204 status correctly":
    a 204 carries no Content-Type, Content-Length or Transfer-Encoding, also when the handler
    tried to send JSON with it (`?invalid=1`; Next warns of that in dev only)."""
    response = await api.get(f"/api/status-204{query}")
    assert response.status_code == 204
    assert response.content == b""
    for header in ("content-type", "content-length", "transfer-encoding"):
        assert header not in response.headers


async def test_cors_preflight(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should set cors headers when adding
    cors middleware" (Next's fixture runs the `cors` package; the handler here answers the
    preflight the way it does)."""
    response = await api.options("/api/cors", headers={"origin": "example.com"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-methods"] == "GET,POST,OPTIONS"


async def test_custom_error(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return custom error"."""
    response = await api.get("/api/error")
    assert response.status_code == 500
    assert response.json() == {"error": "Server error!"}


@pytest.mark.parametrize("route", ["user-error", "user-error-async"])
async def test_raising_handler_is_internal_server_error(
    api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, route: str
) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should throw Internal Server Error"
    and "should throw Internal Server Error (async)" (production): a 500 that shows nothing of
    the error, which is logged: as api-resolver.ts `sendError(apiRes, 500, 'Internal Server
    Error')`, the words only and no Content-Type (also what `next start` 15.5.29 sends)."""
    with caplog.at_level(logging.ERROR, logger="pagemill"):
        response = await api.get(f"/api/{route}")
    assert response.status_code == 500
    assert "content-type" not in response.headers
    assert response.text == "Internal Server Error"
    assert "User error" not in response.text
    assert str(handler_error(caplog)) == "User error"


async def test_boolean_json(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should support boolean for JSON in
    api page"."""
    response = await api.get("/api/bool")
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON_UTF8
    assert response.json() is True


async def test_undefined_response_body(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should support undefined response
    body" (`res.json(undefined)`; Python has no undefined, the handler sends no body)."""
    response = await api.get("/api/json-undefined")
    assert response.status_code == 200
    assert response.text == ""


async def test_string_json(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should support string in JSON
    response body"."""
    response = await api.get("/api/json-string")
    assert response.text == '"Hello world!"'


async def test_null_json(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should support null in JSON response
    body"."""
    response = await api.get("/api/json-null")
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON_UTF8
    assert response.json() is None


async def test_etag(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should support etag spec"."""
    etag = (await api.get("/api/blog")).headers["etag"]
    unmodified = await api.get("/api/blog", headers={"If-None-Match": etag})
    assert unmodified.status_code == 304


async def test_nullable_payload(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should work with nullable payload"
    (`res.write(""); res.end()`: pagemill has no `res.write`, the handler ends empty)."""
    response = await api.get("/api/nullable-payload")
    assert response.status_code == 200
    assert response.text == ""


async def test_handler_without_response(
    api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should show warning when the API
    resolves without ending the request in development mode".

    Deliberate difference: Next warns "API resolved without sending a response for
    /api/test-no-end, this may result in stalled requests." and leaves the request hanging;
    pagemill answers Next's bare 500 and logs a warning naming the file."""
    with caplog.at_level(logging.WARNING, logger="pagemill"):
        response = await api.get("/api/test-no-end")
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        "pages/api/test-no-end.py returned without sending a response" in m for m in warnings
    )


# --- test/integration/api-support: redirects -----------------------------------------------


@pytest.mark.parametrize("route", ["redirect-error", "redirect-null"])
async def test_invalid_redirect_arguments(
    api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, route: str
) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should show friendly error for
    invalid redirect" (`res.redirect(307)`) and "should show friendly error in case of passing
    null as first argument redirect": the logged error says how to call it (Next: "Invalid
    redirect arguments. Please use a single argument URL, e.g. res.redirect('/destination') or
    use a status code and URL, e.g. res.redirect(307, '/destination').")."""
    with caplog.at_level(logging.ERROR, logger="pagemill"):
        response = await api.get(f"/api/{route}")
    assert response.status_code == 500
    message = str(handler_error(caplog))
    assert "invalid res.redirect() arguments" in message
    assert "res.redirect('/destination')" in message
    assert "res.redirect(307, '/destination')" in message


async def test_redirect_307(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should redirect with status code
    307"."""
    response = await api.get("/api/redirect-307")
    assert response.status_code == 307
    assert response.text == "/login"
    assert response.headers["location"] == "/login"


async def test_redirect_followed_to_login(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should redirect to login"."""
    response = await api.get("/api/redirect-307", follow_redirects=True)
    assert response.history
    assert "/login" in str(response.url)


async def test_redirect_301(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should redirect with status code
    301"."""
    response = await api.get("/api/redirect-301")
    assert response.status_code == 301
    assert response.text == "/login"


# --- test/integration/api-support: query and cookies ---------------------------------------


async def test_empty_query(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return empty query
    object"."""
    assert (await api.get("/api/query")).json() == {}


async def test_query_parsed(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should parse query correctly"."""
    response = await api.get("/api/query?a=1&b=2&a=3")
    assert response.json() == {"a": ["1", "3"], "b": "2"}


async def test_empty_cookies(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return empty cookies
    object"."""
    assert (await api.get("/api/cookies")).json() == {}


async def test_cookies(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return cookies object"."""
    response = await api.get("/api/cookies", headers={"Cookie": "nextjs=cool;"})
    assert response.json() == {"nextjs": "cool"}


# --- test/integration/api-support: bodies --------------------------------------------------


async def test_parse_json_body(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should parse JSON body"."""
    response = await api.post(
        "/api/parse", content=json.dumps([{"title": "Nextjs"}]), headers=JSON_BODY
    )
    assert response.status_code == 200
    assert response.json() == [{"title": "Nextjs"}]


async def test_invalid_json_is_400(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return error with invalid
    JSON".

    Deliberate difference (body errors are JSON): Next answers 400 with the status text
    and body `Invalid JSON`; pagemill answers 400 with JSON `{"error": "Invalid JSON body: …"}`
    (the parser's reason after the colon)."""
    response = await api.post("/api/parse", content=b'{"message":Invalid"}', headers=JSON_BODY)
    assert response.status_code == 400
    assert response.headers["content-type"] == JSON_UTF8
    assert response.json()["error"].startswith("Invalid JSON body: ")


async def test_body_over_the_limit_is_413(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return error exceeded body
    limit" (it.skip in Next, as flaky over node-fetch's EPIPE): a body over the default 1mb is
    413, with Next's message `Body exceeded 1mb limit` (pagemill: as the JSON error)."""
    body = json.dumps([{"title": "x" * 1000}] * 1100)
    assert len(body) > 1024 * 1024
    response = await api.post("/api/parse", content=body, headers=JSON_BODY)
    assert response.status_code == 413
    assert response.json() == {"error": "Body exceeded 1mb limit"}


async def test_bigger_body_with_size_limit(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should parse bigger body then 1mb"
    (pages/api/big-parse sets a 5mb `size_limit`)."""
    data = [{"title": "Nextjs", "text": "y" * 1000}] * 2000
    body = json.dumps(data)
    assert 1024 * 1024 < len(body) < 5 * 1024 * 1024
    response = await api.post("/api/big-parse", content=body, headers=JSON_BODY)
    assert response.status_code == 200
    assert response.json() == data


async def test_parse_urlencoded_body(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should parse urlencoded body" (the
    Content-Type is sent as `application/x-www-Form-urlencoded`: media types are
    case-insensitive)."""
    response = await api.post(
        "/api/parse",
        content="title=Nextjs&description=The%20React%20Framework%20for%20Production",
        headers={"Content-Type": "application/x-www-Form-urlencoded"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "title": "Nextjs",
        "description": "The React Framework for Production",
    }


async def test_parse_body_in_handler(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should parse body in handler"
    (`body_parser: False`: `req.body` is None and the handler reads `req.stream()`)."""
    response = await api.post(
        "/api/no-parsing", content=json.dumps([{"title": "Nextjs"}]), headers=JSON_BODY
    )
    assert response.status_code == 200
    assert response.json() == [{"title": "Nextjs"}]


async def test_parse_body_with_config(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should parse body with config"
    (Next's `bodyParser: true` is pagemill's `body_parser: {}`)."""
    response = await api.post(
        "/api/parsing", content=json.dumps([{"title": "Nextjs"}]), headers=JSON_BODY
    )
    assert response.json() == {"message": "Parsed body"}


async def test_text_body_is_a_str(api: httpx.AsyncClient) -> None:
    """Ports the `text/*` branch of Next's parse-body.ts (packages/next/src/server/api-utils/node/
    parse-body.ts: any type but JSON and urlencoded is `buffer.toString()`), decoded in the
    charset the Content-Type names."""
    response = await api.post(
        "/api/body-type",
        content="héllo".encode("latin-1"),
        headers={"content-type": "text/plain; charset=iso-8859-1"},
    )
    assert response.json() == {"type": "str", "body": "héllo"}


async def test_other_types_are_bytes(api: httpx.AsyncClient) -> None:
    """Ports the last branch of Next's parse-body.ts (packages/next/src/server/api-utils/node/
    parse-body.ts), `return body` for a type that is neither JSON nor urlencoded.

    Deliberate difference: Next hands the body over as a string (`buffer.toString()`, UTF-8);
    pagemill keeps a body of such a type (here `application/octet-stream`) as the bytes sent,
    which need not be text."""
    response = await api.post(
        "/api/body-type",
        content=b"\x00\x01raw\xff",
        headers={"content-type": "application/octet-stream"},
    )
    assert response.json() == {"type": "bytes", "body": "\x00\x01raw\xff"}


# --- parse-body.ts: empty and untyped bodies --------------------------------------------------


async def test_empty_json_body_is_an_empty_object(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should special-case empty JSON
    body": a POST with `Content-Type: application/json` and no body gives `req.body == {}`
    (parse-body.ts `parseJson`: `if (str.length === 0) return {}`)."""
    response = await api.post(
        "/api/parse", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    assert response.status_code == 200
    assert response.json() == {}


async def test_body_without_content_type_is_text(api: httpx.AsyncClient) -> None:
    """parse-body.ts: `parse(req.headers['content-type'] || 'text/plain')`, so a body sent without
    a Content-Type is read as text: `req.body == "hello"` (a str, not bytes)."""
    response = await api.post("/api/body-type", content=b"hello")
    assert response.json() == {"type": "str", "body": "hello"}


async def test_no_body_is_an_empty_string(api: httpx.AsyncClient) -> None:
    """api-resolver.ts runs `parseBody` for every request while the body parser is on (`if
    (bodyParser && !apiReq.body)`), and the empty text/plain body is `""`: a GET without a body
    has `req.body == ""`, not None."""
    response = await api.get("/api/body-type")
    assert response.json() == {"type": "str", "body": ""}


async def test_empty_urlencoded_body_is_an_empty_object(api: httpx.AsyncClient) -> None:
    """parse-body.ts: an urlencoded body goes through `querystring.decode`, which gives `{}` for
    an empty body."""
    response = await api.post(
        "/api/body-type", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.json() == {"type": "dict", "body": {}}


# --- get-cookie-parser.ts (next/dist/compiled/cookie `parse`) -----------------------


async def test_cookie_values_are_percent_decoded(api: httpx.AsyncClient) -> None:
    """The cookie package's `decode` is `decodeURIComponent` for a value containing `%`:
    `a=hello%20world; b=caf%C3%A9` gives `{"a": "hello world", "b": "café"}`."""
    response = await api.get("/api/cookies", headers={"Cookie": "a=hello%20world; b=caf%C3%A9"})
    assert response.json() == {"a": "hello world", "b": "café"}


async def test_cookie_value_that_does_not_decode_is_kept(api: httpx.AsyncClient) -> None:
    """The cookie package's `tryDecode` keeps the value as sent when decodeURIComponent throws
    (`%E0%A4%A` is a malformed escape; `%ZZ` no escape at all)."""
    response = await api.get("/api/cookies", headers={"Cookie": "a=%E0%A4%A; b=100%ZZ"})
    assert response.json() == {"a": "%E0%A4%A", "b": "100%ZZ"}


async def test_first_of_a_repeated_cookie_wins(api: httpx.AsyncClient) -> None:
    """The cookie package's `parse` only sets a name once (`if (undefined === r[f])`): for
    `id=first; id=second` the value is "first"."""
    response = await api.get("/api/cookies", headers={"Cookie": "id=first; id=second"})
    assert response.json() == {"id": "first"}


# --- test/integration/api-body-parser --------------------------------------------------------


async def test_body_parser_parses_json(client_for: ClientFactory) -> None:
    """Ports test/integration/api-body-parser/test/index.test.ts "should parse JSON body"."""
    client = await client_for("next_api_body_parser")
    response = await client.post(
        "/api", content=json.dumps([{"title": "Nextjs"}]), headers=JSON_BODY
    )
    assert response.json() == [{"title": "Nextjs"}]


async def test_body_parser_invalid_content_type(client_for: ClientFactory) -> None:
    """Ports test/integration/api-body-parser/test/index.test.ts "should not throw if request's
    content-type is invalid" (`application/json;`, an empty parameter list)."""
    client = await client_for("next_api_body_parser")
    response = await client.post(
        "/api",
        content=json.dumps([{"title": "Nextjs"}]),
        headers={"Content-Type": "application/json;"},
    )
    assert response.status_code == 200
    assert response.json() == [{"title": "Nextjs"}]


# --- test/integration/api-catch-all ----------------------------------------------------------


async def test_catch_all(client_for: ClientFactory) -> None:
    """Ports test/integration/api-catch-all/test/index.test.ts "should return data when
    catch-all"."""
    client = await client_for("next_api_catch_all")
    response = await client.get("/api/users/1")
    assert response.json() == {"slug": ["1"]}


async def test_catch_all_index_trailing_slash_redirects(client_for: ClientFactory) -> None:
    """Ports test/integration/api-catch-all/test/index.test.ts "should return redirect when
    catch-all with index and trailing slash"."""
    client = await client_for("next_api_catch_all")
    response = await client.get("/api/users/")
    assert response.status_code == 308
    assert response.text == "/api/users"
    assert response.headers["location"] == "/api/users"


async def test_catch_all_index_trailing_slash_followed(client_for: ClientFactory) -> None:
    """Ports test/integration/api-catch-all/test/index.test.ts "should return data when catch-all
    with index and trailing slash"."""
    client = await client_for("next_api_catch_all")
    response = await client.get("/api/users/", follow_redirects=True)
    assert response.status_code == 200
    assert response.json() == {}


async def test_catch_all_index(client_for: ClientFactory) -> None:
    """Ports test/integration/api-catch-all/test/index.test.ts "should return data when catch-all
    with index and no trailing slash"."""
    client = await client_for("next_api_catch_all")
    response = await client.get("/api/users")
    assert response.json() == {}


# --- through the real server ---------------------------------------------------------------


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """tests/apps/next_api built and served by `pagemill start`."""
    tmp = tmp_path_factory.mktemp("next_api")
    env = {"PAGEMILL_CACHE_DIR": str(tmp / "cache")}
    with served("start", str(built(APPS / "next_api", tmp)), env=env) as server:
        yield server


def test_served_204_and_dynamic_routes(started: Server) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should handle 204 status correctly"
    and "should return data on dynamic nested route" under `pagemill start`."""
    for query in ("", "?invalid=1"):
        response = httpx.get(f"{started.base}/api/status-204{query}")
        assert response.status_code == 204
        for header in ("content-type", "content-length", "transfer-encoding"):
            assert header not in response.headers
    nested = httpx.get(started.base + "/api/post-1/comment-1")
    assert nested.json() == {"post": "post-1", "comment": "comment-1"}


def test_served_internal_server_error(started: Server) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should throw Internal Server Error
    (async)" under `pagemill start`: Next's bare 500, the error in the server's log only."""
    response = httpx.get(started.base + "/api/user-error-async")
    assert response.status_code == 500
    assert "content-type" not in response.headers
    assert response.text == "Internal Server Error"
    deadline = time.monotonic() + 10  # the worker writes its log line after answering
    while "User error" not in started.log() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "RuntimeError: User error" in started.log()


def test_served_bodies(started: Server) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should parse bigger body then 1mb"
    and "should parse body in handler" under `pagemill start`."""
    data = [{"title": "Nextjs", "text": "y" * 1000}] * 2000
    big = httpx.post(started.base + "/api/big-parse", content=json.dumps(data), headers=JSON_BODY)
    assert big.status_code == 200
    assert big.json() == data
    raw = httpx.post(
        started.base + "/api/no-parsing",
        content=json.dumps([{"title": "Nextjs"}]),
        headers=JSON_BODY,
    )
    assert raw.json() == [{"title": "Nextjs"}]


def test_served_untyped_and_empty_bodies_and_cookies(started: Server) -> None:
    """parse-body.ts and the cookie parser under `pagemill start`: a body without
    Content-Type is text, no body is `""`, an empty JSON body is `{}`, cookie values are
    percent-decoded and the first of a repeated name wins (one kept-alive client, as a
    browser's)."""
    with httpx.Client(base_url=started.base) as client:
        untyped = client.post("/api/body-type", content=b"hello")
        assert untyped.json() == {"type": "str", "body": "hello"}
        assert client.get("/api/body-type").json() == {"type": "str", "body": ""}
        empty = client.post("/api/parse", headers={"Content-Type": "application/json"})
        assert empty.json() == {}
        cookies = client.get(
            "/api/cookies", headers={"Cookie": "a=hello%20world; b=caf%C3%A9; a=later"}
        )
        assert cookies.json() == {"a": "hello world", "b": "café"}


async def test_post_to_a_static_page_is_405(api: httpx.AsyncClient) -> None:
    """Ports test/integration/api-support/test/index.test.ts "should return 200 on POST on pages"
    as Next 15.5 answers it in production: `next start` 15.5.29 answers a POST to a page
    without data fetching with 405 and `Allow: GET` and `Allow: HEAD` (base-server.ts guards
    prerendered pages), though the older test expects 200."""
    response = await api.post("/user")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
