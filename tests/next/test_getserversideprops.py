"""Next.js's getServerSideProps suites, ported: test/e2e/getserversideprops (the current copy of
test/integration/getserversideprops), test/integration/gssp-redirect,
test/integration/gssp-redirect-base-path and test/integration/gssp-pageProps-merge.

Fixture apps: tests/apps/next_gssp (Next's e2e app: its `_app` returns `appProps`, its
next.config.js rewrites are in pagemill.toml), next_gssp_redirect, next_gssp_redirect_base_path
(`base_path = "/docs"`) and next_gssp_merge. Browser-only cases and those of other areas are
listed in tests/NEXT_CASES.md.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import APPS, PRIVATE_CACHE, ClientFactory, Server, build_id, built, next_data, served

pytestmark = pytest.mark.anyio

NOT_FOUND_TEXT = "This page could not be found"


def element(markup: str, element_id: str) -> str:
    """The text of the element with this id (its markup unescaped)."""
    found = re.search(rf'id="{re.escape(element_id)}">(.*?)</', markup, re.S)
    assert found is not None, f"no element #{element_id} in the page"
    return html.unescape(found.group(1))


def page_props(response: httpx.Response) -> dict[str, Any]:
    props: dict[str, Any] = next_data(response.text)["props"]["pageProps"]
    return props


def app_props(response: httpx.Response) -> dict[str, Any]:
    props: dict[str, Any] = next_data(response.text)["props"]["appProps"]
    return props


def page_error(caplog: pytest.LogCaptureFixture) -> BaseException:
    """The exception the request log recorded for the last failed request."""
    failed = [r for r in caplog.records if r.name == "pagemill" and r.exc_info]
    assert failed, "no failed request was logged"
    exc_info = failed[-1].exc_info
    assert exc_info is not None and exc_info[1] is not None
    return exc_info[1]


@pytest.fixture
async def gssp(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("next_gssp")


# --- test/e2e/getserversideprops: what the server answers ------------------------------------


async def test_early_request_end(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should work with early request
    ending"."""
    response = await gssp.get("/early-request-end")
    assert response.status_code == 200
    assert response.text == "hello from gssp"


async def test_post_request_for_gssp_page(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should allow POST request for
    getServerSideProps page"."""
    response = await gssp.post("/")
    assert response.status_code == 200
    assert re.search(r"hello.*?world", response.text)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/not-found", id="non-dynamic"),
        pytest.param("/not-found/first", id="dynamic"),
    ],
)
async def test_not_found_false_renders(gssp: httpx.AsyncClient, path: str) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should render correctly when
    notFound is false (non-dynamic)" and "... (dynamic)"."""
    response = await gssp.get(path)
    assert response.status_code == 200
    assert "hello world" in response.text


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/not-found", id="non-dynamic"),
        pytest.param("/not-found/first", id="dynamic"),
    ],
)
async def test_not_found_true_renders_404(gssp: httpx.AsyncClient, path: str) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should render 404 correctly when
    notFound is returned (non-dynamic)" and "... (dynamic)"."""
    response = await gssp.get(path, params={"hiding": "true"})
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in response.text


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/not-found", id="non-dynamic"),
        pytest.param("/not-found/first", id="dynamic"),
    ],
)
async def test_not_found_data_request(gssp: httpx.AsyncClient, path: str) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should render 404 correctly when
    notFound is returned client-transition (non-dynamic)" and "... (dynamic)": the browser part
    is the client's; what the server gives the client's `router.push` is the data route's 404
    `{"notFound":true}` (no Content-Type), from which the client renders the 404 page in place."""
    build = await build_id(gssp)
    response = await gssp.get(f"/_next/data/{build}{path}.json", params={"hiding": "true"})
    assert response.status_code == 404
    assert response.content == b'{"notFound":true}'
    assert "content-type" not in response.headers


async def test_ssr_normal_page(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should SSR normal page correctly"."""
    response = await gssp.get("/")
    assert re.search(r"hello.*?world", response.text)


async def test_ssr_gssp_page(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should SSR getServerSideProps page
    correctly"."""
    response = await gssp.get("/blog/post-1")
    assert re.search(r"Post:.*?post-1", response.text)


async def test_enoent_is_a_500_not_a_404(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should handle throw ENOENT correctly"
    (production): an error with code ENOENT (Python's FileNotFoundError) is a 500 with the
    custom pages/500, never the 404 page."""
    response = await gssp.get("/enoent")
    assert response.status_code == 500
    assert "custom pages/500" in response.text
    assert NOT_FOUND_TEXT not in response.text


async def test_gssp_flag_in_next_data(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should have gssp in __NEXT_DATA__"."""
    assert next_data((await gssp.get("/")).text)["gssp"] is True


async def test_no_gssp_flag_for_non_gssp_page(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should not have gssp in
    __NEXT_DATA__ for non-GSSP page"."""
    assert "gssp" not in next_data((await gssp.get("/normal")).text)


async def test_query_values_ssr(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should supply query values SSR":
    `#params` from the props, `#query` (router.query) from the layout's router state."""
    response = await gssp.get("/blog/post-1?hello=world")
    assert json.loads(element(response.text, "params")) == {"post": "post-1"}
    assert json.loads(element(response.text, "router-query")) == {
        "hello": "world",
        "post": "post-1",
    }
    assert next_data(response.text)["query"] == {"hello": "world", "post": "post-1"}


async def test_params_for_catchall(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should supply params values for
    catchall correctly"."""
    response = await gssp.get("/catchall/first")
    assert json.loads(element(response.text, "params")) == {"path": ["first"]}
    assert json.loads(element(response.text, "router-query")) == {"path": ["first"]}
    build = next_data(response.text)["buildId"]
    data = (await gssp.get(f"/_next/data/{build}/catchall/first.json")).json()
    assert data["pageProps"]["params"] == {"path": ["first"]}


@pytest.mark.parametrize(
    ("page", "query", "resolved_url", "app"),
    [
        pytest.param(
            "blog/post-1",
            "",
            "/blog/post-1",
            {"query": {"post": "post-1"}, "asPath": "/blog/post-1", "pathname": "/blog/[post]"},
            id="dynamic page",
        ),
        pytest.param(
            "blog/post-1",
            "?hello=world",
            "/blog/post-1?hello=world",
            {
                "query": {"post": "post-1", "hello": "world"},
                "asPath": "/blog/post-1?hello=world",
                "pathname": "/blog/[post]",
            },
            id="dynamic page with query",
        ),
        pytest.param(
            "something",
            "",
            "/something",
            {"query": {}, "asPath": "/something", "pathname": "/something"},
            id="static route",
        ),
        pytest.param(
            "something",
            "?hello=world",
            "/something?hello=world",
            {
                "query": {"hello": "world"},
                "asPath": "/something?hello=world",
                "pathname": "/something",
            },
            id="static route with query",
        ),
    ],
)
async def test_original_req_url_for_data_request(
    gssp: httpx.AsyncClient, page: str, query: str, resolved_url: str, app: dict[str, Any]
) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should have original req.url for
    /_next/data request dynamic page", "... dynamic page with query", "should have original
    req.url for /_next/data request" and "... with query": `appProps` is what `_app`'s
    getInitialProps saw (`req.url` keeps the data URL)."""
    build = await build_id(gssp)
    url = f"/_next/data/{build}/{page}.json{query}"
    data = (await gssp.get(url)).json()
    assert data["pageProps"]["resolvedUrl"] == resolved_url
    assert data["appProps"] == {"url": url, **app}


@pytest.mark.parametrize(
    ("path", "app_query", "resolved_url", "as_path"),
    [
        pytest.param(
            "/blog/post-1", {"post": "post-1"}, "/blog/post-1", "/blog/post-1", id="dynamic page"
        ),
        pytest.param(
            "/blog-post-1", {"post": "post-1"}, "/blog/post-1", "/blog-post-1", id="rewrite direct"
        ),
        pytest.param(
            "/blog-post-2",
            {"post": "post-2", "hello": "world"},
            "/blog/post-2",
            "/blog-post-2",
            id="rewrite direct with internal query",
        ),
        pytest.param(
            "/blog-post-3",
            {"post": "post-3", "param": "post-3"},
            "/blog/post-3",
            "/blog-post-3",
            id="rewrite param",
        ),
        pytest.param(
            "/blog/post-1?hello=world",
            {"post": "post-1", "hello": "world"},
            "/blog/post-1?hello=world",
            "/blog/post-1?hello=world",
            id="dynamic page with query",
        ),
        pytest.param("/something", {}, "/something", "/something", id="static route"),
    ],
)
async def test_req_url_and_query_for_direct_visit(
    gssp: httpx.AsyncClient,
    path: str,
    app_query: dict[str, str],
    resolved_url: str,
    as_path: str,
) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should have correct req.url and query
    for direct visit dynamic page", "... dynamic page rewrite direct", "... dynamic page rewrite
    direct with internal query", "... dynamic page rewrite param", "... dynamic page with query"
    and "... for direct visit". `#app-url` (contains), `#app-query`, `#resolved-url` and
    `#as-path` of Next's page are read from `appProps`, the page and the layout."""
    response = await gssp.get(path)
    assert response.status_code == 200
    assert path in app_props(response)["url"]
    assert app_props(response)["query"] == app_query
    assert element(response.text, "resolved-url") == resolved_url
    assert element(response.text, "as-path") == as_path


async def test_return_data(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should return data correctly"."""
    build = await build_id(gssp)
    data = (await gssp.get(f"/_next/data/{build}/something.json")).json()
    assert data["pageProps"]["world"] == "world"


async def test_query_for_data_request(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should pass query for data
    request"."""
    build = await build_id(gssp)
    data = (await gssp.get(f"/_next/data/{build}/something.json?another=thing")).json()
    assert data["pageProps"]["query"]["another"] == "thing"


async def test_return_data_for_dynamic_page(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should return data correctly for
    dynamic page"."""
    build = await build_id(gssp)
    data = (await gssp.get(f"/_next/data/{build}/blog/post-1.json")).json()
    assert data["pageProps"]["post"] == "post-1"


async def test_data_request_never_renders_the_page(gssp: httpx.AsyncClient) -> None:
    """Ports the guard of Next's pages/index.js (it throws "invalid render for data request" when
    rendered for a /_next/data URL), exercised by every data test of
    test/e2e/getserversideprops/test/index.test.ts: the data route answers JSON without
    rendering."""
    build = await build_id(gssp)
    response = await gssp.get(f"/_next/data/{build}/index.json")
    assert response.status_code == 200
    assert response.json()["pageProps"]["world"] == "world"
    assert response.json()["pageProps"]["url"] == f"/_next/data/{build}/index.json"


async def test_props_is_a_promise(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should return data correctly when
    props is a promise" (an awaitable in Python)."""
    response = await gssp.get("/promise")
    assert re.search(r"hello.*?promise", response.text)


async def test_query_value_for_dynamic_page(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should provide correct query value
    for dynamic page": the route param wins over a query key of the same name."""
    response = await gssp.get("/blog/post-1?post=something-else")
    assert json.loads(element(response.text, "router-query"))["post"] == "post-1"
    assert next_data(response.text)["query"]["post"] == "post-1"


async def test_failed_data_request_is_an_html_500(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should reload page on failed data
    request": the reload is the client's; what makes it reload is the data route answering the
    raising gSSP (`/blog/post-100`) with a 500 HTML error page, not JSON."""
    build = await build_id(gssp)
    response = await gssp.get(f"/_next/data/{build}/blog/post-100.json")
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "custom pages/500" in response.text
    assert "such broken" not in response.text


async def test_gssp_runs_on_every_request(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should always call
    getServerSideProps without caching"."""
    bodies = [(await gssp.get("/something")).text for _ in range(3)]
    for body in bodies:
        assert re.search(r"hello.*?world", body)
    assert bodies[0] != bodies[1] != bodies[2]


async def test_default_caching_header(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should set default caching header"."""
    build = await build_id(gssp)
    page = await gssp.get("/something")
    assert page.headers["cache-control"] == PRIVATE_CACHE
    data = await gssp.get(f"/_next/data/{build}/something.json")
    assert data.headers["cache-control"] == PRIVATE_CACHE


async def test_custom_caching_header(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should respect custom caching
    header"."""
    build = await build_id(gssp)
    page = await gssp.get("/custom-cache")
    assert page.headers["cache-control"] == "public, max-age=3600"
    data = await gssp.get(f"/_next/data/{build}/custom-cache.json")
    assert data.headers["cache-control"] == "public, max-age=3600"


async def test_invalid_json_props_are_an_error(
    gssp: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should not show error for invalid
    JSON returned from getServerSideProps" (production) and "should show error for invalid JSON
    returned from getServerSideProps" (dev).

    Deliberate difference: Next checks props only in dev, and in production
    renders `hello <date>`; pagemill checks in production too (the check costs nothing on the
    good path), so a `datetime` prop is a 500 whose logged error has Next's dev message."""
    with caplog.at_level(logging.ERROR, logger="pagemill"):
        response = await gssp.get("/non-json")
    assert response.status_code == 500
    assert "custom pages/500" in response.text
    assert "Error serializing" not in response.text  # nothing of the error reaches the client
    assert "Error serializing `.time` returned from `get_server_side_props`" in str(
        page_error(caplog)
    )


async def test_invalid_keys_are_an_error(
    gssp: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should show error for extra keys
    returned from getServerSideProps" (dev; in production the page is a 500 whose logged error
    carries the same message). pagemill quotes each key: `world`, `query`, ..."""
    with caplog.at_level(logging.ERROR, logger="pagemill"):
        response = await gssp.get("/invalid-keys")
    assert response.status_code == 500
    message = str(page_error(caplog))
    assert "Props for the page must be nested under `props`" in message
    assert "Keys that need to be moved: `world`, `query`, `params`, `time`, `random`" in message


async def test_res_touched_after_gssp_resolves(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should not show error for accessing
    res after gssp returns" and "should not warn for accessing res after gssp returns"
    (production): the page sets a header on gSSP's `res` while rendering; it still renders."""
    response = await gssp.get("/promise/mutate-res")
    assert response.status_code == 200
    assert re.search(r"hello.*?res", response.text)


async def test_url_prop_is_not_reserved(gssp: httpx.AsyncClient) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should not show warning from url prop
    being returned" (dev): a prop named `url` reaches the page as returned."""
    response = await gssp.get("/url-prop")
    assert re.search(r"url:.*?something", response.text)
    assert page_props(response) == {"url": "something"}


# --- test/integration/gssp-pageProps-merge -----------------------------------------------------


async def test_app_page_props_merge_with_gssp_props(client_for: ClientFactory) -> None:
    """Ports test/integration/gssp-pageProps-merge/test/index.test.ts "should merge _app pageProps
    and getServerSideProps props"."""
    client = await client_for("next_gssp_merge")
    response = await client.get("/gssp")
    found = re.search(r"<p>(.*?)</p>", response.text)
    assert found is not None
    assert json.loads(html.unescape(found.group(1))) == {"hi": "hi", "hello": "world"}


# --- test/integration/gssp-redirect and gssp-redirect-base-path ---------------------------------


@pytest.mark.parametrize(
    ("app", "base"),
    [
        pytest.param("next_gssp_redirect", "", id="gssp-redirect"),
        pytest.param("next_gssp_redirect_base_path", "/docs", id="gssp-redirect-base-path"),
    ],
)
async def test_temporary_redirect(client_for: ClientFactory, app: str, base: str) -> None:
    """Ports test/integration/gssp-redirect/test/index.test.ts and
    test/integration/gssp-redirect-base-path/test/index.test.ts "should apply temporary redirect
    when visited directly for GSSP page"."""
    client = await client_for(app)
    response = await client.get(f"{base}/gssp-blog/redirect-1")
    assert response.status_code == 307
    assert httpx.URL(response.headers["location"]).path == f"{base}/404"


async def test_temporary_redirect_base_path_false(client_for: ClientFactory) -> None:
    """Ports test/integration/gssp-redirect-base-path/test/index.test.ts "should apply temporary
    redirect when visited directly basePath false for GSSP page". Its browser half (a client
    push hard-navigates to /404) rests on the data route's `__N_REDIRECT_BASE_PATH: false`."""
    client = await client_for("next_gssp_redirect_base_path")
    response = await client.get("/docs/gssp-blog/redirect-1-no-basepath-")
    assert response.status_code == 307
    assert response.text == "/404"
    assert httpx.URL(response.headers["location"]).path == "/404"
    build = await build_id(client, "/docs")
    data = await client.get(f"/docs/_next/data/{build}/gssp-blog/redirect-1-no-basepath-.json")
    assert data.status_code == 200
    assert data.json()["pageProps"] == {
        "__N_REDIRECT": "/404",
        "__N_REDIRECT_STATUS": 307,
        "__N_REDIRECT_BASE_PATH": False,
    }


@pytest.mark.parametrize(
    ("app", "base"),
    [
        pytest.param("next_gssp_redirect", "", id="gssp-redirect"),
        pytest.param("next_gssp_redirect_base_path", "/docs", id="gssp-redirect-base-path"),
    ],
)
async def test_permanent_redirect(client_for: ClientFactory, app: str, base: str) -> None:
    """Ports test/integration/gssp-redirect/test/index.test.ts and
    test/integration/gssp-redirect-base-path/test/index.test.ts "should apply permanent redirect
    when visited directly for GSSP page"."""
    client = await client_for(app)
    response = await client.get(f"{base}/gssp-blog/redirect-permanent")
    assert response.status_code == 308
    assert response.text == f"{base}/404"
    assert httpx.URL(response.headers["location"]).path == f"{base}/404"
    assert f"url={base}/404" in response.headers["refresh"]


@pytest.mark.parametrize("status", [301, 303])
@pytest.mark.parametrize(
    ("app", "base"),
    [
        pytest.param("next_gssp_redirect", "", id="gssp-redirect"),
        pytest.param("next_gssp_redirect_base_path", "/docs", id="gssp-redirect-base-path"),
    ],
)
async def test_status_code_redirect(
    client_for: ClientFactory, app: str, base: str, status: int
) -> None:
    """Ports test/integration/gssp-redirect/test/index.test.ts and
    test/integration/gssp-redirect-base-path/test/index.test.ts "should apply statusCode 301
    redirect when visited directly for GSSP page" and "... statusCode 303 ...": no Refresh."""
    client = await client_for(app)
    response = await client.get(f"{base}/gssp-blog/redirect-statusCode-{status}")
    assert response.status_code == status
    assert response.text == f"{base}/404"
    assert httpx.URL(response.headers["location"]).path == f"{base}/404"
    assert "refresh" not in response.headers


@pytest.mark.parametrize(
    ("app", "base"),
    [
        pytest.param("next_gssp_redirect", "", id="gssp-redirect"),
        pytest.param("next_gssp_redirect_base_path", "/docs", id="gssp-redirect-base-path"),
    ],
)
async def test_external_redirect(client_for: ClientFactory, app: str, base: str) -> None:
    """Ports test/integration/gssp-redirect/test/index.test.ts and
    test/integration/gssp-redirect-base-path/test/index.test.ts "should apply redirect when
    fallback GSSP page is visited directly (external domain)" (its HTTP half; the browser then
    lands on that host). An absolute destination gets no base path."""
    client = await client_for(app)
    response = await client.get(f"{base}/gssp-blog/redirect-dest-external")
    assert response.status_code == 307
    location = httpx.URL(response.headers["location"])
    assert location.host == "example.vercel.sh"
    assert location.path == "/"


@pytest.mark.parametrize(
    ("app", "base"),
    [
        pytest.param("next_gssp_redirect", "", id="gssp-redirect"),
        pytest.param("next_gssp_redirect_base_path", "/docs", id="gssp-redirect-base-path"),
    ],
)
async def test_redirect_visited_directly_lands_on_the_gssp_page(
    client_for: ClientFactory, app: str, base: str
) -> None:
    """Ports test/integration/gssp-redirect/test/index.test.ts and
    test/integration/gssp-redirect-base-path/test/index.test.ts "should apply redirect when GSSP
    page is navigated to client-side (internal dynamic)", which opens the redirecting URL
    directly and expects the target gSSP page's props."""
    client = await client_for(app)
    first = await client.get(f"{base}/gssp-blog/redirect-dest-_gssp-blog_first")
    assert first.status_code == 307
    assert first.headers["location"] == f"{base}/gssp-blog/first"
    landed = await client.get(first.headers["location"])
    assert element(landed.text, "gssp") == "getServerSideProps"
    assert json.loads(element(landed.text, "props")) == {"params": {"post": "first"}}


@pytest.mark.parametrize(
    ("app", "base"),
    [
        pytest.param("next_gssp_redirect", "", id="gssp-redirect"),
        pytest.param("next_gssp_redirect_base_path", "/docs", id="gssp-redirect-base-path"),
    ],
)
async def test_redirect_on_client_navigation_to_a_page(
    client_for: ClientFactory, app: str, base: str
) -> None:
    """Ports test/integration/gssp-redirect/test/index.test.ts and
    test/integration/gssp-redirect-base-path/test/index.test.ts "should apply redirect when GSSP
    page is navigated to client-side (internal normal)": `router.push` fetches the data route,
    which answers 200 with `__N_REDIRECT` (the destination without the base path, which the
    client adds), and the client then shows /another ("another Page")."""
    client = await client_for(app)
    build = await build_id(client, base or "/")
    data = await client.get(f"{base}/_next/data/{build}/gssp-blog/redirect-dest-_another.json")
    assert data.status_code == 200
    assert "location" not in data.headers
    assert data.json() == {
        "pageProps": {"__N_REDIRECT": "/another", "__N_REDIRECT_STATUS": 307},
        "__N_SSP": True,
    }
    another = await client.get(f"{base}/another")
    assert element(another.text, "another") == "another Page"


@pytest.mark.parametrize(
    ("app", "base"),
    [
        pytest.param("next_gssp_redirect", "", id="gssp-redirect"),
        pytest.param("next_gssp_redirect_base_path", "/docs", id="gssp-redirect-base-path"),
    ],
)
async def test_redirect_on_client_navigation_to_a_gssp_page(
    client_for: ClientFactory, app: str, base: str
) -> None:
    """Ports test/integration/gssp-redirect/test/index.test.ts and
    test/integration/gssp-redirect-base-path/test/index.test.ts "should apply redirect when GSSP
    page is navigated to client-side (external)": the data route redirects to
    /gssp-blog/first, whose own data route then gives `{params: {post: "first"}}`."""
    client = await client_for(app)
    build = await build_id(client, base or "/")
    prefix = f"{base}/_next/data/{build}"
    data = (await client.get(f"{prefix}/gssp-blog/redirect-dest-_gssp-blog_first.json")).json()
    assert data["pageProps"] == {"__N_REDIRECT": "/gssp-blog/first", "__N_REDIRECT_STATUS": 307}
    target = (await client.get(f"{prefix}/gssp-blog/first.json")).json()
    assert target["pageProps"] == {"params": {"post": "first"}}


# --- through the real server ---------------------------------------------------------------


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """tests/apps/next_gssp built and served by `pagemill start`."""
    tmp = tmp_path_factory.mktemp("next_gssp")
    env = {"PAGEMILL_CACHE_DIR": str(tmp / "cache")}
    with served("start", str(built(APPS / "next_gssp", tmp)), env=env) as server:
        yield server


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """tests/apps/next_gssp served by `pagemill dev`."""
    tmp = tmp_path_factory.mktemp("next_gssp_dev")
    app = Path(shutil.copytree(APPS / "next_gssp", tmp / "next_gssp"))
    with served("dev", str(app), env={"PAGEMILL_CACHE_DIR": str(tmp / "cache")}) as server:
        yield server


def test_served_data_request_keeps_original_req_url(started: Server) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should have original req.url for
    /_next/data request dynamic page with query" under `pagemill start`."""
    html_page = httpx.get(started.base + "/blog/post-1")
    build = next_data(html_page.text)["buildId"]
    url = f"/_next/data/{build}/blog/post-1.json?hello=world"
    data = httpx.get(started.base + url).json()
    assert data["pageProps"]["resolvedUrl"] == "/blog/post-1?hello=world"
    assert data["appProps"] == {
        "url": url,
        "query": {"post": "post-1", "hello": "world"},
        "asPath": "/blog/post-1?hello=world",
        "pathname": "/blog/[post]",
    }


def test_served_rewrite_and_not_found(started: Server) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should have correct req.url and query
    for direct visit dynamic page rewrite direct with internal query" and "should render 404
    correctly when notFound is returned (dynamic)" under `pagemill start`."""
    rewritten = httpx.get(started.base + "/blog-post-2")
    assert rewritten.status_code == 200
    assert app_props(rewritten)["query"] == {"post": "post-2", "hello": "world"}
    assert element(rewritten.text, "resolved-url") == "/blog/post-2"
    assert element(rewritten.text, "as-path") == "/blog-post-2"
    hidden = httpx.get(started.base + "/not-found/first?hiding=true")
    assert hidden.status_code == 404
    assert NOT_FOUND_TEXT in hidden.text


def test_served_enoent_and_early_end(started: Server) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should handle throw ENOENT correctly"
    and "should work with early request ending" under `pagemill start`."""
    enoent = httpx.get(started.base + "/enoent")
    assert enoent.status_code == 500
    assert "custom pages/500" in enoent.text
    assert NOT_FOUND_TEXT not in enoent.text
    early = httpx.get(started.base + "/early-request-end")
    assert early.status_code == 200
    assert early.text == "hello from gssp"


def test_dev_shows_invalid_keys_error(dev_server: Server) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should show error for extra keys
    returned from getServerSideProps" (dev): the overlay shows the message in the HTML."""
    response = httpx.get(dev_server.base + "/invalid-keys")
    text = html.unescape(response.text)
    assert "Props for the page must be nested under `props`" in text
    assert "Keys that need to be moved: `world`, `query`, `params`, `time`, `random`" in text


def test_dev_shows_invalid_json_error(dev_server: Server) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should show error for invalid JSON
    returned from getServerSideProps" (dev): the overlay shows the message in the HTML."""
    response = httpx.get(dev_server.base + "/non-json")
    text = html.unescape(response.text)
    assert "Error serializing `.time` returned from `get_server_side_props`" in text
