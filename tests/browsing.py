"""What the Chromium tests share: an app built and served by `pagemill start`, a page in a
fresh browser context, and the data requests a page makes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from conftest import pagemill_server
from playwright.sync_api import Browser, Page

NEXT_DATA = re.compile(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>')


@dataclass
class Site:
    base: str  # http://127.0.0.1:PORT
    build_id: str


def serve_site(app: Path, prefix: str = "") -> Iterator[Site]:
    """Build `app`, start it with one worker (the counters live in that process), stop it."""
    subprocess.run(
        [sys.executable, "-m", "pagemill", "build", str(app)], check=True, capture_output=True
    )
    with pagemill_server("start", str(app), "--workers", "1", ready_path=prefix or "/") as base:
        home = httpx.get(base + (prefix or "/"))
        found = NEXT_DATA.search(home.text)
        assert found is not None, home.text
        yield Site(base, json.loads(found.group(1))["buildId"])


@contextmanager
def open_page(chromium: Browser, site: Site, **options: Any) -> Iterator[Page]:
    """A page in a fresh browser context (its own history, cookies and cache); an uncaught
    error in it fails the test."""
    context = chromium.new_context(base_url=site.base, **options)
    context.set_default_timeout(10_000)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], "uncaught errors in the page"


def data_requests(page: Page) -> list[str]:
    """The data URLs (path and query) the page asks for from now on, in order."""
    seen: list[str] = []

    def on_request(request: Any) -> None:
        parts = urlsplit(request.url)
        if "/_next/data/" in parts.path:
            seen.append(parts.path + (f"?{parts.query}" if parts.query else ""))

    page.on("request", on_request)
    return seen


def start(page: Page, path: str = "/") -> None:
    """Load `path` fully and set the marker an in-app navigation keeps."""
    page.goto(path)
    page.wait_for_function("window.pagemill && window.pagemill.router")
    page.evaluate("window.marker = 'kept'")
