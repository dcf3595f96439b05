"""Next.js custom-routes cases on how rewrites chain and land on files, the params and query
they pass on, how redirects spell their Location, header rules that set one name twice, and
the rules Next refuses at build (fixtures and helpers are test_custom_routes.py's). Each
docstring names the Next case, and what Next's source does where the test alone does not
say it."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from conftest import ClientFactory, next_data

from .test_custom_routes import (
    app_with_rules,
    client_over,
    load_error,
    location_of,
    query_of,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("next_custom_routes")


@pytest.fixture
async def catchall(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("next_custom_routes_catchall")


@pytest.fixture
async def i18n(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("next_custom_routes_i18n")


# ---- moved from test_custom_routes.py ----------------------------------------------------


async def test_redirect_with_url_in_query(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should redirect with URL in
    query correctly" (a destination's own query is not re-encoded: Next's stringifyQuery
    encodes only values that came from the request)."""
    response = await client.get("/to-external-with-query")
    assert response.status_code == 307
    assert response.headers["location"] == (
        "https://authserver.example.com/set-password?returnUrl=https://www.example.com/login"
    )


async def test_rewrite_to_auto_export_non_dynamic_page(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should provide params
    correctly for rewrite to auto-export non-dynamic page"."""
    response = await client.get("/rewriting-to-another-auto-export/first")
    assert '<p id="auto-export-another">auto-export another</p>' in response.text
    assert query_of(response) == {"rewrite": "1", "path": ["first"]}


async def test_encoding_of_params_with_catchall_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should have correct encoding
    for params with catchall rewrite" (rewrite params stay as the URL spelled them)."""
    response = await client.get(
        "/catchall-rewrite/hello%20world%3Fw%3D24%26focalpoint%3Dcenter?a=b"
    )
    assert next_data(response.text)["query"] == {
        "a": "b",
        "path": ["hello%20world%3Fw%3D24%26focalpoint%3Dcenter"],
    }


async def test_overwrite_param_values(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should overwrite param values
    correctly" (/test-overwrite/first/second -> /params/this-should-be-the-value ->
    /with-params: the second rule's `something` replaces the first's)."""
    response = await client.get("/test-overwrite/first/second")
    assert "this-should-be-the-value" in response.text
    assert "first" not in response.text
    assert "second" in response.text


async def test_api_rewrite_with_unnamed_param(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle api rewrite with
    un-named param successfully"."""
    response = await client.get("/api-hello-regex/hello/world")
    assert response.json() == {"query": {"name": "hello/world", "first": "hello/world"}}


async def test_api_rewrite_with_param(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle api rewrite with
    param successfully"."""
    response = await client.get("/api-hello-param/hello")
    assert response.json() == {"query": {"name": "hello", "hello": "hello"}}


async def test_named_pattern_in_header_keys_and_values(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should support named pattern
    for header key/values"."""
    headers = (await client.get("/named-pattern/hello")).headers
    assert (headers["x-something"], headers["path-hello"]) == ("value=hello", "end")


# ---- rewrites that chain or land on files ----------------------


async def test_chained_rewrites(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should handle chained rewrites
    successfully" (/ -> /another -> /multi-rewrites: Next's resolve-routes.ts carries on with
    the following rewrites, on the rewritten path, while no page or file matches)."""
    response = await client.get("/")
    assert response.status_code == 200
    assert re.search("multi-rewrites", response.text)


async def test_static_file_through_a_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should server static files
    through a rewrite" (/hello-world -> public/static/hello.txt)."""
    response = await client.get("/hello-world")
    assert response.status_code == 200
    assert response.text == "hello world!"


async def test_next_file_after_a_rewrite(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should match /_next file after
    rewrite" (/hidden/_next/:path* -> /_next/:path*; Next fetches its _buildManifest.js,
    pagemill has the client runtime at /_next/static/)."""
    html = (await client.get("/hello")).text
    found = re.search(r'<script src="(/_next/static/[^"]+)"', html)
    assert found is not None
    direct = await client.get(found.group(1))
    assert direct.status_code == 200
    rewritten = await client.get("/hidden" + found.group(1))
    assert rewritten.status_code == 200
    assert rewritten.content == direct.content


async def test_redirect_to_external_resource(client: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should allow redirecting to
    external resource" (Next formats the parsed destination: `https://google.com` gets its
    `/` path)."""
    response = await client.get("/to-external")
    assert response.status_code == 307
    assert response.headers["location"] == "https://google.com/"


async def test_named_like_unnamed_parameters(tmp_path: Path) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should support named like
    unnamed parameters correctly". `:0` in a source is a param named "0", not an unnamed
    group: Next's load-custom-routes.ts only refuses destination params whose source token
    has a numeric name (`typeof token.name === 'number'`, i.e. a `(...)` group). pagemill
    refuses the rule at load ("uses :0, an unnamed group"), so it is not in the fixture."""
    rule = '[[redirects]]\nsource = "/named-like-unnamed/:0"\ndestination = "/:0"\n'
    app = app_with_rules(tmp_path, set(), extra=rule + "permanent = false\n")
    async with client_over(app) as client:
        response = await client.get("/named-like-unnamed/first")
        assert (response.status_code, location_of(response)[1]) == (307, "/first")


async def test_only_rewrites(tmp_path: Path) -> None:
    """Ports test/integration/custom-routes/test/index.test.ts "should load custom routes when
    only one type is used" / "should work with just rewrites" (fails on /hello-world, the
    rewrite to a public file)."""
    async with client_over(app_with_rules(tmp_path, {"rewrites"})) as client:
        headers = (await client.get("/add-header")).headers
        assert "x-custom-header" not in headers
        assert "x-another-header" not in headers
        assert (await client.get("/docs/github")).status_code == 404
        response = await client.get("/hello-world")
        assert response.status_code == 200
        assert "hello world!" in response.text


async def test_catchall_rewrite_to_next_static(catchall: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes-catchall/test/index.test.ts "should rewrite to
    /_next/static correctly" (Next fetches /docs/_next/static/BUILD/_buildManifest.js;
    pagemill's /_next/static/ holds the client runtime)."""
    html = (await catchall.get("/hello")).text
    found = re.search(r'<script src="(/_next/static/[^"]+)"', html)
    assert found is not None
    rewritten = await catchall.get("/docs" + found.group(1))
    assert rewritten.status_code == 200
    assert rewritten.content == (await catchall.get(found.group(1))).content


async def test_catchall_rewrite_to_public_static(catchall: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes-catchall/test/index.test.ts "should rewrite to
    public/static correctly"."""
    response = await catchall.get("/docs/static/data.json")
    assert response.status_code == 200
    assert "some data..." in response.text


async def test_catchall_rewrite_to_public_file(catchall: httpx.AsyncClient) -> None:
    """Ports test/integration/custom-routes-catchall/test/index.test.ts "should rewrite to
    public file correctly"."""
    response = await catchall.get("/docs/another.txt")
    assert response.status_code == 200
    assert "some text" in response.text


@pytest.mark.parametrize("path", ["/", "/fr", "/nl-NL"])
async def test_i18n_index_rewrites(i18n: httpx.AsyncClient, path: str) -> None:
    """Ports test/integration/custom-routes-i18n/test/index.test.ts "should rewrite index
    routes correctly" (the no-op `/:path*` rewrite matches first and finds no page; Next goes
    on to `/en` -> `/en/links` with `locale: false`, the rule path of `/` being `/en`)."""
    response = await i18n.get(path)
    assert response.status_code == 200
    assert '<p id="links">Links</p>' in response.text


# ---- rules Next refuses at build ----------------------------------------------


def test_empty_headers_array(tmp_path: Path) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should error when
    empty headers array is present on header item" (Next: "`headers` field cannot be empty
    for route {"source":"/:path*"...")."""
    message = load_error(tmp_path, '[[headers]]\nsource = "/:path*"\nheaders = []\n')
    assert "`headers[0].headers`" in message


def test_source_and_destination_length(tmp_path: Path) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should error when
    source and destination length is exceeded" (Next: "`source` exceeds max built length of
    4096", "`destination` exceeds max built length of 4096": the regex built from each)."""
    long = "a" * 4095
    toml = (
        f'[[redirects]]\nsource = "/{long}"\ndestination = "/another"\npermanent = false\n'
        f'[[redirects]]\nsource = "/"\ndestination = "/{long}"\npermanent = false\n'
    )
    message = load_error(tmp_path, toml)
    assert "`redirects[0]`" in message and "`redirects[1]`" in message
    assert "4096" in message


def test_rewrite_destination_without_slash(tmp_path: Path) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should error during
    next build for invalid rewrites": its destination "another" (Next: "`destination` does
    not start with `/`, `http://`, or `https://`")."""
    message = load_error(tmp_path, '[[rewrites]]\nsource = "/hello"\ndestination = "another"\n')
    assert "`rewrites[0].destination`" in message
    assert "/" in message


def test_rewrite_outside_the_base_path(tmp_path: Path) -> None:
    """Ports test/integration/invalid-custom-routes/test/index.test.ts "should error during
    next build for invalid rewrites": `basePath: false` with a relative destination (Next:
    "The route /hello rewrites urls outside of the basePath. Please use a destination that
    starts with `http://` or `https://`"; pagemill never proxies, so such a rule can only be
    an error)."""
    toml = '[[rewrites]]\nsource = "/hello"\ndestination = "/world"\nbase_path = false\n'
    message = load_error(tmp_path, toml)
    assert "`rewrites[0]`" in message
    assert "base_path" in message
