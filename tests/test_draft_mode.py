"""Draft and preview mode end to end (Next's getserversideprops-preview cases), and API
routes served by the full pipeline."""

from __future__ import annotations

import html

import httpx
import pytest
from conftest import PRIVATE_CACHE, ClientFactory, next_data

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("draft")


def cookie_header(response: httpx.Response) -> str:
    """The cookies a browser would send back after `response`."""
    pairs = [value.split(";", 1)[0] for value in response.headers.get_list("set-cookie")]
    return "; ".join(pairs)


async def test_not_in_preview_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert "false and null" in response.text
    data = next_data(response.text)
    assert "isPreview" not in data
    assert response.headers["cache-control"] == "public, max-age=3600"


async def test_enabling_preview_sets_both_cookies(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/preview?lets=goooo")
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    assert [c.split("=", 1)[0] for c in cookies] == ["__prerender_bypass", "__next_preview_data"]
    for cookie in cookies:
        assert "Path=/" in cookie and "HttpOnly" in cookie
        assert "SameSite=None" in cookie and "Secure" in cookie
        assert "Max-Age" not in cookie


async def test_preview_flow_through_page_and_data_route(client: httpx.AsyncClient) -> None:
    cookies = cookie_header(await client.get("/api/preview?lets=goooo"))
    client.cookies.clear()
    page = await client.get("/", headers={"cookie": cookies})
    assert page.headers["cache-control"] == PRIVATE_CACHE
    assert 'true and {"lets": "goooo"}' in html.unescape(page.text)
    data = next_data(page.text)
    assert (data["isFallback"], data["isPreview"]) == (False, True)
    assert data["props"]["__N_PREVIEW"] is True
    assert list(data)[-2:] == ["isPreview", "scriptLoader"]

    json_response = await client.get(
        f"/_next/data/{data['buildId']}/index.json", headers={"cookie": cookies}
    )
    assert json_response.headers["cache-control"] == PRIVATE_CACHE
    body = json_response.json()
    assert body["pageProps"]["preview_data"] == {"lets": "goooo"}
    assert (body["__N_PREVIEW"], body["__N_SSP"]) == (True, True)

    reset = await client.get("/api/reset", headers={"cookie": cookies})
    expired = reset.headers.get_list("set-cookie")
    assert len(expired) == 2
    assert all("Expires=Thu, 01 Jan 1970 00:00:00 GMT" in c for c in expired)


async def test_draft_mode_alone(client: httpx.AsyncClient) -> None:
    enabled = await client.get("/api/draft")
    [cookie] = enabled.headers.get_list("set-cookie")
    assert cookie.startswith("__prerender_bypass=")
    client.cookies.clear()
    page = await client.get("/", headers={"cookie": cookie_header(enabled)})
    assert "true and {}" in page.text
    disabled = await client.get("/api/draft?off=1")
    assert "Max-Age=0" in disabled.headers["set-cookie"]


@pytest.mark.parametrize(
    "cookies",
    [
        "__next_preview_data=abc",
        "__prerender_bypass=from-another-build",
        "__prerender_bypass=from-another-build; __next_preview_data=abc",
    ],
)
async def test_invalid_cookies_are_cleared_never_an_error(
    client: httpx.AsyncClient, cookies: str
) -> None:
    response = await client.get("/", headers={"cookie": cookies})
    assert response.status_code == 200
    assert "false and null" in response.text
    cleared = response.headers.get_list("set-cookie")
    assert sorted(c.split("=", 1)[0] for c in cleared) == [
        "__next_preview_data",
        "__prerender_bypass",
    ]


async def test_tampered_data_cookie_is_refused(client: httpx.AsyncClient) -> None:
    cookies = cookie_header(await client.get("/api/preview?a=1"))
    client.cookies.clear()
    bypass, data = cookies.split("; ")
    name, value = data.split("=", 1)
    flipped = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    response = await client.get("/", headers={"cookie": f"{bypass}; {name}={flipped}"})
    assert "false and null" in response.text
    assert len(response.headers.get_list("set-cookie")) == 2


async def test_preview_data_over_2kb_is_an_error(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/preview?too_big=1")
    assert response.status_code == 500
    assert response.content == b"Internal Server Error"


async def test_api_route_with_params_methods_and_base_path_free_url(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/api/hello/ann?x=1", json={"a": 1})
    assert response.json() == {
        "hello": "ann",
        "method": "POST",
        "url": "/api/hello/ann?x=1",
        "body": {"a": 1},
    }
    refused = await client.delete("/api/hello/ann")
    assert (refused.status_code, refused.headers["allow"]) == (405, "GET, POST")


async def test_api_routes_have_no_data_route(client: httpx.AsyncClient) -> None:
    build = next_data((await client.get("/")).text)["buildId"]
    assert (await client.get(f"/_next/data/{build}/api/draft.json")).status_code == 404
