"""Redirects over HTTP: gSSP redirects, slash rules and the base path."""

from __future__ import annotations

import httpx
import pytest
from conftest import PRIVATE_CACHE, ClientFactory, build_id, next_data, raw_get

pytestmark = pytest.mark.anyio


@pytest.fixture
async def docs(client_for: ClientFactory) -> httpx.AsyncClient:
    """A client over tests/apps/base_path (`base_path = "/docs"`)."""
    return await client_for("base_path")


@pytest.fixture
async def trailing(client_for: ClientFactory) -> httpx.AsyncClient:
    """A client over tests/apps/trailing (`trailing_slash = true`)."""
    return await client_for("trailing")


def shown_props(response: httpx.Response) -> dict[str, str]:
    """The props the base_path/trailing fixture pages print as JSON."""
    props: dict[str, str] = next_data(response.text)["props"]["pageProps"]
    return props


# --- gSSP redirects (Next cases 55-59) -----------------------------------------------------


async def test_temporary_redirect(client: httpx.AsyncClient) -> None:  # case 55
    response = await client.get("/gssp-blog/redirect-1")
    assert response.status_code == 307
    assert response.headers["location"] == "/404"
    assert response.text == "/404"
    assert "refresh" not in response.headers


async def test_permanent_redirect_has_refresh(client: httpx.AsyncClient) -> None:  # case 56
    response = await client.get("/gssp-blog/redirect-permanent")
    assert response.status_code == 308
    assert response.headers["location"] == "/404"
    assert response.headers["refresh"] == "0;url=/404"


@pytest.mark.parametrize("status", [301, 302, 303, 307])  # cases 57, 58
async def test_status_code_redirect_has_no_refresh(client: httpx.AsyncClient, status: int) -> None:
    response = await client.get(f"/gssp-blog/redirect-statusCode-{status}")
    assert response.status_code == status
    assert response.headers["location"] == "/404"
    assert "refresh" not in response.headers


async def test_status_code_308_has_refresh(client: httpx.AsyncClient) -> None:
    response = await client.get("/gssp-blog/redirect-statusCode-308")
    assert response.status_code == 308
    assert response.headers["refresh"] == "0;url=/404"


async def test_external_redirect(client: httpx.AsyncClient) -> None:  # case 59
    response = await client.get("/gssp-blog/redirect-dest-external")
    assert response.status_code == 307
    assert response.headers["location"] == "https://example.com/"


async def test_internal_destination(client: httpx.AsyncClient) -> None:
    response = await client.get("/gssp-blog/redirect-dest-_gssp-blog_first")
    assert response.headers["location"] == "/gssp-blog/first"


async def test_redirect_is_private(client: httpx.AsyncClient) -> None:
    response = await client.get("/gssp-blog/redirect-1")
    assert response.headers["cache-control"] == PRIVATE_CACHE


async def test_redirect_has_no_content_type(client: httpx.AsyncClient) -> None:
    response = await client.get("/gssp-blog/redirect-1")
    assert "content-type" not in response.headers


@pytest.mark.parametrize("path", ["/cached-redirect", "/_next/data/{build}/cached-redirect.json"])
async def test_redirect_keeps_cache_control_set_by_gssp(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path.format(build=await build_id(client)))
    assert response.headers.get_list("cache-control") == ["public, s-maxage=60"]


async def test_redirect_does_not_render_the_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/gssp-blog/redirect-1")
    assert "__NEXT_DATA__" not in response.text
    assert "dropped" not in response.text


@pytest.mark.parametrize("post", ["redirect-dest-__evil.com", "redirect-dest-_%5Cevil.com"])
async def test_protocol_relative_destination_is_collapsed(
    client: httpx.AsyncClient, post: str
) -> None:
    response = await client.get(f"/gssp-blog/{post}")
    assert response.status_code == 307
    assert response.headers["location"] == "/evil.com"


async def test_control_characters_in_destination_are_a_500(client: httpx.AsyncClient) -> None:
    response = await client.get("/crlf-redirect")
    assert response.status_code == 500
    assert "location" not in response.headers
    assert "injected" not in response.headers.get("set-cookie", "")
    assert "custom pages/500" in response.text


async def test_not_found_wins_over_redirect(client: httpx.AsyncClient) -> None:
    response = await client.get("/not-found/first?hiding=true")
    assert response.status_code == 404
    assert "location" not in response.headers
    assert "This page could not be found." in response.text  # case 8


async def test_not_found_wins_over_redirect_on_data(client: httpx.AsyncClient) -> None:
    build = await build_id(client)
    response = await client.get(f"/_next/data/{build}/not-found/first.json?hiding=true")
    assert response.status_code == 404
    assert response.content == b'{"notFound":true}'


async def test_not_found_keeps_headers_set_by_gssp(client: httpx.AsyncClient) -> None:
    response = await client.get("/not-found/first?hiding=true")
    assert response.headers["x-kept"] == "yes"
    assert response.headers["cache-control"] == PRIVATE_CACHE


# --- gSSP redirects under a base path (Next cases 66-71) -----------------------------------


async def test_base_path_redirect(docs: httpx.AsyncClient) -> None:  # case 66
    response = await docs.get("/docs/gssp-blog/redirect-1")
    assert response.status_code == 307
    assert response.headers["location"] == "/docs/404"
    assert response.text == "/docs/404"


async def test_redirect_without_base_path(docs: httpx.AsyncClient) -> None:  # case 67
    response = await docs.get("/docs/gssp-blog/redirect-1-no-basepath-")
    assert response.status_code == 307
    assert response.headers["location"] == "/404"
    assert response.text == "/404"


async def test_base_path_permanent_redirect(docs: httpx.AsyncClient) -> None:  # case 68
    response = await docs.get("/docs/gssp-blog/redirect-permanent")
    assert response.status_code == 308
    assert response.text == "/docs/404"
    assert response.headers["location"] == "/docs/404"
    assert response.headers["refresh"] == "0;url=/docs/404"


@pytest.mark.parametrize("status", [301, 303])  # cases 69, 70
async def test_base_path_status_code_redirect(docs: httpx.AsyncClient, status: int) -> None:
    response = await docs.get(f"/docs/gssp-blog/redirect-statusCode-{status}")
    assert response.status_code == status
    assert response.text == "/docs/404"
    assert "refresh" not in response.headers


async def test_base_path_external_redirect(docs: httpx.AsyncClient) -> None:  # case 71
    response = await docs.get("/docs/gssp-blog/redirect-dest-external")
    assert response.status_code == 307
    assert response.headers["location"] == "https://example.com/"


async def test_base_path_collapses_protocol_relative(docs: httpx.AsyncClient) -> None:
    response = await docs.get("/docs/gssp-blog/redirect-dest-__evil.com-no-basepath-")
    assert response.headers["location"] == "/evil.com-no-basepath-"


# --- slashes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("//something", "/something"),
        ("//something?a=1&b=2", "/something?a=1&b=2"),
        ("/blog//post-1", "/blog/post-1"),
        ("/blog\\post-1", "/blog/post-1"),
        ("/blog/\\\\post-1?x=1", "/blog/post-1?x=1"),
    ],
)
async def test_repeated_slashes_and_backslashes_are_normalized(
    target: str, location: str
) -> None:
    response = await raw_get("gssp", target)
    assert response.status_code == 308
    assert response.headers["location"] == location


async def test_normalizing_redirect_has_refresh() -> None:
    response = await raw_get("gssp", "//something")
    assert response.headers["refresh"] == "0;url=/something"


@pytest.mark.parametrize(
    ("target", "location"),
    [("/something/", "/something"), ("/blog/post-1/?a=1", "/blog/post-1?a=1")],
)
async def test_trailing_slash_is_removed(
    client: httpx.AsyncClient, target: str, location: str
) -> None:
    response = await client.get(target)
    assert response.status_code == 308
    assert response.headers["location"] == location


async def test_root_is_not_redirected(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200


@pytest.mark.parametrize("target", ["/_next//static/x.js", "/_next/static/chunks/x.js/"])
async def test_no_slash_redirect_under_next(target: str) -> None:
    response = await raw_get("gssp", target)
    assert response.status_code == 404


async def test_no_slash_redirect_on_data_urls(client: httpx.AsyncClient) -> None:
    build = await build_id(client)
    response = await client.get(f"/_next/data/{build}/something.json/")
    assert response.status_code == 404


async def test_trailing_slash_is_added(trailing: httpx.AsyncClient) -> None:
    response = await trailing.get("/about?x=1")
    assert response.status_code == 308
    assert response.headers["location"] == "/about/?x=1"


async def test_trailing_slash_page_urls(trailing: httpx.AsyncClient) -> None:
    response = await trailing.get("/about/?x=1")
    assert response.status_code == 200
    assert shown_props(response) == {"resolved_url": "/about/?x=1", "url": "/about/?x=1"}


async def test_trailing_slash_root(trailing: httpx.AsyncClient) -> None:
    response = await trailing.get("/")
    assert response.status_code == 200
    assert shown_props(response)["resolved_url"] == "/"


async def test_trailing_slash_skips_files(trailing: httpx.AsyncClient) -> None:
    response = await trailing.get("/file.txt")
    assert response.status_code == 200
    assert response.text == "a file\n"


async def test_trailing_slash_skips_well_known(trailing: httpx.AsyncClient) -> None:
    response = await trailing.get("/.well-known/thing")
    assert response.status_code == 404


async def test_trailing_slash_never_on_data_urls(trailing: httpx.AsyncClient) -> None:
    build = await build_id(trailing)
    response = await trailing.get(f"/_next/data/{build}/about.json")
    assert response.status_code == 200
    assert response.json()["pageProps"]["resolved_url"] == "/about"


# --- base path ------------------------------------------------------------------


async def test_base_path_root(docs: httpx.AsyncClient) -> None:
    response = await docs.get("/docs")
    assert response.status_code == 200
    assert shown_props(response) == {"resolved_url": "/", "url": "/"}


async def test_base_path_with_trailing_slash_redirects(docs: httpx.AsyncClient) -> None:
    """`next start` 15.5 with `basePath: '/docs'` answers `/docs/?a=1` with a 308 to
    `/docs?a=1` (checked against a real server; load-custom-routes.ts adds the rule)."""
    response = await docs.get("/docs/?a=1")
    assert response.status_code == 308
    assert response.headers["location"] == "/docs?a=1"


async def test_below_the_base_path_a_trailing_slash_redirects(docs: httpx.AsyncClient) -> None:
    response = await docs.get("/docs/something/?a=1")
    assert response.status_code == 308
    assert response.headers["location"] == "/docs/something?a=1"


@pytest.mark.parametrize("path", ["/", "/something", "/docsx", "/another", "/404"])
async def test_outside_base_path_is_404(docs: httpx.AsyncClient, path: str) -> None:
    response = await docs.get(path)
    assert response.status_code == 404


async def test_base_path_is_stripped_before_the_page(docs: httpx.AsyncClient) -> None:
    response = await docs.get("/docs/something?a=1")
    assert shown_props(response) == {"resolved_url": "/something?a=1", "url": "/something?a=1"}
    assert '<p id="as-path">/something?a=1</p>' in response.text
    assert '<p id="base-path">/docs</p>' in response.text


async def test_base_path_data_route(docs: httpx.AsyncClient) -> None:
    build = await build_id(docs, "/docs")
    response = await docs.get(f"/docs/_next/data/{build}/something.json")
    assert response.status_code == 200
    assert response.json()["pageProps"] == {
        "resolved_url": "/something",
        "url": f"/_next/data/{build}/something.json",
    }


async def test_data_route_outside_base_path_is_404(docs: httpx.AsyncClient) -> None:
    build = await build_id(docs, "/docs")
    response = await docs.get(f"/_next/data/{build}/something.json")
    assert response.status_code == 404


async def test_unknown_page_under_base_path_is_the_404_page(docs: httpx.AsyncClient) -> None:
    response = await docs.get("/docs/nope")
    assert response.status_code == 404
    assert "oops not found" in response.text


async def test_base_path_static_page(docs: httpx.AsyncClient) -> None:
    response = await docs.get("/docs/another")
    assert response.status_code == 200
    assert "another Page" in response.text


async def test_base_path_public_file(docs: httpx.AsyncClient) -> None:
    assert (await docs.get("/docs/hello.txt")).text == "hello from docs\n"
    assert (await docs.get("/hello.txt")).status_code == 404


async def test_base_path_client_script(docs: httpx.AsyncClient) -> None:
    html = (await docs.get("/docs")).text
    src = html.rsplit('<script src="', 1)[1].split('"', 1)[0]
    assert src.startswith("/docs/_next/static/chunks/pagemill-")
    assert (await docs.get(src)).status_code == 200
    assert (await docs.get(src.removeprefix("/docs"))).status_code == 404


async def test_base_path_next_data(docs: httpx.AsyncClient) -> None:
    data = next_data((await docs.get("/docs/something")).text)
    assert data["page"] == "/something"
    assert data["query"] == {}
