"""Redirects, rewrites and headers from pagemill.toml through the pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import ClientFactory, next_data

from pagemill.errors import AppLoadError
from pagemill.loader import load_app

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("rules")


def props_of(response: httpx.Response) -> dict[str, Any]:
    props: dict[str, Any] = next_data(response.text)["props"]["pageProps"]
    return props


async def test_permanent_redirect_with_params_and_query(client: httpx.AsyncClient) -> None:
    response = await client.get("/old-blog/hello?x=1")
    assert response.status_code == 308
    assert response.headers["location"] == "/blog/hello?x=1"
    assert response.headers["refresh"] == "0;url=/blog/hello?x=1"


async def test_status_code_redirect_with_a_catch_all(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs-old/a/b")
    assert (response.status_code, response.headers["location"]) == (301, "/blog/a/b")
    assert "refresh" not in response.headers


async def test_external_redirect(client: httpx.AsyncClient) -> None:
    response = await client.get("/external")
    assert (response.status_code, response.headers["location"]) == (
        307,
        "https://example.com/landing",
    )


async def test_redirect_only_when_has_matches(client: httpx.AsyncClient) -> None:
    assert (await client.get("/guarded")).status_code == 404
    response = await client.get("/guarded", headers={"x-let-me-in": "1"})
    assert (response.status_code, response.headers["location"]) == (307, "/another")


async def test_before_files_rewrite_wins_over_a_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/about")
    assert "another page" in response.text
    assert props_of(response)["url"] == "/about"


@pytest.mark.parametrize(
    ("path", "query", "resolved"),
    [
        ("/blog-post-1", {"post": "post-1"}, "/blog/post-1"),
        ("/blog-post-2", {"post": "post-2", "hello": "world"}, "/blog/post-2"),
        ("/blog-post-3", {"post": "post-3", "param": "post-3"}, "/blog/post-3"),
    ],
)
async def test_after_files_rewrites_as_next(
    client: httpx.AsyncClient, path: str, query: dict[str, str], resolved: str
) -> None:
    props = props_of(await client.get(path))
    assert props["query"] == query
    assert props["resolved_url"] == resolved
    assert props["url"] == path
    assert "blog/[post]" in next_data((await client.get(path)).text)["page"]


async def test_after_files_rewrite_before_dynamic_routes(client: httpx.AsyncClient) -> None:
    assert "another page" in (await client.get("/blog/anything")).text


async def test_fallback_rewrite_only_when_nothing_matches(client: httpx.AsyncClient) -> None:
    assert "another page" in (await client.get("/legacy/x/y")).text
    assert (await client.get("/nothing-here")).status_code == 404


async def test_headers_rules_add_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/blog/hello")
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-slug"] == "hello"
    assert (await client.get("/nothing-here")).headers["x-frame-options"] == "DENY"


async def test_rules_never_apply_under_next(client: httpx.AsyncClient) -> None:
    build = next_data((await client.get("/")).text)["buildId"]
    response = await client.get(f"/_next/data/{build}/blog/post-1.json")
    assert response.status_code == 200
    assert "x-frame-options" not in response.headers


def test_bad_rules_are_load_errors_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "index.py").write_text("def page(props):\n    return 'x'\n")
    (tmp_path / "pagemill.toml").write_text(
        '[[redirects]]\nsource = "/a/(b"\ndestination = "/c"\npermanent = true\n'
        '[[rewrites]]\nsource = "/x"\ndestination = "/y/:missing"\n'
        '[[rewrites]]\nsource = "/p"\ndestination = "https://elsewhere.example/"\n'
    )
    with pytest.raises(AppLoadError) as info:
        load_app(tmp_path)
    problems = info.value.problems
    assert len(problems) == 3
    assert all(p.startswith(str(tmp_path / "pagemill.toml")) for p in problems)
    assert "`redirects[0]`" in problems[0]
    assert "`rewrites[0]`" in problems[1] and ":missing" in problems[1]
    assert "does not proxy" in problems[2]
