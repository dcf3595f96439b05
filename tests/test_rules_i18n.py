"""Config rules under `[i18n]` (tests/apps/rules_i18n): every rule applies behind any locale
prefix unless it says `locale = false`; the default locale of the app or of a locale domain
shapes a redirect's destination; a rewrite's query replaces the request's keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import APPS, ClientFactory, built, next_data, served

from pagemill.config import ConfigError
from pagemill.loader import load_app

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("rules_i18n")


def props_of(response: httpx.Response) -> dict[str, Any]:
    props: dict[str, Any] = next_data(response.text)["props"]["pageProps"]
    return props


@pytest.mark.parametrize(
    ("path", "host", "location"),
    [
        ("/old/x", "testserver", "/new/x"),  # the default locale, unnamed
        ("/en/old/x", "testserver", "/new/x"),  # named: the default is still left out
        ("/fr/old/x", "testserver", "/fr/new/x"),  # another locale is kept
        ("/nl/old/x", "testserver", "https://example.nl/new/x"),  # a domain's default
        ("/old/x", "example.nl", "https://example.nl/new/x"),  # the domain's own visitors
        ("/fr/old/x", "example.nl", "/fr/new/x"),
    ],
)
async def test_a_redirect_applies_under_every_locale(
    client: httpx.AsyncClient, path: str, host: str, location: str
) -> None:
    response = await client.get(path, headers={"host": host})
    assert (response.status_code, response.headers["location"]) == (307, location)


async def test_a_redirect_with_locale_false_matches_its_source_as_written(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/nl/manual")
    assert (response.status_code, response.headers["location"]) == (307, "/nl/another")
    # `/manual` is `/en/manual` to the rules, which `/nl/manual` does not match.
    assert (await client.get("/manual")).status_code == 404


@pytest.mark.parametrize("path", ["/fr/page", "/page", "/en/page"])
async def test_locale_false_sees_the_default_locale_of_an_unprefixed_path(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert (response.status_code, response.headers["location"]) == (307, "/en/newpage")


async def test_external_redirects_under_a_locale(client: httpx.AsyncClient) -> None:
    for path in ("/elsewhere", "/fr/elsewhere"):
        response = await client.get(path)
        assert response.headers["location"] == "https://example.org/x"


async def test_a_rewrite_keeps_the_locale_it_matched_under(client: httpx.AsyncClient) -> None:
    props = props_of(await client.get("/fr/alias"))
    assert props["locale"] == "fr"
    assert props["params"] == {"slug": "alias-target"}
    assert props["resolved_url"] == "/new/alias-target"


async def test_a_rewrite_with_locale_false_may_change_the_locale(
    client: httpx.AsyncClient,
) -> None:
    props = props_of(await client.get("/swap"))
    assert props["locale"] == "fr"
    # Its source's params reach the query, as its destination's path uses none of them.
    assert props["query"] == {"lang": "en", "slug": "swapped"}


async def test_a_rewrites_query_replaces_the_requests_values(client: httpx.AsyncClient) -> None:
    props = props_of(await client.get("/tagged?tag=a&tag=c&other=1"))
    assert props["query"] == {"tag": "b", "other": "1", "slug": "tagged"}
    assert props["resolved_url"] == "/new/tagged?tag=a&tag=c&other=1"


async def test_headers_match_behind_the_locale(client: httpx.AsyncClient) -> None:
    # `/(.*)` needs a segment after the locale; `/` is the locale's root.
    for path in ("/", "/fr"):
        response = await client.get(path)
        assert response.headers["x-locale-root"] == "1"
        assert "x-below-locale" not in response.headers
    response = await client.get("/fr/anything")
    assert response.headers["x-below-locale"] == "1"
    assert "x-locale-root" not in response.headers


def app_with(tmp_path: Path, config: str) -> Path:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "index.py").write_text("def page(props):\n    return 'x'\n")
    (tmp_path / "pagemill.toml").write_text(config)
    return tmp_path


def test_locale_true_is_a_load_error(tmp_path: Path) -> None:
    app = app_with(
        tmp_path,
        '[i18n]\nlocales = ["en"]\ndefault_locale = "en"\n'
        '[[headers]]\nsource = "/a"\nlocale = true\nheaders = [{key = "x", value = "1"}]\n',
    )
    with pytest.raises(ConfigError) as info:
        load_app(app)
    problem = str(info.value)
    assert problem.startswith(str(app / "pagemill.toml"))
    assert "`headers[0].locale` can only be false" in problem


def test_locale_without_i18n_is_a_load_error(tmp_path: Path) -> None:
    app = app_with(
        tmp_path,
        '[[redirects]]\nsource = "/a"\ndestination = "/b"\npermanent = true\n'
        '[[redirects]]\nsource = "/c"\ndestination = "/d"\npermanent = true\nlocale = false\n',
    )
    with pytest.raises(ConfigError) as info:
        load_app(app)
    problem = str(info.value)
    assert "redirects[0]" not in problem
    assert "`redirects[1].locale` only means something with `[i18n]`" in problem


def test_locale_rules_through_pagemill_start(tmp_path: Path) -> None:
    app = built(APPS / "rules_i18n", tmp_path)
    with served("start", str(app), ready_path="/another") as server:
        french = httpx.get(f"{server.base}/fr/old/x", headers={"accept-encoding": "gzip, br"})
        assert (french.status_code, french.headers["location"]) == (307, "/fr/new/x")
        domain = httpx.get(f"{server.base}/old/x", headers={"host": "example.nl"})
        assert domain.headers["location"] == "https://example.nl/new/x"
        page = httpx.get(f"{server.base}/fr/alias", headers={"accept-encoding": "gzip"})
        assert page.status_code == 200
        assert props_of(page)["locale"] == "fr"
