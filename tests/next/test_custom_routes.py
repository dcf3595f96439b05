"""Next.js's own custom-routes test cases (redirects, rewrites and headers from the config),
ported to pagemill.toml rules over HTTP.

Sources: test/integration/custom-routes/test/index.test.ts and its next.config.js and pages
(tests/apps/next_custom_routes mirrors them), test/integration/custom-routes-catchall,
test/integration/custom-routes-i18n (tests/apps/next_custom_routes_i18n) and
test/integration/invalid-custom-routes (load errors on apps written to a temporary folder).
What does not apply, and why, is listed in tests/NEXT_CASES.md under "custom-routes"; the
cases pagemill does not pass yet are in tests/next/gaps_custom_routes.py.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from conftest import APPS, ClientFactory, Server, build_id, built, next_data, served

import pagemill
from pagemill.config import ConfigError
from pagemill.errors import AppLoadError
from pagemill.loader import load_app

pytestmark = pytest.mark.anyio

APP = APPS / "next_custom_routes"
INDEX_TEST = "test/integration/custom-routes/test/index.test.ts"


@pytest.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("next_custom_routes")


def props_of(response: httpx.Response) -> dict[str, Any]:
    props: dict[str, Any] = next_data(response.text)["props"]["pageProps"]
    return props


def query_of(response: httpx.Response) -> dict[str, Any]:
    """The query the with-params page shows (Next's `<p>{JSON.stringify(router.query)}</p>`)."""
    assert response.status_code == 200, response.text
    query: dict[str, Any] = props_of(response)["query"]
    return query


def location_of(response: httpx.Response) -> tuple[str, str, str, str]:
    """(host, path, query, fragment) of the Location, as `new URL(location, res.url)` reads it."""
    parts = urlsplit(response.headers["location"])
    return parts.netloc, parts.path, parts.query, parts.fragment


def search_params(response: httpx.Response) -> dict[str, str]:
    """`Object.fromEntries(new URL(location).searchParams)`: decoded, the last value wins."""
    return dict(parse_qsl(urlsplit(response.headers["location"]).query, keep_blank_values=True))


# ---- redirects ---------------------------------------------------------------------------


async def test_chained_redirects(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle chained
    redirects successfully"."""
    first = await client.get("/redir-chain1")
    assert (first.status_code, location_of(first)[1]) == (301, "/redir-chain2")
    second = await client.get("/redir-chain2")
    assert (second.status_code, location_of(second)[1]) == (302, "/redir-chain3")
    third = await client.get("/redir-chain3")
    assert (third.status_code, location_of(third)[1]) == (303, "/")


async def test_redirects_never_match_under_next(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should not match redirect for
    /_next"."""
    headers = {"x-test-next": "true"}
    assert (await client.get("/_next/has-redirect-5", headers=headers)).status_code == 404
    response = await client.get("/another/has-redirect-5", headers=headers)
    assert (response.status_code, location_of(response)[1]) == (307, "/somewhere")


async def test_redirect_permanent_false(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should redirect successfully
    with permanent: false"."""
    response = await client.get("/redirect1")
    assert (response.status_code, location_of(response)[1]) == (307, "/")


async def test_redirect_with_params(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should redirect with params
    successfully"."""
    response = await client.get("/hello/123/another")
    assert (response.status_code, location_of(response)[1]) == (307, "/blog/123")


async def test_redirect_with_hash(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should redirect with hash
    successfully"."""
    response = await client.get("/docs/router-status/500")
    assert response.status_code == 301
    _, path, query, fragment = location_of(response)
    assert (path, query, fragment) == ("/docs/v2/network/status-codes", "", "500")


async def test_redirect_with_status_code(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should redirect successfully
    with provided statusCode"."""
    response = await client.get("/redirect2")
    assert response.status_code == 301
    assert location_of(response)[1:3] == ("/", "")


async def test_redirect_with_catchall(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should redirect successfully
    with catchall" (a redirect's unused params do not become query keys)."""
    response = await client.get("/catchall-redirect/hello/world")
    assert response.status_code == 307
    assert location_of(response)[1:3] == ("/somewhere", "")


async def test_double_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should double redirect
    successfully" (renderViaHTTP follows both 301s to the page)."""
    response = await client.get("/docs/github", follow_redirects=True)
    assert [r.status_code for r in response.history] == [301, 301]
    assert response.url.path == "/docs/v2/more/now-for-github"
    assert "hi there" in response.text


async def test_params_in_query_for_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should allow params in query
    for redirect"."""
    response = await client.get("/query-redirect/hello/world?a=b")
    assert (response.status_code, location_of(response)[1]) == (307, "/with-params")
    assert search_params(response) == {"first": "hello", "second": "world", "a": "b"}


async def test_encoded_params_in_query_for_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should have correctly encoded
    params in query for redirect"."""
    response = await client.get(
        "/query-redirect/hello%20world%3Fw%3D24%26focalpoint%3Dcenter/world?a=b"
    )
    assert (response.status_code, location_of(response)[1]) == (307, "/with-params")
    assert search_params(response) == {
        "first": "hello world?w=24&focalpoint=center",
        "second": "world",
        "a": "b",
    }


async def test_redirect_overrides_a_page(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "show allow redirect to
    override the page"."""
    response = await client.get("/redirect-override")
    assert (response.status_code, location_of(response)[1]) == (307, "/thank-you-next")


async def test_unnamed_parameters_in_redirect_source(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should support unnamed
    parameters correctly"."""
    response = await client.get("/unnamed/first/final")
    assert (response.status_code, location_of(response)[1]) == (307, "/got-unnamed")


async def test_refresh_header_for_308(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should add refresh header for
    308 redirect"."""
    response = await client.get("/redirect4")
    assert response.status_code == 308
    assert response.headers["refresh"] == "0;url=/"


async def test_encoded_query_in_location_and_refresh(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should have correctly encoded
    query in location and refresh headers" (the query is ?テスト=あ)."""
    query = "%E3%83%86%E3%82%B9%E3%83%88=%E3%81%82"
    response = await client.get(f"/redirect4?{query}")
    assert response.status_code == 308
    assert response.headers["location"].split("?")[1] == query
    assert response.headers["refresh"] == f"0;url=/?{query}"


async def test_encoded_backslash_in_path_stays_on_this_host(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle encoded value in
    the pathname correctly" (`encodeURI('\\\\google.com')` is `%5Cgoogle.com`)."""
    response = await client.get("/redirect/me/to-about/%5Cgoogle.com")
    assert response.status_code == 307
    host, path, query, _ = location_of(response)
    assert path == "/%5Cgoogle.com/about"
    assert host != "google.com"
    assert query == ""


async def test_named_regex_parameters_with_multi_match(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle named regex
    parameters with multi-match successfully"."""
    response = await client.get("/docs/integrations/v2-some/thing")
    assert response.status_code == 307
    assert location_of(response)[1] == "/integrations/-some/thing"


async def test_redirect_with_url_in_query_non_encoded(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should redirect with URL in
    query correctly non-encoded". Next's test requests /to-external-with-query again; this
    asks for the rule its fixture defines for the case, /to-external-with-query-2, whose
    destination is written unencoded."""
    response = await client.get("/to-external-with-query-2")
    assert response.status_code == 307
    assert response.headers["location"] == (
        "https://authserver.example.com/set-password?returnUrl=https://www.example.com/login"
    )


async def test_missing_header_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match missing header
    redirect correctly"."""
    present = await client.get("/missing-rewrite-1", headers={"x-my-header": "hello world!!"})
    assert present.status_code == 404
    response = await client.get("/missing-redirect-1")
    assert (response.status_code, location_of(response)[1]) == (307, "/with-params")


async def test_missing_query_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match missing query
    redirect correctly"."""
    assert (await client.get("/missing-redirect-2?my-query=hellooo")).status_code == 404
    response = await client.get("/missing-redirect-2")
    assert (response.status_code, location_of(response)[1]) == (307, "/with-params")


async def test_missing_cookie_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match missing cookie
    redirect correctly"."""
    logged_in = await client.get("/missing-redirect-3", headers={"cookie": "loggedIn=true"})
    assert logged_in.status_code == 404
    response = await client.get("/missing-redirect-3")
    assert response.status_code == 307
    assert location_of(response)[1:3] == ("/with-params", "authorized=1")


async def test_has_header_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has header
    redirect correctly"."""
    response = await client.get("/has-redirect-1", headers={"x-my-header": "hello world!!"})
    assert (response.status_code, location_of(response)[1]) == (307, "/another")
    assert search_params(response) == {"myHeader": "hello world!!"}
    assert (await client.get("/has-redirect-1")).status_code == 404


async def test_has_query_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has query
    redirect correctly"."""
    response = await client.get("/has-redirect-2?my-query=hellooo")
    assert (response.status_code, location_of(response)[1]) == (307, "/another")
    assert search_params(response) == {"value": "hellooo", "my-query": "hellooo"}
    assert (await client.get("/has-redirect-2")).status_code == 404


async def test_has_cookie_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has cookie
    redirect correctly"."""
    response = await client.get("/has-redirect-3", headers={"cookie": "loggedIn=true"})
    assert (response.status_code, location_of(response)[1]) == (307, "/another")
    assert search_params(response) == {"authorized": "1"}
    assert (await client.get("/has-redirect-3")).status_code == 404


async def test_has_host_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has host redirect
    correctly"."""
    assert (await client.get("/has-redirect-4")).status_code == 404
    response = await client.get("/has-redirect-4", headers={"host": "example.com"})
    assert (response.status_code, location_of(response)[1]) == (307, "/another")
    assert search_params(response) == {"host": "1"}


async def test_has_host_redirect_inserted_in_destination(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has host redirect
    and insert in destination correctly"."""
    assert (await client.get("/has-redirect-6")).status_code == 404
    response = await client.get("/has-redirect-6", headers={"host": "hello-test.example.com"})
    assert response.status_code == 307
    parts = urlsplit(response.headers["location"])
    assert (parts.scheme, parts.hostname, parts.path) == (
        "https",
        "hello.example.com",
        "/some-path/end",
    )
    assert search_params(response) == {"a": "b"}


async def test_has_query_redirect_with_duplicate_query_key(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has query
    redirect with duplicate query key" (the has value is the key's last value)."""
    response = await client.get("/has-redirect-7?hello=world&hello=another")
    assert (response.status_code, location_of(response)[1]) == (307, "/somewhere")
    pairs = parse_qsl(urlsplit(response.headers["location"]).query)
    assert sorted(pairs) == [("hello", "another"), ("hello", "world"), ("value", "another")]
    assert [v for k, v in pairs if k == "hello"] == ["world", "another"]


# ---- rewrites ----------------------------------------------------------------------------


async def test_data_route_is_not_rewritten(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should not rewrite for
    _next/data route when a match is found" (the page uses getStaticProps there, so Next's
    JSON says `__N_SSG`; here it is a gSSP page, `__N_SSP`)."""
    initial = await client.get("/overridden/first")
    assert initial.status_code == 200
    assert "this page is overridden" in initial.text
    data = await client.get(f"/_next/data/{await build_id(client, '/hello')}/overridden/first.json")
    assert data.status_code == 200
    assert data.json() == {"pageProps": {"params": {"slug": "first"}}, "__N_SSP": True}


@pytest.mark.parametrize(
    ("post", "slug"),
    [
        ("first", ["first"]),
        ("hello%20world", ["hello world"]),
        ("hello/world", ["hello", "world"]),
        ("hello%2fworld", ["hello", "world"]),
    ],
)
async def test_has_query_encoding(client: httpx.AsyncClient, post: str, slug: list[str]) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle has query
    encoding correctly"."""
    response = await client.get(f"/has-rewrite-8?post={post}")
    assert response.status_code == 200
    assert props_of(response) == {"params": {"slug": slug}}


async def test_before_files_rewrite_to_dynamic_route(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle beforeFiles
    rewrite to dynamic route correctly" (Next's /_sport/[slug] is /sport/[slug] here; the
    query and pathname it checks in the browser are read from the server render)."""
    response = await client.get("/nfl")
    assert response.status_code == 200
    assert "/sport/[slug]" in response.text
    data = next_data(response.text)
    assert (data["page"], data["query"]) == ("/sport/[slug]", {"slug": "nfl"})


async def test_before_files_rewrite_to_partly_dynamic_route(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle beforeFiles
    rewrite to partly dynamic route correctly" (the browser's /nfl/test, server-rendered)."""
    assert (await client.get("/nfl")).status_code == 200
    response = await client.get("/nfl/test")
    assert response.status_code == 200
    assert "/sport/[slug]/test" in response.text
    data = next_data(response.text)
    assert (data["page"], data["query"]) == ("/sport/[slug]/test", {"slug": "nfl"})


async def test_long_urls_for_rewrites(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should support long URLs for
    rewrites"."""
    segment = (
        "a9btBxtHQALZ6cxfuj18X6OLGNSkJVzrOXz41HG4QwciZfn7ggRZzPx21dWqGiTBAqFRiWvVNm5ko2lpyso5jt"
        "VaXg88dC1jKfqI2qmIcdeyJat8xamrIh2LWnrYRrsBcoKfQU65KHod8DPANuzPS3fkVYWlmov05GQbc82HwR1"
        "exOvPVKUKb5gBRWiN0WOh7hN4QyezIuq3dJINAptFQ6m2bNGjYACBRk4MOSHdcQG58oq5Ch7luuqrl9EcbWSa"
    )
    response = await client.get(f"/catchall-rewrite/{segment}")
    assert response.status_code == 200
    assert "/with-params" in response.text


async def test_before_files_rewrite_continues_to_after_files(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should continue in beforeFiles
    rewrites" (/old-blog/about -> /blog/about, then the afterFiles rule -> /hello)."""
    response = await client.get("/old-blog/about")
    assert response.status_code == 200
    assert '<h3 id="hello">Hello</h3>' in response.text


async def test_rewrite_to_auto_export_dynamic_page(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should parse params correctly
    for rewrite to auto-export dynamic page" (Next's static page gets its query in the
    browser; here the gSSP page shows the same query server-side)."""
    response = await client.get("/rewriting-to-auto-export")
    assert re.search(r"auto-export.*?hello", response.text)
    assert query_of(response) == {"rewrite": "1", "slug": "hello"}


async def test_one_to_one_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle one-to-one
    rewrite successfully"."""
    response = await client.get("/first")
    assert response.status_code == 200
    assert re.search("Hello", response.text)


async def test_no_dynamic_route_right_after_a_header_rule(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should not match dynamic route
    immediately after applying header" (/:path/post-321 rewrites before /blog/[post])."""
    response = await client.get("/blog/post-321")
    assert response.headers["x-something"] == "applied-everywhere"
    assert query_of(response)["path"] == "blog"


async def test_rewrite_with_params(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should rewrite with params
    successfully"."""
    response = await client.get("/test/hello")
    assert response.status_code == 200
    assert "Hello" in response.text


async def test_params_used_in_destination_path_are_not_appended(
    client: httpx.AsyncClient,
) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should not append params when
    one is used in destination path"."""
    assert query_of(await client.get("/test/with-params?a=b")) == {"a": "b"}


async def test_params_in_query_for_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should allow params in query
    for rewrite"."""
    response = await client.get("/query-rewrite/hello/world?a=b")
    assert next_data(response.text)["query"] == {
        "first": "hello",
        "second": "world",
        "a": "b",
        "section": "hello",
        "name": "world",
    }


async def test_params_for_catchall_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should have correct params for
    catchall rewrite"."""
    response = await client.get("/catchall-rewrite/hello/world?a=b")
    assert next_data(response.text)["query"] == {"a": "b", "path": ["hello", "world"]}


async def test_query_for_catchall_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should have correct query for
    catchall rewrite"."""
    response = await client.get("/catchall-query/hello/world?a=b")
    assert next_data(response.text)["query"] == {
        "a": "b",
        "another": "hello/world",
        "path": ["hello", "world"],
    }


async def test_query_merge_order_for_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle query for
    rewrite correctly" (lowest to highest: the request's query, the path params, the
    destination's query)."""
    response = await client.get(
        "/query-rewrite/first/second?section=overridden&name=overridden&first=overridden"
        "&second=overridden&keep=me"
    )
    assert query_of(response) == {
        "first": "first",
        "second": "second",
        "section": "first",
        "name": "second",
        "keep": "me",
    }


async def test_rewrite_does_not_override_a_page(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should not allow rewrite to
    override page file" (/nav has an afterFiles rewrite to /404)."""
    response = await client.get("/nav")
    assert response.status_code == 200
    assert "to-hello" in response.text


async def test_page_matches_after_a_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match a page after a
    rewrite"."""
    assert "Hello" in (await client.get("/to-hello")).text


async def test_dynamic_route_matches_after_a_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match dynamic route
    after rewrite"."""
    assert re.search(r"post:.*?post-2", (await client.get("/blog/post-1")).text)


async def test_public_file_beats_a_dynamic_route(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match public file after
    rewrite" (public/blog/data.json before pages/blog/[post])."""
    response = await client.get("/blog/data.json")
    assert response.status_code == 200
    assert json.loads(response.text) == {"hello": "world"}


async def test_basic_api_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle basic api
    rewrite successfully"."""
    assert json.loads((await client.get("/api-hello")).text) == {"query": {}}


async def test_unnamed_params_with_multi_match(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle unnamed
    parameters with multi-match successfully" (unnamed groups never reach the query)."""
    response = await client.get("/unnamed-params/nested/first/second/hello/world")
    assert query_of(response) == {"test": "hello"}


async def test_missing_header_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match missing header
    rewrite correctly"."""
    present = await client.get("/missing-rewrite-1", headers={"x-my-header": "hello world!!"})
    assert present.status_code == 404
    assert query_of(await client.get("/missing-rewrite-1")) == {}


async def test_missing_query_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match missing query
    rewrite correctly"."""
    assert (await client.get("/missing-rewrite-2?my-query=hellooo")).status_code == 404
    assert query_of(await client.get("/missing-rewrite-2")) == {}


async def test_missing_cookie_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match missing cookie
    rewrite correctly"."""
    logged_in = await client.get("/missing-rewrite-3", headers={"cookie": "loggedIn=true"})
    assert logged_in.status_code == 404
    assert query_of(await client.get("/missing-rewrite-3")) == {"authorized": "1"}


async def test_has_header_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has header
    rewrite correctly"."""
    response = await client.get("/has-rewrite-1", headers={"x-my-header": "hello world!!"})
    assert query_of(response) == {"myHeader": "hello world!!"}
    assert (await client.get("/has-rewrite-1")).status_code == 404


async def test_has_query_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has query
    rewrite correctly" (a has item without a value adds its key, letters only, as a param)."""
    response = await client.get("/has-rewrite-2?my-query=hellooo")
    assert query_of(response) == {"my-query": "hellooo", "myquery": "hellooo", "value": "hellooo"}
    assert (await client.get("/has-rewrite-2")).status_code == 404


async def test_has_cookie_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has cookie
    rewrite correctly"."""
    response = await client.get("/has-rewrite-3", headers={"cookie": "loggedIn=true"})
    assert query_of(response) == {"loggedIn": "true", "authorized": "1"}
    assert (await client.get("/has-rewrite-3")).status_code == 404


async def test_has_host_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has host rewrite
    correctly"."""
    assert (await client.get("/has-rewrite-4")).status_code == 404
    response = await client.get("/has-rewrite-4", headers={"host": "example.com"})
    assert query_of(response) == {"host": "1"}
    assert (await client.get("/has-rewrite-4")).status_code == 404


async def test_has_segment_for_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should pass has segment for
    rewrite correctly"."""
    assert (await client.get("/has-rewrite-5")).status_code == 404
    response = await client.get("/has-rewrite-5?hasParam=with-params")
    assert query_of(response) == {"hasParam": "with-params"}


async def test_non_captured_has_value_not_passed(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should not pass non captured
    has value for rewrite correctly"."""
    assert (await client.get("/has-rewrite-6")).status_code == 404
    response = await client.get("/has-rewrite-6", headers={"hasParam": "with-params"})
    assert query_of(response) == {}


async def test_captured_has_value_passed(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should pass captured has value
    for rewrite correctly"."""
    assert (await client.get("/has-rewrite-7")).status_code == 404
    response = await client.get("/has-rewrite-7?hasParam=with-params")
    assert query_of(response) == {"hasParam": "with-params", "idk": "with-params"}


async def test_has_rewrite_before_files(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has rewrite
    correctly before files" (the pathname the browser reads is the server-rendered page)."""
    plain = await client.get("/hello")
    assert plain.status_code == 200
    assert '<h3 id="hello">Hello</h3>' in plain.text
    response = await client.get("/hello?overrideMe=1")
    assert query_of(response) == {"overrideMe": "1", "overridden": "1"}
    assert next_data(response.text)["page"] == "/with-params"


# ---- headers -----------------------------------------------------------------------------


async def test_param_like_header_values(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle param like
    headers properly" (only the source's own params are filled in)."""
    headers = (await client.get("/my-other-header/my-path")).headers
    assert headers["x-path"] == "my-path"
    assert headers["somemy-path"] == "hi"
    assert headers["x-test"] == "some:value*"
    assert headers["x-test-2"] == "value*"
    assert headers["x-test-3"] == ":value?"
    assert headers["x-test-4"] == ":value+"
    assert headers["x-test-5"] == "something https:"
    assert headers["x-test-6"] == ":hello(world)"
    assert headers["x-test-7"] == "hello(world)"
    assert headers["x-test-8"] == "hello{1,}"
    assert headers["x-test-9"] == ":hello{1,2}"
    assert headers["content-security-policy"] == (
        "default-src 'self'; img-src *; media-src media1.com media2.com; "
        "script-src userscripts.example.com/my-path"
    )


async def test_header_for_catchall_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should have correct header for
    catchall rewrite"."""
    response = await client.get("/catchall-header/hello/world?a=b")
    assert response.headers["x-value"] == "hello/world"


async def test_headers_for_exact_match(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should apply headers for exact
    match"."""
    headers = (await client.get("/add-header")).headers
    assert headers["x-custom-header"] == "hello world"
    assert headers["x-another-header"] == "hello again"


async def test_headers_for_multi_match(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should apply headers for multi
    match"."""
    headers = (await client.get("/my-headers/first")).headers
    assert (headers["x-first-header"], headers["x-second-header"]) == ("first", "second")


async def test_params_in_header_keys_and_values(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should apply params for header
    key/values"."""
    headers = (await client.get("/my-other-header/first")).headers
    assert (headers["x-path"], headers["somefirst"]) == ("first", "hi")


async def test_url_as_header_value(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should support URL for header
    key/values"."""
    assert (await client.get("/without-params/url")).headers["x-origin"] == "https://example.com"


async def test_params_in_a_url_header_value(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should apply params header
    key/values with URL"."""
    response = await client.get("/with-params/url/first")
    assert response.headers["x-url"] == "https://example.com/first"


async def test_params_in_a_url_header_value_with_port(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should apply params header
    key/values with URL that has port"."""
    response = await client.get("/with-params/url2/first")
    assert response.headers["x-url"] == "https://example.com:8080?hello=first"


async def test_missing_header_for_headers(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match missing header
    headers correctly"."""
    present = await client.get("/missing-headers-1", headers={"x-my-header": "hello world!!"})
    assert present.status_code == 404
    assert "x-new-header" not in present.headers
    assert (await client.get("/missing-headers-1")).headers["x-new-header"] == "new-value"


async def test_missing_query_for_headers(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match missing query
    headers correctly"."""
    present = await client.get("/missing-headers-2?my-query=hellooo")
    assert present.status_code == 404
    assert "x-new-header" not in present.headers
    assert (await client.get("/missing-headers-2")).headers["x-new-header"] == "new-value"


async def test_missing_cookie_for_headers(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match missing cookie
    headers correctly"."""
    present = await client.get("/missing-headers-3", headers={"cookie": "loggedIn=true"})
    assert present.status_code == 404
    assert "x-new-header" not in present.headers
    assert (await client.get("/missing-headers-3")).headers["x-new-header"] == "new-value"


async def test_has_header_for_headers(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has header for
    header correctly"."""
    response = await client.get("/has-header-1", headers={"x-my-header": "hello world!!"})
    assert response.headers["x-another"] == "header"
    assert "x-another" not in (await client.get("/has-header-1")).headers


async def test_has_query_for_headers(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has query for
    header correctly" (Next's second request checks x-another, which this rule never sets;
    the rule's own x-added is checked too)."""
    assert (await client.get("/has-header-2?my-query=hellooo")).headers["x-added"] == "value"
    without = (await client.get("/has-header-2")).headers
    assert "x-another" not in without
    assert "x-added" not in without


async def test_has_cookie_for_headers(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has cookie for
    header correctly"."""
    response = await client.get("/has-header-3", headers={"cookie": "loggedIn=true"})
    assert response.headers["x-is-user"] == "yuuuup"
    assert "x-is-user" not in (await client.get("/has-header-3")).headers


async def test_has_host_for_headers(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match has host for
    header correctly"."""
    response = await client.get("/has-header-4", headers={"host": "example.com"})
    assert response.headers["x-is-host"] == "yuuuup"
    assert "x-is-host" not in (await client.get("/has-header-4")).headers


# ---- apps with only some of the rules ------------------------------------------------------


def app_with_rules(tmp_path: Path, keep: set[str], extra: str = "") -> Path:
    """A copy of tests/apps/next_custom_routes whose pagemill.toml keeps only the `[[kind]]`
    blocks named in `keep` (as Next's test renames the other config functions away), with
    `extra` TOML in front of them."""
    app = Path(shutil.copytree(APP, tmp_path / "app", ignore=shutil.ignore_patterns(".pagemill")))
    blocks: list[str] = []
    kind = ""
    for line in (APP / "pagemill.toml").read_text().splitlines(keepends=True):
        found = re.match(r"\[\[(\w+)\]\]", line)
        if found:
            kind = found.group(1)
        if kind in keep:
            blocks.append(line)
    (app / "pagemill.toml").write_text(extra + "".join(blocks))
    return app


def client_over(app_dir: Path) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=pagemill.create_app(app_dir)),
        base_url="http://testserver",
    )


async def test_only_headers(tmp_path: Path) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should load custom routes when
    only one type is used" / "should work with just headers"."""
    async with client_over(app_with_rules(tmp_path, {"headers"})) as client:
        headers = (await client.get("/add-header")).headers
        assert headers["x-custom-header"] == "hello world"
        assert headers["x-another-header"] == "hello again"
        assert (await client.get("/docs/github")).status_code == 404
        assert (await client.get("/hello-world")).status_code == 404


async def test_only_redirects(tmp_path: Path) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should load custom routes when
    only one type is used" / "should work with just redirects"."""
    async with client_over(app_with_rules(tmp_path, {"redirects"})) as client:
        headers = (await client.get("/add-header")).headers
        assert "x-custom-header" not in headers
        assert "x-another-header" not in headers
        response = await client.get("/docs/github")
        assert response.status_code == 301
        assert location_of(response)[1] == "/docs/v2/advanced/now-for-github"
        assert (await client.get("/hello world")).status_code == 404


async def test_no_op_rewrite_and_dynamic_route(tmp_path: Path) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "no-op rewrite" / "should not
    error for no-op rewrite and auto export dynamic route" (ADD_NOOP_REWRITE puts
    `/:path*` -> `/:path*` first among the afterFiles rewrites)."""
    noop = '[[rewrites]]\nsource = "/:path*"\ndestination = "/:path*"\n\n'
    app = app_with_rules(tmp_path, {"rewrites", "redirects", "headers"}, extra=noop)
    async with client_over(app) as client:
        response = await client.get("/auto-export/my-slug")
        assert response.status_code == 200
        assert re.search(r"auto-export.*?my-slug", response.text)


# ---- test/integration/custom-routes-catchall ------------------------------------------------


@pytest.fixture
async def catchall(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("next_custom_routes_catchall")


async def test_catchall_rewrite_renders_page(catchall: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes-catchall/test/index.test.ts "should rewrite and
    render page correctly"."""
    response = await catchall.get("/docs/hello")
    assert response.status_code == 200
    assert "hello world" in response.text


# ---- test/integration/custom-routes-i18n ----------------------------------------------------


@pytest.fixture
async def i18n(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("next_custom_routes_i18n")


@pytest.mark.parametrize(
    ("path", "destination"),
    [
        ("/redirect-1", "/destination-1"),
        ("/en/redirect-1", "/destination-1"),
        ("/fr/redirect-1", "/fr/destination-1"),
        ("/nl-NL/redirect-2", "/destination-2"),
        ("/fr/redirect-2", None),
    ],
)
async def test_default_locale_redirects(
    i18n: httpx.AsyncClient, path: str, destination: str | None
) -> None:
    """Ports test/integration/custom-routes-i18n/test/index.test.ts "should respond to default
    locale redirects correctly"."""
    response = await i18n.get(path)
    if destination is None:
        assert response.status_code == 404
        return
    assert response.status_code == 307
    assert response.text == destination
    assert location_of(response)[1:3] == (destination, "")


# ---- test/integration/invalid-custom-routes -------------------------------------------------

INVALID_TEST = "test/integration/invalid-custom-routes/test/index.test.ts"
# Shape errors (a missing key, a wrong type) come from reading pagemill.toml as a ConfigError;
# pattern errors are found while compiling the rules and come in the AppLoadError. Both stop
# the load with the file, the rule and what to change.
LOAD_ERRORS = (AppLoadError, ConfigError)


def load_error(tmp_path: Path, toml: str) -> str:
    """The message `load_app` raises for an app with this pagemill.toml."""
    (tmp_path / "pages").mkdir(exist_ok=True)
    (tmp_path / "pages" / "index.py").write_text("def page(props):\n    return 'x'\n")
    (tmp_path / "pagemill.toml").write_text(toml)
    with pytest.raises(LOAD_ERRORS) as info:
        load_app(tmp_path)
    message = str(info.value)
    assert str(tmp_path / "pagemill.toml") in message
    return message


HAS_ITEM_PROBLEMS = [
    pytest.param(
        'has = [{ type = "cookiee", key = "loggedIn" }]',
        ["`{kind}[0].has[0].type`", "'cookiee'", "'header', 'cookie', 'query', 'host'"],
        id="has-type-cookiee",
    ),
    pytest.param(
        'has = [{ type = "headerr" }, { type = "queryr", key = "hello" }]',
        ["`{kind}[0].has[0].type`", "'headerr'", "`{kind}[0].has[1].type`", "'queryr'"],
        id="has-types-headerr-queryr",
    ),
]

REDIRECT_PROBLEMS = [
    pytest.param(
        'source = "/hello"\npermanent = false',
        ["`redirects[0].destination` is required"],
        id="missing-destination",
    ),
    pytest.param(
        'source = 123\ndestination = "/another"\npermanent = false',
        ["`redirects[0].source` must be a str", "123"],
        id="source-not-a-string",
    ),
    pytest.param(
        'source = "/hello"\ndestination = "/another"\nstatus_code = "301"',
        ["`redirects[0].status_code` must be an int", "'301'"],
        id="status-code-a-string",
    ),
    pytest.param(
        'source = "/hello"\ndestination = "/another"\nstatus_code = 404',
        ["`redirects[0].status_code` must be one of 301, 302, 303, 307, 308", "404"],
        id="status-code-404",
    ),
    pytest.param(
        'source = "/hello"\ndestination = "/another"\npermanent = "yes"',
        ["`redirects[0].permanent` must be a bool", "'yes'"],
        id="permanent-yes",
    ),
    pytest.param(
        'source = "/hello/world/(.*)"\ndestination = "/:0"\npermanent = true',
        ["`redirects[0]`", ":0", "unnamed group", "name it in the source"],
        id="unnamed-param-in-destination",
    ),
]


@pytest.mark.parametrize(("rule", "expected"), REDIRECT_PROBLEMS)
def test_invalid_redirects(tmp_path: Path, rule: str, expected: list[str]) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should error during
    next build for invalid redirects" (one load per invalid route of its table)."""
    message = load_error(tmp_path, f"[[redirects]]\n{rule}\n")
    for fragment in expected:
        assert fragment in message


@pytest.mark.parametrize("kind", ["redirects", "rewrites", "headers"])
def test_invalid_route_objects(tmp_path: Path, kind: str) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should error during
    next build for invalid redirects", "... rewrites" and "... headers": the route "string"
    that is not an object (TOML has no null, Next's other non-object route)."""
    message = load_error(tmp_path, f'{kind} = ["string"]\n')
    assert f"`{kind}[0]` must be a table, got str" in message


@pytest.mark.parametrize("kind", ["redirects", "rewrites", "headers"])
@pytest.mark.parametrize(("condition", "expected"), HAS_ITEM_PROBLEMS)
def test_invalid_has_items(tmp_path: Path, kind: str, condition: str, expected: list[str]) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should error during
    next build for invalid redirects", "... rewrites" and "... headers": their invalid `has`
    items."""
    rule = {
        "redirects": 'source = "/hello"\ndestination = "/another"\npermanent = false',
        "rewrites": 'source = "/hello"\ndestination = "/another"',
        "headers": 'source = "/hello"\nheaders = [{ key = "x-hello", value = "world" }]',
    }[kind]
    message = load_error(tmp_path, f"[[{kind}]]\n{rule}\n{condition}\n")
    for fragment in expected:
        assert fragment.format(kind=kind) in message


REWRITE_PROBLEMS = [
    pytest.param('source = "/hello"', ["`rewrites[0].destination` is required"], id="no-dest"),
    pytest.param(
        'source = 123\ndestination = "/another"',
        ["`rewrites[0].source` must be a str", "123"],
        id="source-not-a-string",
    ),
    pytest.param(
        'source = "/hello"\ndestination = "/another"\nheaders = "not-allowed"',
        ["unknown key `rewrites[0].headers`"],
        id="extra-field",
    ),
    pytest.param(
        'source = "hello"\ndestination = "/another"',
        ["`rewrites[0].source` must start with `/`", "'hello'"],
        id="source-without-slash",
    ),
    pytest.param(
        'source = "/feedback/(?!general)"\ndestination = "/feedback/general"',
        ["`rewrites[0]`", "/feedback/(?!general)", "character 11", 'starts with "?"'],
        id="lookahead-source",
    ),
    pytest.param(
        'source = "/hello/world/(.*)"\ndestination = "/:0"',
        ["`rewrites[0]`", ":0", "unnamed group"],
        id="unnamed-param-in-destination",
    ),
]


@pytest.mark.parametrize(("rule", "expected"), REWRITE_PROBLEMS)
def test_invalid_rewrites(tmp_path: Path, rule: str, expected: list[str]) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should error during
    next build for invalid rewrites" (one load per invalid route of its table)."""
    message = load_error(tmp_path, f"[[rewrites]]\n{rule}\n")
    for fragment in expected:
        assert fragment in message


HEADER_PROBLEMS = [
    pytest.param(
        'headers = [{ key = "x-first", value = "first" }]',
        ["`headers[0].source` is required"],
        id="missing-source",
    ),
    pytest.param(
        'source = "/hello"\nheaders = { x-first = "first" }',
        ["`headers[0].headers` must be an array, got a table"],
        id="headers-not-an-array",
    ),
    pytest.param(
        'source = "/again"\nheaders = [{ value = "idk" }]',
        ["`headers[0].headers[0].key` is required"],
        id="header-without-key",
    ),
    pytest.param(
        'source = "/again"\nheaders = [{ key = "idk" }]',
        ["`headers[0].headers[0].value` is required"],
        id="header-without-value",
    ),
    pytest.param(
        'source = "/again"\ndestination = "/another"\n'
        'headers = [{ key = "x-first", value = "idk" }]',
        ["unknown key `headers[0].destination`"],
        id="destination-not-allowed",
    ),
]


@pytest.mark.parametrize(("rule", "expected"), HEADER_PROBLEMS)
def test_invalid_headers(tmp_path: Path, rule: str, expected: list[str]) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should error during
    next build for invalid headers" (one load per invalid route of its table; the valid
    `/valid-header` rule beside them is never named)."""
    valid = '[[headers]]\nsource = "/valid-header"\nheaders = [{ key = "x-first", value = "f" }]\n'
    message = load_error(tmp_path, f"[[headers]]\n{rule}\n\n{valid}")
    for fragment in expected:
        assert fragment in message
    assert "/valid-header" not in message
    assert "headers[1]" not in message


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("/feedback/(?!general)", ["character 11", 'a group that starts with "?"']),
        ("/learning/?", ["character 11", 'a "?" that follows no parameter', 'write "\\?"']),
    ],
)
def test_redirect_source_parse_errors(tmp_path: Path, source: str, expected: list[str]) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should show formatted
    error for redirect source parse fail" (Next counts from 0: its "at 11" is character 11
    counted from 1 in `/feedback/(?!general)`, and "at 10" for `/learning/?`'s "?")."""
    toml = f'[[redirects]]\nsource = "{source}"\ndestination = "/x"\npermanent = false\n'
    message = load_error(tmp_path, toml)
    assert "`redirects[0]`" in message
    assert source in message
    for fragment in expected:
        assert fragment in message


def test_rewrites_not_an_array(tmp_path: Path) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should show valid
    error when non-array is returned from rewrites"."""
    toml = '[rewrites]\nsource = "/feedback/(?!general)"\ndestination = "/feedback/general"\n'
    assert "`rewrites` must be an array, got a table" in load_error(tmp_path, toml)


def test_redirects_not_an_array(tmp_path: Path) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should show valid
    error when non-array is returned from redirects"."""
    assert "`redirects` must be an array, got bool" in load_error(tmp_path, "redirects = false\n")


def test_headers_not_an_array(tmp_path: Path) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should show valid
    error when non-array is returned from headers" (TOML has no `undefined`: a string)."""
    assert "`headers` must be an array, got str" in load_error(tmp_path, 'headers = "x"\n')


def test_destination_segments_not_in_source(tmp_path: Path) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should show valid
    error when segments not in source are used in destination"."""
    toml = '[[rewrites]]\nsource = "/feedback/:type"\ndestination = "/feedback/:id"\n'
    message = load_error(tmp_path, toml)
    assert "`rewrites[0]`" in message
    assert "uses :id, which neither the source nor a `has` condition defines" in message


# ---- through `pagemill start` -------------------------------------------------------------


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """tests/apps/next_custom_routes built and served by `pagemill start`."""
    app = built(APP, tmp_path_factory.mktemp("custom-routes"))
    with served("start", str(app), ready_path="/hello") as server:
        yield server


def test_served_redirects(started: Server) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should add refresh header for
    308 redirect" and "should match has host redirect and insert in destination correctly"
    under `pagemill start`."""
    response = httpx.get(started.base + "/redirect4")
    assert (response.status_code, response.headers["location"]) == (308, "/")
    assert response.headers["refresh"] == "0;url=/"
    response = httpx.get(
        started.base + "/has-redirect-6", headers={"host": "hello-test.example.com"}
    )
    assert response.status_code == 307
    assert response.headers["location"] == "https://hello.example.com/some-path/end?a=b"


def test_served_rewrites(started: Server) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle query for
    rewrite correctly" and "should match has cookie rewrite correctly" under `pagemill
    start`."""
    response = httpx.get(
        started.base + "/query-rewrite/first/second?section=overridden&name=overridden"
        "&first=overridden&second=overridden&keep=me"
    )
    assert query_of(response) == {
        "first": "first",
        "second": "second",
        "section": "first",
        "name": "second",
        "keep": "me",
    }
    response = httpx.get(started.base + "/has-rewrite-3", headers={"cookie": "loggedIn=true"})
    assert query_of(response) == {"loggedIn": "true", "authorized": "1"}


def test_served_chained_rewrites_and_rewrites_to_files(started: Server) -> None:
    """Ports "should handle chained rewrites successfully" and "should server static files
    through a rewrite" under `pagemill start`, with Chromium's Accept-Encoding."""
    chromium = {"accept-encoding": "gzip, deflate, br, zstd"}
    chained = httpx.get(started.base + "/", headers=chromium)
    assert chained.status_code == 200
    assert "multi-rewrites" in chained.text
    file = httpx.get(started.base + "/hello-world", headers=chromium)
    assert (file.status_code, file.text) == (200, "hello world!")


def test_served_headers(started: Server) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle param like
    headers properly" and "should match has host for header correctly" under `pagemill
    start`."""
    headers = httpx.get(started.base + "/my-other-header/my-path").headers
    assert (headers["x-path"], headers["somemy-path"], headers["x-test-3"]) == (
        "my-path",
        "hi",
        ":value?",
    )
    by_host = httpx.get(started.base + "/has-header-4", headers={"host": "example.com"})
    assert by_host.headers["x-is-host"] == "yuuuup"
