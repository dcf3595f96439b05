"""The data route `/_next/data/<build_id>/<path>.json` over HTTP (Next cases 16-29)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import PRIVATE_CACHE, ClientFactory, build_id

pytestmark = pytest.mark.anyio

DATA_HEADERS = {"x-nextjs-data": "1"}
RENDER_HEADERS = {"x-nextjs-data": "1", "x-pagemill-render": "1"}


async def get_data(client: httpx.AsyncClient, path: str, **kwargs: Any) -> httpx.Response:
    """GET the data URL of `path` (e.g. `blog/post-1.json?x=1`) for the current build."""
    return await client.get(f"/_next/data/{await build_id(client)}/{path}", **kwargs)


# --- props ---------------------------------------------------------------------------------


async def test_props_answer_is_the_whole_props_object(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "something.json", headers=DATA_HEADERS)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["pageProps", "app_props", "__N_SSP"]
    assert body["__N_SSP"] is True
    assert body["pageProps"]["world"] == "world"  # case 27


async def test_props_answer_is_json(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "something.json")
    assert response.headers["content-type"].startswith("application/json")


async def test_props_answer_has_an_etag_and_answers_304(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "blog/post-1.json")
    tag = response.headers["etag"]
    again = await get_data(client, "blog/post-1.json", headers={"if-none-match": tag})
    assert again.status_code == 304
    assert again.content == b""


async def test_props_answer_keeps_the_status_gssp_set(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "teapot.json")
    assert response.status_code == 418
    assert response.json()["pageProps"]["drink"] == "tea"


async def test_data_answer_has_no_powered_by_header(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "something.json")
    assert "x-powered-by" not in response.headers


async def test_index_page_data_path(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "index.json")
    assert response.status_code == 200
    body = response.json()
    assert body["pageProps"]["url"] == f"/_next/data/{await build_id(client)}/index.json"
    assert body["app_props"]["as_path"] == "/"
    assert body["app_props"]["pathname"] == "/"


# --- the render marker -----------------------------------------------------------------------


async def test_render_marker_adds_markup_and_head(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "index.json", headers=RENDER_HEADERS)
    rendered = response.json()["__pagemill"]
    assert set(rendered) == {"head", "body", "page", "query"}
    assert (rendered["page"], rendered["query"]) == ("/", {})
    assert rendered["head"] == "<title>Home</title>"
    assert rendered["body"].startswith('<div id="layout">')
    assert "<h1>hello world</h1>" in rendered["body"]


async def test_render_marker_keeps_the_next_shape(client: httpx.AsyncClient) -> None:
    plain = (await get_data(client, "blog/post-1.json", headers=DATA_HEADERS)).json()
    marked = (await get_data(client, "blog/post-1.json", headers=RENDER_HEADERS)).json()
    assert {key: value for key, value in marked.items() if key != "__pagemill"} == plain


async def test_without_render_marker_no_markup(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "index.json", headers=DATA_HEADERS)
    assert "__pagemill" not in response.json()


@pytest.mark.parametrize("headers", [DATA_HEADERS, RENDER_HEADERS])
async def test_data_answer_varies_on_the_render_marker(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await get_data(client, "index.json", headers=headers)
    vary = [part.strip().lower() for part in response.headers["vary"].split(",")]
    assert "x-pagemill-render" in vary


# --- not found -----------------------------------------------------------------------------


async def test_not_found_is_exactly_not_found_json(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "not-found.json?hiding=true")
    assert response.status_code == 404
    assert response.content == b'{"notFound":true}'


async def test_not_found_has_no_content_type(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "not-found.json?hiding=true")
    assert "content-type" not in response.headers


async def test_not_found_is_private(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "not-found/first.json?hiding=true")
    assert response.status_code == 404
    assert response.headers["cache-control"] == PRIVATE_CACHE


async def test_not_found_false_renders_props(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "not-found/first.json")
    assert response.status_code == 200
    assert response.json()["pageProps"]["slug"] == "first"


# --- redirect ------------------------------------------------------------------------------


async def test_redirect_is_a_200_instruction(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "gssp-blog/redirect-1.json")
    assert response.status_code == 200
    body = response.json()
    assert body["__N_SSP"] is True
    assert body["pageProps"]["__N_REDIRECT"] == "/404"
    assert body["pageProps"]["__N_REDIRECT_STATUS"] == 307
    assert "__N_REDIRECT_BASE_PATH" not in body["pageProps"]


async def test_redirect_instruction_has_no_location(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "gssp-blog/redirect-permanent.json")
    assert "location" not in response.headers
    assert "refresh" not in response.headers
    assert response.json()["pageProps"]["__N_REDIRECT_STATUS"] == 308


async def test_redirect_instruction_drops_props_returned_beside_it(
    client: httpx.AsyncClient,
) -> None:
    response = await get_data(client, "gssp-blog/redirect-1.json")
    assert "dropped" not in response.json()["pageProps"]


async def test_redirect_instruction_with_status_code(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "gssp-blog/redirect-statusCode-303.json")
    assert response.json()["pageProps"]["__N_REDIRECT_STATUS"] == 303


async def test_redirect_instruction_without_base_path(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "gssp-blog/redirect-1-no-basepath-.json")
    assert response.json()["pageProps"]["__N_REDIRECT_BASE_PATH"] is False


async def test_redirect_instruction_keeps_app_props(client: httpx.AsyncClient) -> None:
    body = (await get_data(client, "gssp-blog/redirect-1.json")).json()
    assert list(body) == ["pageProps", "app_props", "__N_SSP"]


async def test_redirect_instruction_with_base_path(client_for: ClientFactory) -> None:
    client = await client_for("base_path")
    build = await build_id(client, "/docs")
    base = f"/docs/_next/data/{build}/gssp-blog"
    kept = (await client.get(f"{base}/redirect-1.json")).json()["pageProps"]
    dropped = (await client.get(f"{base}/redirect-1-no-basepath-.json")).json()["pageProps"]
    assert kept["__N_REDIRECT"] == "/404"
    assert "__N_REDIRECT_BASE_PATH" not in kept
    assert dropped["__N_REDIRECT_BASE_PATH"] is False


# --- errors and 404s -----------------------------------------------------------------------


async def test_gssp_error_is_the_html_500_page(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "blog/post-100.json", headers=DATA_HEADERS)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "custom pages/500" in response.text
    assert "secret" not in response.text


async def test_wrong_build_id_is_the_html_404_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/_next/data/not-the-build/something.json")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "custom 404" in response.text
    assert response.headers["cache-control"] == PRIVATE_CACHE


async def test_unknown_data_path_is_the_html_404_page(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "no/such/page.json")
    assert response.status_code == 404
    assert "custom 404" in response.text
    assert response.headers["cache-control"] == PRIVATE_CACHE


@pytest.mark.parametrize("path", ["something", "something.js", ".json", "blog//post-1.json"])
async def test_malformed_data_url_is_a_404(client: httpx.AsyncClient, path: str) -> None:
    response = await get_data(client, path)
    assert response.status_code == 404
    assert "custom 404" in response.text


async def test_page_without_gssp_has_no_data_route(client: httpx.AsyncClient) -> None:
    response = await get_data(client, "normal.json")
    assert response.status_code == 404
    assert "custom 404" in response.text
    assert response.headers["cache-control"] == PRIVATE_CACHE


async def test_static_page_has_no_data_route(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    response = await get_data(client, "index.json")
    assert response.status_code == 404
    assert "This page could not be found." in response.text


# --- what gSSP sees on a data request (Next cases 16-20, 28, 29) ----------------


async def test_catch_all_params(client: httpx.AsyncClient) -> None:  # case 16
    response = await get_data(client, "catchall/first.json")
    assert response.json()["pageProps"]["params"] == {"path": ["first"]}


async def test_catch_all_several_segments(client: httpx.AsyncClient) -> None:
    props = (await get_data(client, "catchall/a/b.json")).json()["pageProps"]
    assert props["params"] == {"path": ["a", "b"]}
    assert props["resolved_url"] == "/catchall/a/b"


async def test_optional_catch_all_without_segments(client: httpx.AsyncClient) -> None:
    props = (await get_data(client, "shop.json")).json()["pageProps"]
    assert props["params"] == {}
    assert props["resolved_url"] == "/shop"


async def test_optional_catch_all_with_segments(client: httpx.AsyncClient) -> None:
    props = (await get_data(client, "shop/a/b.json")).json()["pageProps"]
    assert props["params"] == {"path": ["a", "b"]}
    assert props["resolved_url"] == "/shop/a/b"


async def test_dynamic_page_urls(client: httpx.AsyncClient) -> None:  # case 17
    build = await build_id(client)
    body = (await get_data(client, "blog/post-1.json")).json()
    assert body["pageProps"]["resolved_url"] == "/blog/post-1"
    assert body["app_props"] == {
        "url": f"/_next/data/{build}/blog/post-1.json",
        "query": {"post": "post-1"},
        "pathname": "/blog/[post]",
        "as_path": "/blog/post-1",
    }


async def test_dynamic_page_urls_with_query(client: httpx.AsyncClient) -> None:  # case 18
    build = await build_id(client)
    body = (await get_data(client, "blog/post-1.json?hello=world")).json()
    assert body["pageProps"]["resolved_url"] == "/blog/post-1?hello=world"
    assert body["app_props"] == {
        "url": f"/_next/data/{build}/blog/post-1.json?hello=world",
        "query": {"post": "post-1", "hello": "world"},
        "pathname": "/blog/[post]",
        "as_path": "/blog/post-1?hello=world",
    }


async def test_static_page_urls(client: httpx.AsyncClient) -> None:  # case 19
    build = await build_id(client)
    body = (await get_data(client, "something.json")).json()
    assert body["pageProps"]["resolved_url"] == "/something"
    assert body["app_props"] == {
        "url": f"/_next/data/{build}/something.json",
        "query": {},
        "pathname": "/something",
        "as_path": "/something",
    }


async def test_static_page_urls_with_query(client: httpx.AsyncClient) -> None:  # case 20
    props = (await get_data(client, "something.json?hello=world")).json()["pageProps"]
    assert props["resolved_url"] == "/something?hello=world"
    assert props["query"] == {"hello": "world"}


async def test_query_reaches_gssp(client: httpx.AsyncClient) -> None:  # case 28
    props = (await get_data(client, "something.json?another=thing")).json()["pageProps"]
    assert props["query"]["another"] == "thing"


async def test_param_reaches_gssp(client: httpx.AsyncClient) -> None:  # case 29
    props = (await get_data(client, "blog/post-1.json")).json()["pageProps"]
    assert props["post"] == "post-1"


async def test_spec_worked_example(client: httpx.AsyncClient) -> None:
    build = await build_id(client)
    props = (await get_data(client, "blog/hello.json?post=hello&a=1")).json()["pageProps"]
    assert props["params"] == {"post": "hello"}
    assert props["query"] == {"post": "hello", "a": "1"}
    assert props["resolved_url"] == "/blog/hello?a=1"
    assert props["url"] == f"/_next/data/{build}/blog/hello.json?a=1"


async def test_param_echo_is_dropped_from_urls(client: httpx.AsyncClient) -> None:
    build = await build_id(client)
    props = (await get_data(client, "blog/post-1.json?post=post-1")).json()["pageProps"]
    assert props["url"] == f"/_next/data/{build}/blog/post-1.json"
    assert props["resolved_url"] == "/blog/post-1"


async def test_conflicting_param_value_stays_in_urls(client: httpx.AsyncClient) -> None:
    build = await build_id(client)
    props = (await get_data(client, "blog/post-1.json?post=other")).json()["pageProps"]
    assert props["query"]["post"] == "post-1"
    assert props["url"] == f"/_next/data/{build}/blog/post-1.json?post=other"
    assert props["resolved_url"] == "/blog/post-1?post=other"


async def test_render_marker_on_not_found_carries_the_404_page(
    client: httpx.AsyncClient,
) -> None:
    build = await build_id(client)
    response = await client.get(
        f"/_next/data/{build}/not-found.json?hiding=1", headers=RENDER_HEADERS
    )
    assert response.status_code == 404
    body = response.json()
    assert body["notFound"] is True
    assert "custom 404" in body["__pagemill"]["body"]
    plain = await client.get(f"/_next/data/{build}/not-found.json?hiding=1")
    assert plain.content == b'{"notFound":true}'


async def test_render_marker_on_a_static_page_carries_its_markup(
    client_for: ClientFactory,
) -> None:
    client = await client_for("plain")
    build = await build_id(client)
    plain = await client.get(f"/_next/data/{build}/index.json")
    assert plain.status_code == 404
    marked = await client.get(f"/_next/data/{build}/index.json", headers=RENDER_HEADERS)
    assert marked.status_code == 200
    assert marked.json()["pageProps"] == {}
    assert marked.json()["__pagemill"]["body"]
