"""`pagemill start` over a real socket: a built app answers HTML, data and errors."""

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import built, pagemill_server

APPS = Path(__file__).parent / "apps"
PAGEMILL = [sys.executable, "-m", "pagemill"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    app = built(APPS / "gssp", tmp_path)
    with pagemill_server("start", str(app), "--workers", "2", ready_path="/robots.txt") as base:
        yield base


def next_data(html: str) -> dict:
    match = re.search(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', html)
    assert match is not None
    return json.loads(match.group(1))


def test_a_built_app_serves_pages_data_and_errors(server: str) -> None:
    with httpx.Client(base_url=server) as client:
        page = client.get("/blog/post-1?hello=world")
        assert page.status_code == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert "Post: post-1" in page.text
        build_id = next_data(page.text)["buildId"]

        data = client.get(
            f"/_next/data/{build_id}/blog/post-1.json?post=post-1&hello=world",
            headers={"x-nextjs-data": "1"},
        )
        assert data.status_code == 200
        props = data.json()["pageProps"]
        assert props["resolved_url"] == "/blog/post-1?hello=world"
        assert props["url"] == f"/_next/data/{build_id}/blog/post-1.json?hello=world"

        assert client.get("/not-found?hiding=1").status_code == 404
        failed = client.get("/blog/post-100")
        assert failed.status_code == 500
        assert "secret" not in failed.text

        gzipped = client.get("/", headers={"accept-encoding": "gzip"})
        assert gzipped.headers.get("content-encoding") is None  # under 1 KB
        redirect = client.get("/gssp-blog/redirect-permanent")
        assert (redirect.status_code, redirect.headers["location"]) == (308, "/404")
