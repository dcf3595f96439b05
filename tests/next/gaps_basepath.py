"""Next.js basePath cases that pagemill answers differently today (see tests/NEXT_CASES.md,
section "## basepath"). Same form as test_basepath.py; not collected by pytest (the file
name), run them with `python -m pytest tests/next/gaps_basepath.py -p no:cacheprovider`
once the behaviour lands, then move them back."""

from __future__ import annotations

import httpx
import pytest

from .test_basepath import BASE, client

pytestmark = pytest.mark.anyio
__all__ = ["client"]  # a fixture, used by name


async def test_root_trailing_slash_redirect(client: httpx.AsyncClient) -> None:
    """Ports test/e2e/basepath/basepath.test.ts "should redirect trailing slash on root
    correctly": `/docs/` answers 308 to `/docs`. Next 15.5's
    packages/next/src/lib/load-custom-routes.ts adds, with trailingSlash false and a
    basePath, the internal redirect `{source: basePath + '/', destination: basePath,
    permanent: true, basePath: false}` before `/:path+/`; pagemill serves the index page
    (commit c7c0b48 reads only the `/:path+/` rule)."""
    response = await client.get(f"{BASE}/")
    assert response.status_code == 308
    assert httpx.URL(response.headers["location"]).path == BASE
    assert BASE in response.text
