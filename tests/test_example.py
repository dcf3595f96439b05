"""The example app keeps working: every outcome, the API route, draft mode and French."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from pagemill.testing import client

EXAMPLE = Path(__file__).parent.parent / "examples" / "bookshelf"

pytestmark = pytest.mark.anyio


@pytest.fixture
async def http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, anyio_backend: str
) -> AsyncIterator[httpx.AsyncClient]:
    monkeypatch.setenv("BOOKSHELF_DB", str(tmp_path / "bookshelf.sqlite3"))
    async with client(EXAMPLE) as http:
        yield http


async def test_pages_and_outcomes(http: httpx.AsyncClient) -> None:
    assert (await http.get("/")).status_code == 200
    assert (await http.get("/books/the-salt-crown")).status_code == 200
    assert (await http.get("/books/no-such-book")).status_code == 404
    moved = await http.get("/book/1")
    assert (moved.status_code, moved.headers["location"]) == (308, "/books/the-salt-crown")
    assert (await http.get("/random")).status_code == 307
    assert (await http.get("/shelves/fiction")).status_code == 200
    assert (await http.get("/search/salt")).status_code == 200


async def test_input_is_bounded_before_it_reaches_the_database(http: httpx.AsyncClient) -> None:
    assert (await http.get("/?page=999999999999999999999")).status_code == 404
    assert (await http.get("/?page=" + "9" * 5000)).status_code == 404
    assert (await http.get("/api/books?page=" + "9" * 32)).status_code == 400
    assert (await http.get("/api/books?page=%D9%A1%D9%A2")).status_code == 400  # Arabic digits
    draft = await http.get("/api/draft?token=let-me-in&to=/%0A/evil.com")
    assert (draft.status_code, draft.headers["location"]) == (307, "/")
    many = await http.get("/search/" + "/".join(["a"] * 1200))
    assert many.status_code == 400
    assert "at most 10 words" in many.text
    assert (await http.get("/search/" + "x" * 101)).status_code == 400
    assert (await http.get("/shelves/" + "/".join(["a"] * 1000))).status_code == 404


async def test_review_form_posts_then_redirects(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/books/the-salt-crown", data={"reader": "Zed", "rating": "5", "body": "Loved it"}
    )
    assert response.status_code == 303
    page = await http.get(response.headers["location"])
    assert "Loved it" in page.text


async def test_api_route_shares_the_home_page_query(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/books?sort=rating&page=1")
    assert response.status_code == 200
    assert len(response.json()["books"]) > 0
    assert (await http.post("/api/books")).status_code == 405


async def test_draft_mode_and_french(http: httpx.AsyncClient) -> None:
    assert (await http.get("/api/draft?token=wrong")).status_code == 401
    enabled = await http.get("/api/draft?token=let-me-in&to=/")
    assert enabled.status_code == 307
    # The cookie is Secure (production), so a client on plain http would not send it back.
    cookie = enabled.headers["set-cookie"].split(";")[0]
    http.cookies.clear()
    assert "Draft mode is on" in (await http.get("/", headers={"cookie": cookie})).text
    french = await http.get("/fr")
    assert '<html lang="fr">' in french.text and "Tous les livres" in french.text


async def test_home_page_is_cached_and_purged(http: httpx.AsyncClient) -> None:
    assert (await http.get("/?sort=newest")).headers["x-pagemill-cache"] == "MISS"
    assert (await http.get("/?sort=newest")).headers["x-pagemill-cache"] == "HIT"
    assert (await http.post("/api/revalidate?path=/")).status_code == 401
    purged = await http.post("/api/revalidate?token=let-me-in&path=/")
    assert purged.json() == {"revalidated": "/"}
    assert (await http.get("/?sort=newest")).headers["x-pagemill-cache"] == "MISS"
