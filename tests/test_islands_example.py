"""The example app's islands in Chromium against `pagemill start`: the live search (Preact,
vendored in islands/vendor/) follows the box as you type from its API route, the review
form's stars set the rating it posts, and without JavaScript both are plain forms that work."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import served
from playwright.sync_api import Browser, Page, expect

EXAMPLE = Path(__file__).parent.parent / "examples" / "bookshelf"
PAGEMILL = [sys.executable, "-m", "pagemill"]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("bookshelf")
    app = Path(
        shutil.copytree(EXAMPLE, folder / "bookshelf", ignore=shutil.ignore_patterns(".pagemill"))
    )
    subprocess.run([*PAGEMILL, "build", str(app)], check=True, capture_output=True)
    env = {"BOOKSHELF_DB": str(folder / "bookshelf.sqlite3")}
    with served("start", str(app), "--workers", "1", env=env) as server:
        yield server.base


@contextmanager
def opened(
    chromium: Browser, base: str, path: str, **options: Any
) -> Iterator[tuple[Page, list[str]]]:
    """The page at `path` in a fresh context, and the URLs it requests from then on."""
    context = chromium.new_context(base_url=base, **options)
    context.set_default_timeout(10_000)
    errors: list[str] = []
    requests: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path)
        yield page, requests
    finally:
        context.close()
    assert errors == []


@pytest.mark.anyio
async def test_the_live_search_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pagemill.testing import client

    monkeypatch.setenv("BOOKSHELF_DB", str(tmp_path / "bookshelf.sqlite3"))
    async with client(EXAMPLE) as http:
        found = (await http.get("/api/books?q=salt")).json()["books"]
        assert [book["title"] for book in found] == [
            "The Salt Crown",
            "Salt and Iron: The Baltic Trade 1300-1600",
        ]
        assert (await http.get("/api/books?q=")).json() == {"books": []}
        assert (await http.get("/api/books?q=" + "x" * 101)).status_code == 400


def test_the_search_follows_the_box_as_you_type(chromium: Browser, base: str) -> None:
    with opened(chromium, base, "/search") as (page, requests):
        page.wait_for_function("window.pagemill && window.pagemill.router")
        page.evaluate("window.marker = 'kept'")
        box = page.locator("#q")
        expect(page.locator(".live-search")).to_have_count(1)  # the island has mounted
        box.fill("salt")
        results = page.locator(".live-search .books li")
        expect(results).to_have_count(2)
        expect(results.first).to_contain_text("The Salt Crown by Mara Ellington, 2014")
        box.fill("salt baltic")
        expect(results).to_have_count(1)
        assert any("/api/books?q=salt%20baltic" in url for url in requests)
        assert not any("/_next/data/" in url for url in requests), "no page was fetched"
        page.click("text=Salt and Iron")
        expect(page.locator("h1")).to_have_text("Salt and Iron: The Baltic Trade 1300-1600")
        assert page.evaluate("window.marker") == "kept", "an in-app navigation"


def test_the_live_search_speaks_french(chromium: Browser, base: str) -> None:
    with opened(chromium, base, "/fr/search") as (page, _):
        page.locator("#q").fill("salt")
        first = page.locator(".live-search .books li").first
        expect(first).to_contain_text("The Salt Crown de Mara Ellington, 2014")
        expect(first.locator("a")).to_have_attribute("href", "/fr/books/the-salt-crown")
        expect(page.locator(".live-search .muted").first).to_contain_text("2 trouvés pour")


def test_the_stars_set_the_rating_the_form_posts(chromium: Browser, base: str) -> None:
    with opened(chromium, base, "/books/the-quiet-engine") as (page, _):
        stars = page.locator(".star-input button")
        expect(stars).to_have_count(5)
        expect(page.locator("select#rating")).to_be_hidden()
        stars.nth(2).click()
        expect(stars.nth(2)).to_have_attribute("aria-checked", "true")
        assert page.locator("select#rating").input_value() == "3"
        stars.nth(2).press("ArrowRight")
        assert page.locator("select#rating").input_value() == "4"
        page.fill("#reader", "Stella")
        page.fill("#body", "Four stars, by keyboard")
        page.click("text=Post review")
        review = page.locator("ul.reviews li", has_text="Four stars, by keyboard")
        expect(review.locator(".stars")).to_have_text("★★★★☆")


def test_pages_without_islands_load_no_island_javascript(chromium: Browser, base: str) -> None:
    with opened(chromium, base, "/") as (page, requests):
        page.wait_for_load_state("networkidle")
        assert not [url for url in requests if "islands" in url]
    with opened(chromium, base, "/search") as (page, requests):
        expect(page.locator(".live-search")).to_have_count(1)
        islands = [url.split("/_next/static/")[1] for url in requests if "islands" in url]
        assert any(url.endswith("/search.js") for url in islands)
        assert any(url.endswith("/vendor/preact.mjs") for url in islands)
        assert not any(url.endswith("/rating.js") for url in islands)


def test_without_javascript_the_forms_are_the_fallback(chromium: Browser, base: str) -> None:
    with opened(chromium, base, "/search", java_script_enabled=False) as (page, _):
        expect(page.locator(".live-search")).to_have_count(0)
        page.fill("#q", "winter")
        page.click("button[type=submit]")
        expect(page).to_have_url(f"{base}/search/winter")
        expect(page.locator("ul.books li").first).to_be_visible()
    with opened(chromium, base, "/books/the-salt-crown", java_script_enabled=False) as (page, _):
        expect(page.locator("select#rating")).to_be_visible()
        expect(page.locator(".star-input")).to_have_count(0)
