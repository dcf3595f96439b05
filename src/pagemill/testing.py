"""Helpers for testing an app: an HTTP client over its ASGI app, and gSSP with a built context.

    from pagemill.testing import client, call_get_server_side_props

    async def test_home():
        async with client("myapp") as http:
            assert (await http.get("/")).status_code == 200

    async def test_post_props():
        result = await call_get_server_side_props("myapp", "/blog/hello?x=1")
        assert result["props"]["title"] == "Hello"

Needs httpx for `client` (`pip install httpx`).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from starlette.requests import Request as StarletteRequest

from .app import Pagemill, load_pagemill, wrap
from .context import Context
from .pagerequest import PageRequest
from .types import Message, Scope
from .urls import strip_base_path

if TYPE_CHECKING:
    import httpx


def client(app: str | Path | Pagemill, base_url: str = "http://testserver") -> httpx.AsyncClient:
    """An `httpx.AsyncClient` that talks to the app in-process (no server, no network)."""
    import httpx

    served = wrap(app if isinstance(app, Pagemill) else load_pagemill(app))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=served), base_url=base_url)


def build_context(
    app: str | Path | Pagemill,
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> Context:
    """The context pagemill would give the page `url` routes to (a page or data URL)."""
    return _page_request(app, url, method, headers, body).context()


async def call_get_server_side_props(
    app: str | Path | Pagemill,
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> Any:
    """Run the `get_server_side_props` of the page `url` routes to and return what it returned."""
    pr = _page_request(app, url, method, headers, body)
    gssp = pr.page.get_server_side_props
    if gssp is None:
        raise ValueError(f"{pr.page.source} has no `get_server_side_props`")
    result = gssp(pr.context())
    return await result if inspect.isawaitable(result) else result


def _page_request(
    app: str | Path | Pagemill,
    url: str,
    method: str,
    headers: Mapping[str, str] | None,
    body: bytes,
) -> PageRequest:
    pagemill = app if isinstance(app, Pagemill) else load_pagemill(app)
    parts = urlsplit(url)
    scope: Scope = {
        "type": "http",
        "method": method,
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "scheme": "http",
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    request = StarletteRequest(scope, receive)
    app_path = strip_base_path(parts.path, pagemill.config.base_path)
    pr = None
    if app_path is not None:
        if app_path.startswith("/_next/data/"):
            pr = pagemill.match_data(request, app_path, parts.query)
        else:
            # `/fr/books/dune` is the French page, as the server would route it.
            locale = None
            if pagemill.locales is not None:
                locale = pagemill.locales.of_request(app_path, request.headers.get("host", ""))
            pr = pagemill.match_page(request, app_path, parts.query, locale)
    if pr is None:
        raise LookupError(f"no page answers {url}")
    return pr
