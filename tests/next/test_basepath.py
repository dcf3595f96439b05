"""Next.js's basePath test cases (Pages Router, over HTTP), ported onto tests/apps/next_basepath*.

`next_basepath` mirrors test/e2e/basepath (basePath "/docs", the rules of basepath.test.ts
and redirect-and-rewrite.test.ts, its pages); `next_basepath_trailing` adds trailingSlash
as test/e2e/basepath/trailing-slash.test.ts does. `_app.py` prints what the fixture pages
print of `useRouter()` (`#base-path`, `#pathname`, `#as-path`, `#query`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest
from conftest import APPS, ClientFactory, Server, build_id, built, next_data, served

pytestmark = pytest.mark.anyio

BASE = "/docs"


@pytest.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("next_basepath")


def shown(response: httpx.Response, element_id: str) -> str:
    """The text of the element with this id (what cheerio's `$('#id').text()` gives)."""
    found = re.search(rf'<(\w+) id="{element_id}">(.*?)</\1>', response.text, re.S)
    assert found is not None, f"no #{element_id} in the page"
    return html.unescape(found.group(2))


# --- test/e2e/basepath/basepath.test.ts --------------------------------------------------------


async def test_public_file_with_base_path(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should serve public file with basePath
    correctly"."""
    response = await client.get(f"{BASE}/data.txt")
    assert (response.status_code, response.text) == (200, "hello world")


async def test_public_file_without_base_path(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should 404 for public file without
    basePath"."""
    assert (await client.get("/data.txt")).status_code == 404


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (f"{BASE}/add-header", "world"),
        ("/add-header", None),
        (f"{BASE}/add-header-no-basepath", None),
        ("/add-header-no-basepath", "world"),
    ],
    ids=[
        "should add header with basePath by default",
        "should not add header without basePath without disabling",
        "should not add header with basePath when set to false",
        "should add header without basePath when set to false",
    ],
)
async def test_headers(client: httpx.AsyncClient, path: str, value: str | None) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should add header with basePath by
    default", "should not add header without basePath without disabling", "should not add
    header with basePath when set to false" and "should add header without basePath when set
    to false"."""
    response = await client.get(path)
    assert response.headers.get("x-hello") == value


async def test_nested_folder_named_like_base_path(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should work with nested folder with same
    name as basePath" (its HTTP request)."""
    response = await client.get(f"{BASE}/docs/another")
    assert "hello from another" in response.text


async def test_dynamic_page(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should work with normal dynamic page" (the
    page the link leads to, fetched over HTTP)."""
    response = await client.get(f"{BASE}/first")
    assert "slug: first" in response.text


async def test_catch_all_page(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should work with catch-all page" (the page
    the link leads to, fetched over HTTP)."""
    response = await client.get(f"{BASE}/catchall/hello/world")
    assert "parts: hello/world" in response.text


async def test_trailing_slash_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should redirect trailing slash
    correctly"."""
    response = await client.get(f"{BASE}/hello/")
    assert response.status_code == 308
    assert httpx.URL(response.headers["location"]).path == f"{BASE}/hello"
    assert f"{BASE}/hello" in response.text


async def test_hello_page(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should show the hello page under the /docs
    prefix"."""
    response = await client.get(f"{BASE}/hello")
    assert response.status_code == 200
    assert "<h1>Hello World</h1>" in response.text


@pytest.mark.parametrize(("path", "pathname"), [("", "/"), ("/hello", "/hello")])
async def test_router_paths_on_first_load(
    client: httpx.AsyncClient, path: str, pathname: str
) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should have correct router paths on first
    load of /" and "... of /hello"."""
    response = await client.get(f"{BASE}{path}")
    assert shown(response, "pathname") == pathname
    assert shown(response, "as-path") == pathname


async def test_gssp_data_route(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should fetch data for getServerSideProps
    without reloading" (the data request the client makes: under the base path, and the
    page sees no base path)."""
    build = await build_id(client, f"{BASE}/gssp")
    response = await client.get(f"{BASE}/_next/data/{build}/gssp.json")
    assert response.status_code == 200
    page_props = response.json()["pageProps"]
    assert page_props["hello"] == "world"
    assert page_props["resolved_url"] == "/gssp"
    page = await client.get(f"{BASE}/gssp")
    assert (shown(page, "pathname"), shown(page, "as-path")) == ("/gssp", "/gssp")
    assert (await client.get(f"/_next/data/{build}/gssp.json")).status_code == 404


@pytest.mark.parametrize("path", ["/hello", "/missing"])
async def test_not_found_outside_base_path(client: httpx.AsyncClient, path: str) -> None:
    """Ports test/e2e/basepath/basepath.test.ts and error-pages.test.ts "should show 404 for
    page not under the /docs prefix" (/hello) and error-pages.test.ts "should not update URL
    for a 404" (/missing, its HTTP request)."""
    response = await client.get(path)
    assert response.status_code == 404
    assert "Hello World" not in response.text
    assert "This page could not be found" in response.text


async def test_other_page(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should show the other-page page under the
    /docs prefix"."""
    response = await client.get(f"{BASE}/other-page")
    assert "Hello Other" in response.text


async def test_base_path_on_router(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should have basePath field on Router"."""
    response = await client.get(f"{BASE}/hello")
    assert shown(response, "base-path") == BASE


async def test_query_string_on_page(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should allow URL query strings without
    refresh" (what the server answers for `/docs/hello?query=true`)."""
    response = await client.get(f"{BASE}/hello?query=true")
    assert response.status_code == 200
    assert shown(response, "pathname") == "/hello"


async def test_query_string_on_index(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should allow URL query strings on index
    without refresh" (what the server answers for `/docs?query=true`)."""
    response = await client.get(f"{BASE}?query=true")
    assert response.status_code == 200
    assert shown(response, "pathname") == "/"
    assert "index page" in response.text


# --- test/e2e/basepath/error-pages.test.ts -----------------------------------------------------


async def test_not_found_starting_with_base_path(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/error-pages.test.ts "should handle 404 urls that start with
    basePath" (its HTTP request: `/docshello` is outside the base path)."""
    response = await client.get(f"{BASE}hello")
    assert response.status_code == 404
    assert "This page could not be found" in response.text


async def test_manually_added_base_path_is_not_found(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/error-pages.test.ts "manually added basePath in application
    logic" > "should 404 when manually adding basePath with router.push" (the page the
    router then fetches: the base path twice)."""
    response = await client.get(f"{BASE}{BASE}/other-page")
    assert response.status_code == 404
    assert "This page could not be found" in response.text


# --- test/e2e/basepath/redirect-and-rewrite.test.ts --------------------------------------------


async def test_rewrite_with_base_path(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/redirect-and-rewrite.test.ts "should rewrite with basePath by
    default"."""
    response = await client.get(f"{BASE}/rewrite-1")
    assert response.status_code == 200
    assert "getServerSideProps" in response.text
    assert next_data(response.text)["props"]["pageProps"]["url"] == "/rewrite-1"


async def test_no_rewrite_without_base_path(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/redirect-and-rewrite.test.ts "should not rewrite without
    basePath without disabling"."""
    assert (await client.get("/rewrite-1")).status_code == 404


async def test_redirect_with_base_path(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/redirect-and-rewrite.test.ts "should redirect with basePath
    by default"."""
    response = await client.get(f"{BASE}/redirect-1")
    assert response.status_code == 307
    assert httpx.URL(response.headers["location"]).path == f"{BASE}/somewhere-else"
    assert f"{BASE}/somewhere-else" in response.text


async def test_no_redirect_without_base_path(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/redirect-and-rewrite.test.ts "should not redirect without
    basePath without disabling"."""
    assert (await client.get("/redirect-1")).status_code == 404


async def test_base_path_false_redirect_not_under_base_path(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/redirect-and-rewrite.test.ts "should not redirect with
    basePath when set to false" (Next's test fetches `/docs/rewrite-no-basePath`; the
    redirect rule's own path is asked here: under the base path it is the [slug] page)."""
    response = await client.get(f"{BASE}/redirect-no-basepath")
    assert response.status_code == 200
    assert "slug: redirect-no-basepath" in response.text


async def test_base_path_false_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/redirect-and-rewrite.test.ts "should redirect without
    basePath when set to false"."""
    response = await client.get("/redirect-no-basepath")
    assert response.status_code == 307
    assert httpx.URL(response.headers["location"]).path == "/another-destination"
    assert "/another-destination" in response.text


# --- test/e2e/basepath/trailing-slash.test.ts (basePath + trailingSlash) ----------------------


@pytest.mark.parametrize(("path", "pathname"), [("/hello/", "/hello"), ("/", "/")])
async def test_trailing_slash_query_strings(
    client_for: ClientFactory, path: str, pathname: str
) -> None:
    """Ports test/e2e/basepath/trailing-slash.test.ts "should allow URL query strings
    without refresh" (/hello/) and "should allow URL query strings on index without refresh"
    (/) (what the server answers)."""
    client = await client_for("next_basepath_trailing")
    response = await client.get(f"{BASE}{path}?query=true")
    assert response.status_code == 200
    assert shown(response, "pathname") == pathname


async def test_trailing_slash_base_path_root_redirect(client_for: ClientFactory) -> None:
    """Follows packages/next/src/lib/load-custom-routes.ts (trailingSlash with a basePath:
    the internal redirect `basePath` -> `basePath + '/'`, permanent), which the browser tests
    of test/e2e/basepath/trailing-slash.test.ts load `/docs/` through."""
    client = await client_for("next_basepath_trailing")
    response = await client.get(f"{BASE}?query=true")
    assert response.status_code == 308
    assert response.headers["location"] == f"{BASE}/?query=true"


# --- through `pagemill start` ------------------------------------------------------------------


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """tests/apps/next_basepath built and served by `pagemill start`."""
    app = built(APPS / "next_basepath", tmp_path_factory.mktemp("bp"))
    with served("start", str(app), ready_path=f"{BASE}/hello") as server:
        yield server


def test_served_pages_under_base_path(started: Server) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should show the hello page under the /docs
    prefix" and "should show 404 for page not under the /docs prefix" under `pagemill
    start`."""
    assert "Hello World" in httpx.get(started.base + f"{BASE}/hello").text
    assert httpx.get(started.base + "/hello").status_code == 404


def test_served_redirect_with_base_path(started: Server) -> None:
    """Ports test/e2e/basepath/redirect-and-rewrite.test.ts "should redirect with basePath
    by default" under `pagemill start`."""
    response = httpx.get(started.base + f"{BASE}/redirect-1")
    assert response.status_code == 307
    assert httpx.URL(response.headers["location"]).path == f"{BASE}/somewhere-else"


def test_served_public_file(started: Server) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should serve public file with basePath
    correctly" under `pagemill start`."""
    response = httpx.get(started.base + f"{BASE}/data.txt")
    assert (response.status_code, response.text) == (200, "hello world")


async def test_root_trailing_slash_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should redirect trailing slash on root
    correctly": `/docs/` answers 308 to `/docs`. Next 15.5's
    packages/next/src/lib/load-custom-routes.ts adds, with trailingSlash false and a
    basePath, the internal redirect `{source: basePath + '/', destination: basePath,
    permanent: true, basePath: false}`; `next start` 15.5.29 answers so."""
    response = await client.get(f"{BASE}/")
    assert response.status_code == 308
    assert httpx.URL(response.headers["location"]).path == BASE
    assert BASE in response.text
