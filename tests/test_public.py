"""`public/` files and the client script over HTTP."""

from __future__ import annotations

import httpx
import pytest
from conftest import raw_get

pytestmark = pytest.mark.anyio

PUBLIC_CACHE = "public, max-age=0"
IMMUTABLE = "public, max-age=31536000, immutable"


async def test_public_file_at_the_root(client: httpx.AsyncClient) -> None:
    response = await client.get("/robots.txt")
    assert response.status_code == 200
    assert response.text == "User-agent: *\n"
    assert response.headers["content-type"].startswith("text/plain")


async def test_public_file_cache_control(client: httpx.AsyncClient) -> None:
    response = await client.get("/robots.txt")
    assert response.headers["cache-control"] == PUBLIC_CACHE


async def test_nested_public_file(client: httpx.AsyncClient) -> None:
    response = await client.get("/nested/file.txt")
    assert response.status_code == 200
    assert response.text == "nested file\n"


async def test_public_file_name_with_a_space(client: httpx.AsyncClient) -> None:
    response = await client.get("/with%20space.txt")
    assert response.status_code == 200
    assert response.text == "spaced\n"


async def test_public_file_ignores_the_query(client: httpx.AsyncClient) -> None:
    response = await client.get("/robots.txt?v=2")
    assert response.text == "User-agent: *\n"


async def test_public_file_304(client: httpx.AsyncClient) -> None:
    response = await client.get("/robots.txt")
    again = await client.get("/robots.txt", headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


async def test_public_file_head(client: httpx.AsyncClient) -> None:
    response = await client.head("/robots.txt")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(b"User-agent: *\n"))


async def test_public_file_has_no_powered_by(client: httpx.AsyncClient) -> None:
    response = await client.get("/robots.txt")
    assert "x-powered-by" not in response.headers


@pytest.mark.parametrize("path", ["/.hidden.txt", "/.private/key.txt"])
async def test_dotfiles_are_not_served(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert "dotfile content" not in response.text


@pytest.mark.parametrize(
    "target",
    [
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/nested/..%2f..%2fpyproject.toml",
        "/nested/%2e%2e/%2e%2e/pyproject.toml",
        "/../../../../pyproject.toml",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/..%2f..%2f..%2f..%2fpyproject.toml",
        "/../pages/index.py",
        "/%2e%2e/pages/index.py",
        "/nested/..%2f..%2fpages%2findex.py",
        "/nested/%2e%2e/%2e%2e/pages/index.py",
        "/nested/..%5c..%5cpages%5cindex.py",
        "/%2e%2e%2flib%2fcounter.py",
    ],
)
async def test_path_traversal_never_leaves_public(target: str) -> None:
    response = await raw_get("gssp", target)
    assert response.status_code in (400, 404)
    assert "[build-system]" not in response.text
    assert "get_server_side_props" not in response.text
    assert "def hit" not in response.text


# --- the client script ---------------------------------------------------------------------


async def client_script_url(client: httpx.AsyncClient) -> str:
    html = (await client.get("/")).text
    return html.rsplit('<script src="', 1)[1].split('"', 1)[0]


async def test_client_script_is_fingerprinted(client: httpx.AsyncClient) -> None:
    url = await client_script_url(client)
    assert url.startswith("/_next/static/chunks/pagemill-")
    assert url.endswith(".js")


async def test_client_script_is_immutable(client: httpx.AsyncClient) -> None:
    response = await client.get(await client_script_url(client))
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.headers["content-type"].startswith("text/javascript")
    assert len(response.content) > 0


async def test_unknown_static_file_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/_next/static/chunks/pagemill-000000000000.js")
    assert response.status_code == 404
